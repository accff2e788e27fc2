"""The lead's bulk changes on the task list: a summary first, then one transaction; tasks changed
meanwhile are skipped and reported; another project's ids refuse everything; others get 403."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from projects.models import Activity, Task
from tests.factories import UserFactory, make_project, make_task

pytestmark = pytest.mark.django_db


def _url(world):
    return f"/projects/{world.project.pk}/tasks/bulk/"


@pytest.fixture
def three(world):
    return [make_task(world.project, title=f"Task {i}") for i in range(3)]


def _confirm_data(page_html: str) -> dict:
    """What the summary page's confirmation form sends back."""
    form = page_html.split('<form method="post">', 1)[1].split("</form>", 1)[0]
    data: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def test_assign_shows_a_summary_then_changes_every_selected_task(world, client, three):
    client.force_login(world.user("lead"))
    auditor = world.user("auditor")
    summary = client.post(
        _url(world), {"action": "assign", "assignee": auditor.pk, "task": [t.pk for t in three[:2]]}
    )
    assert summary.status_code == 200
    html = summary.content.decode()
    assert "Assign to auditor: 2 of 2 selected tasks" in html
    assert not Task.objects.filter(assignee=auditor).exists()  # nothing changes before the confirmation

    done = client.post(_url(world), _confirm_data(html))
    assert done.status_code == 302 and done["Location"] == f"/projects/{world.project.pk}/tasks/"
    assert set(Task.objects.filter(assignee=auditor).values_list("pk", flat=True)) == {
        three[0].pk,
        three[1].pk,
    }
    assert Task.objects.get(pk=three[2].pk).assignee is None
    assert all(t.version == 2 for t in Task.objects.filter(assignee=auditor))
    assert Activity.objects.filter(verb="tasks changed", summary__startswith="2 tasks changed").exists()
    assert Task.history.filter(id=three[0].pk, history_user=world.user("lead")).count() == 1


def test_unassign_move_and_set_due_date(world, client, three, progress_refresh_inline):
    client.force_login(world.user("lead"))
    ids = [t.pk for t in three]
    Task.objects.filter(pk__in=ids).update(assignee=world.user("contributor"))
    phase = world.project.phases.get(key="9")
    due = timezone.localdate() + timedelta(days=12)
    for payload in (
        {"action": "assign", "assignee": ""},
        {"action": "move", "phase": phase.pk},
        {"action": "due", "due_date": due.isoformat()},
    ):
        summary = client.post(_url(world), {**payload, "task": ids})
        assert summary.status_code == 200
        assert client.post(_url(world), _confirm_data(summary.content.decode())).status_code == 302
    for task in Task.objects.filter(pk__in=ids):
        assert task.assignee is None and task.phase == phase and task.due_date == due and task.version == 4

    summary = client.post(_url(world), {"action": "due", "due_date": "", "task": ids})
    client.post(_url(world), _confirm_data(summary.content.decode()))
    assert not Task.objects.filter(pk__in=ids, due_date__isnull=False).exists()


def test_a_task_changed_after_the_summary_is_skipped_and_reported(world, client, three):
    client.force_login(world.user("lead"))
    summary = client.post(
        _url(world), {"action": "assign", "assignee": world.user("lead").pk, "task": [t.pk for t in three]}
    )
    data = _confirm_data(summary.content.decode())
    # Someone else edits the first task, another deletes the second, before the lead confirms.
    Task.objects.filter(pk=three[0].pk).update(title="Renamed meanwhile", version=5)
    Task.objects.filter(pk=three[1].pk).delete()
    response = client.post(_url(world), data)
    assert response.status_code == 302
    assert Task.objects.get(pk=three[0].pk).assignee is None
    assert Task.objects.get(pk=three[2].pk).assignee == world.user("lead")
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "done for 1 task" in text
    assert "“Renamed meanwhile” (changed by someone else" in text and "deleted meanwhile" in text


def test_a_due_date_before_a_tasks_start_skips_that_task(world, client):
    client.force_login(world.user("lead"))
    today = timezone.localdate()
    starts_late = make_task(world.project, title="Starts late", start_date=today + timedelta(days=30))
    plain = make_task(world.project, title="Plain")
    due = today + timedelta(days=10)
    summary = client.post(_url(world), {"action": "due", "due_date": due, "task": [starts_late.pk, plain.pk]})
    html = summary.content.decode()
    assert "1 of 2 selected tasks" in html and "Left as it is: it starts on" in html
    client.post(_url(world), _confirm_data(html))
    assert Task.objects.get(pk=plain.pk).due_date == due
    assert Task.objects.get(pk=starts_late.pk).due_date is None


def _other_project_task():
    stranger = UserFactory(username="stranger")
    other = make_project(lead=stranger, name="Other")
    return other, make_task(other, title="Their task", assignee=stranger)


@pytest.mark.parametrize("confirm", [False, True])
def test_another_projects_task_id_refuses_the_whole_request(world, client, three, confirm):
    other, theirs = _other_project_task()
    client.force_login(world.user("lead"))
    ids = [three[0].pk, theirs.pk]
    data = {"action": "assign", "assignee": world.user("lead").pk, "task": ids}
    if confirm:
        data |= {"confirm": "1", **{f"version_{pk}": 1 for pk in ids}}
    response = client.post(_url(world), data)
    assert response.status_code == 400
    assert "not tasks of this project. Nothing was changed." in response.content.decode()
    assert Task.objects.get(pk=three[0].pk).assignee is None
    assert Task.objects.get(pk=theirs.pk).assignee.username == "stranger"
    assert Task.objects.get(pk=theirs.pk).version == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"action": "move", "phase": "other"}, "Select a valid choice"),
        ({"action": "assign", "assignee": "other"}, "Select a valid choice"),
        ({"action": "move"}, "Choose the phase"),
        ({"action": "explode"}, "Select a valid choice"),
        ({"action": "due", "due_date": "2026-02-30"}, "Enter a valid date"),
        ({"action": "due", "due_date": "0001-01-01"}, "on or after"),
        ({"action": "assign", "task": ["1x"]}, "not a task"),
        ({"action": "assign", "task": []}, "Select at least one task"),
        ({"action": "assign", "task": ["99999999999999999999"]}, "not a task"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, client, three, payload, message):
    other, theirs = _other_project_task()
    client.force_login(world.user("lead"))
    payload = dict(payload)
    for key, value in payload.items():
        if value == "other":
            payload[key] = theirs.phase_id if key == "phase" else theirs.assignee_id
    payload.setdefault("task", [t.pk for t in three])
    response = client.post(_url(world), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert all(t.version == 1 for t in Task.objects.filter(project=world.project))


@pytest.mark.parametrize("role", ["contributor", "auditor", "viewer"])
def test_only_the_lead_may_change_tasks_in_bulk(world, client, three, role):
    client.force_login(world.user(role))
    response = client.post(
        _url(world),
        {
            "action": "assign",
            "assignee": world.user(role).pk,
            "task": [three[0].pk],
            "confirm": "1",
            f"version_{three[0].pk}": 1,
        },
    )
    assert response.status_code == 403
    assert Task.objects.get(pk=three[0].pk).assignee is None


def test_the_list_shows_select_boxes_and_the_bulk_form_to_the_lead_only(world, client, three):
    client.force_login(world.user("lead"))
    html = client.get(f"/projects/{world.project.pk}/tasks/").content.decode()
    assert 'data-testid="bulk-actions"' in html and html.count('name="task"') == 3
    client.force_login(world.user("contributor"))
    html = client.get(f"/projects/{world.project.pk}/tasks/").content.decode()
    assert 'data-testid="bulk-actions"' not in html and 'name="task"' not in html


def test_the_way_back_keeps_the_filter_and_never_leaves_the_list(world, client, three):
    client.force_login(world.user("lead"))
    base = {
        "action": "due",
        "due_date": date(2027, 1, 5).isoformat(),
        "task": [three[0].pk],
        "confirm": "1",
        f"version_{three[0].pk}": 1,
    }
    kept = client.post(_url(world), {**base, "next": f"/projects/{world.project.pk}/tasks/?assignee=none"})
    assert kept["Location"] == f"/projects/{world.project.pk}/tasks/?assignee=none"
    base[f"version_{three[0].pk}"] = 2
    elsewhere = client.post(_url(world), {**base, "next": "https://evil.example/"})
    assert elsewhere["Location"] == f"/projects/{world.project.pk}/tasks/"


@pytest.mark.parametrize("version", ["", "²", "9" * 5000, "-1", "0", "1.0"])
def test_a_broken_version_in_the_confirmation_changes_nothing(world, client, three, version):
    client.force_login(world.user("lead"))
    data = {"action": "assign", "assignee": world.user("lead").pk, "task": [three[0].pk], "confirm": "1"}
    response = client.post(_url(world), {**data, f"version_{three[0].pk}": version})
    assert response.status_code == 400 and "select the tasks again" in response.content.decode()
    assert Task.objects.get(pk=three[0].pk).assignee is None
