"""Back-scheduling gives every phase the time an auditor expects: the operating period, two weeks of
internal audit, two to eight weeks from Stage 1 to Stage 2; a target that cannot fit is refused with
the earliest realistic date instead of squeezing phases into days."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Project
from projects.scheduling import ScheduleTooShort, add_months, back_schedule, earliest_target
from tests.factories import make_project

START = date(2027, 1, 4)


def _by_key(plan):
    return {p.definition.key: p for p in plan}


def test_a_six_week_target_is_refused_with_the_earliest_realistic_date():
    with pytest.raises(ScheduleTooShort) as error:
        back_schedule(START, START + timedelta(weeks=6))
    earliest = error.value.earliest
    assert earliest == earliest_target(START, 3)
    assert f"{earliest:%-d %b %Y}" in error.value.message
    assert "3-month operating period" in error.value.message
    # The earliest date itself fits, and nothing earlier does.
    assert back_schedule(START, earliest)[-1].end == earliest
    with pytest.raises(ScheduleTooShort):
        back_schedule(START, earliest - timedelta(days=1))


@pytest.mark.parametrize("months", [3, 6])
def test_a_twelve_month_target_gives_the_operating_phase_its_minimum_period(months):
    plan = _by_key(back_schedule(START, add_months(START, 12), operating_months=months))
    operation = plan["9"]
    assert operation.end >= add_months(operation.start, months) - timedelta(days=1)


@pytest.mark.parametrize("days", [200, 270, 365, 540, 800, 1500, 3000])
def test_stage_gap_internal_audit_and_order_hold_for_any_window(days):
    target = START + timedelta(days=days)
    plan = back_schedule(START, target)
    phases = _by_key(plan)
    assert 14 <= (phases["S2"].start - phases["S1"].start).days <= 56
    assert phases["11"].days >= 14
    assert plan[0].start == START and plan[-1].end == target
    for earlier, later in zip(plan, plan[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
        assert earlier.days >= 1


def test_a_longer_operating_period_moves_the_earliest_date():
    assert earliest_target(START, 6) > earliest_target(START, 3) + timedelta(days=85)


@pytest.mark.django_db
def test_creating_a_project_with_a_target_that_cannot_fit_is_refused_and_nothing_saved():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_project(name="Too soon", target_certification_date=today + timedelta(weeks=6))
    assert "earliest realistic target date is" in str(error.value)
    assert not Project.objects.filter(name="Too soon").exists()


@pytest.mark.django_db
def test_the_new_project_form_shows_the_earliest_realistic_date(client, world):
    client.force_login(world.user("lead"))
    today = timezone.localdate()
    response = client.post(
        "/projects/new/",
        {
            "name": "Too soon",
            "organisation": "Example Ltd",
            "standard_edition": "ISO/IEC 20000-1:2018",
            "start_date": today.isoformat(),
            "target_certification_date": (today + timedelta(weeks=6)).isoformat(),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f"earliest realistic target date is {earliest_target(today, 3):%-d %b %Y}" in body
    assert not Project.objects.filter(name="Too soon").exists()


@pytest.mark.django_db
def test_a_replan_to_a_target_that_cannot_fit_is_refused(client, world):
    client.force_login(world.user("lead"))
    project = world.project
    before = list(project.phases.values_list("planned_start", "planned_end"))
    soon = timezone.localdate() + timedelta(weeks=8)
    response = client.post(
        f"/projects/{project.pk}/edit/",
        {
            "name": project.name,
            "organisation": project.organisation,
            "standard_edition": project.standard_edition,
            "start_date": project.start_date.isoformat(),
            "target_certification_date": soon.isoformat(),
            "version": project.version,
            "replan": "on",
        },
    )
    assert response.status_code == 422
    assert "earliest realistic target date is" in response.content.decode()
    project.refresh_from_db()
    assert project.target_certification_date != soon
    assert list(project.phases.values_list("planned_start", "planned_end")) == before


@pytest.mark.django_db
def test_the_replan_service_refuses_too(world):
    project = world.project
    Project.objects.filter(pk=project.pk).update(
        target_certification_date=project.start_date + timedelta(days=60)
    )
    project.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.roadmap_replan(project=project)
    assert "earliest realistic target date" in str(error.value)
