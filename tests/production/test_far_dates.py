"""Issue 9 §2.3: dates far in the future (or past). Forms refuse dates outside a sane window; pages
and computations stay up for extreme values already stored (older data, the admin, a migration)."""

from datetime import date

import pytest

from audits.models import AuditProgramme
from projects.models import Phase, Project, Task
from tests.factories import make_audit, make_task
from tests.permissions.test_matrix import CASES

GET_CASES = [case for case in CASES if case.method == "get" and not case.name.startswith("admin")]


def _store_extremes(world, high=date(9999, 12, 31), low=date(1, 1, 1)):
    project = world.project
    Project.objects.filter(pk=project.pk).update(target_certification_date=high)
    Phase.objects.filter(project=project, key="5").update(planned_end=high, actual_end=high)
    Phase.objects.filter(project=project, key="2").update(planned_start=low, actual_start=low)
    AuditProgramme.objects.update_or_create(project=project, defaults={"cycle_start": date(9997, 6, 1)})
    make_task(project, title="Far task", assignee=world.user("lead"), due_date=high)
    make_task(project, title="Ancient task", assignee=world.user("lead"), due_date=low)
    audit = make_audit(project, user=world.user("lead"))
    type(audit).objects.filter(pk=audit.pk).update(planned_start=date(9999, 12, 30), planned_end=high)
    project.refresh_from_db()


@pytest.mark.parametrize("role", ["lead", "viewer"])
def test_pages_stay_up_with_extreme_stored_dates(world, client_for, role):
    _store_extremes(world)
    client = client_for(role)
    client.raise_request_exception = False  # collect every failing page, not only the first
    failures = []
    for case in GET_CASES:
        if case.expect.get(role) != 200:
            continue
        url = case.url(world)
        status = client.get(url, **({"HTTP_HX_REQUEST": "true"} if case.htmx else {})).status_code
        if status != 200:
            failures.append(f"{case.id} {url}: {status}")
    assert not failures, failures


def test_writes_still_work_with_extreme_stored_dates(world, client_for):
    _store_extremes(world)
    client = client_for("lead")
    phase = world.project.phases.get(key="6")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {"title": "After the extremes", "phase": phase.pk, "priority": "medium", "status": "open"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code < 500
    assert Task.objects.filter(title="After the extremes").exists()


def _post_form(client, url, data):
    response = client.post(url, data)
    assert response.status_code in (200, 400, 422), f"{url}: {response.status_code}"
    return response


@pytest.mark.parametrize("extreme", ["9999-12-31", "0001-01-01", "2100-01-01", "1989-12-31"])
def test_forms_refuse_dates_outside_the_window(world, client_for, extreme):
    from tests.permissions.cases_projects import phase_data, project_data

    client = client_for("lead")
    project = world.project
    base = f"/projects/{project.pk}/"
    original_target = project.target_certification_date

    response = _post_form(
        client, base + "edit/", {**project_data(world), "target_certification_date": extreme}
    )
    assert "Enter a date on or" in response.content.decode()
    project.refresh_from_db()
    assert project.target_certification_date == original_target

    phase = world.project.phases.get(key="5")
    response = _post_form(
        client, base + f"phases/{phase.pk}/edit/", {**phase_data(world), "planned_end": extreme}
    )
    assert "Enter a date on or" in response.content.decode()
    assert Phase.objects.get(pk=phase.pk).planned_end != date.fromisoformat(extreme)

    response = _post_form(
        client, base + "audits/programme/edit/", {"cycle_start": extreme, "objectives": "", "version": ""}
    )
    assert "Enter a date on or" in response.content.decode()
    assert not AuditProgramme.objects.filter(
        project=project, cycle_start=date.fromisoformat(extreme)
    ).exists()


def test_the_window_edges_are_accepted(world, client_for):
    from kernel.formtools import DATE_MAX

    client = client_for("lead")
    phase = world.project.phases.get(key="6")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {
            "title": "At the edge",
            "phase": phase.pk,
            "priority": "medium",
            "status": "open",
            "due_date": DATE_MAX.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(title="At the edge").due_date == DATE_MAX


def test_forecast_and_timeline_hold_at_the_calendars_ends():
    from projects.scheduling import add_days
    from projects.timeline import MAX_TICKS, month_starts

    assert add_days(date.max, 1) == date.max and add_days(date.min, -1) == date.min
    assert add_days(date(2026, 1, 31), 1) == date(2026, 2, 1)
    ticks = month_starts(date(1, 1, 1), date.max, (date.max - date(1, 1, 1)).days)
    assert 0 < len(ticks) <= MAX_TICKS and ticks[0] == date(1, 1, 1)
    assert month_starts(date(2026, 1, 15), date(2026, 4, 1), 76) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
