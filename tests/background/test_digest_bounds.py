"""Digests stay small however much work is late: items capped per project with a link to the rest,
escalations as counts per project, recorded users skipped before anything is built, bulk insert."""

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kernel.outbox import message_email, outbox_send
from notifications import reminders
from notifications.models import OutboxMessage
from projects.models import Task
from tests.factories import UserFactory, add_member, make_project, make_task


def sweep_and_send():
    for message_id in reminders.reminder_sweep(today=timezone.localdate()):
        outbox_send(message_id=message_id)


def _mail_to(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message


def _bulk_tasks(project, user, count, *, first_due_in):
    phase = project.phases.get(key="5")
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(
            project=project,
            phase=phase,
            title=f"Bulk task {index:04d}",
            assignee=user,
            due_date=today + timezone.timedelta(days=first_due_in + index % 5),
        )
        for index in range(count)
    )


def _email_bytes(user):
    message = OutboxMessage.objects.select_related("recipient").get(recipient=user, kind="digest")
    return len(message_email(message).message().as_bytes()), len(json.dumps(message.items))


def test_a_digest_lists_a_few_items_per_project_and_links_to_a_page_with_the_rest(world, client_for):
    contributor = world.user("contributor")
    _bulk_tasks(world.project, contributor, 25, first_due_in=-3)
    sweep_and_send()

    body = _mail_to(contributor).body
    assert body.count("- [Task] Bulk task") == reminders.ITEMS_PER_PROJECT == 10
    more = re.search(r"… and 15 more: (http\S+)", body)
    assert more, body
    path = more.group(1).removeprefix("http://127.0.0.1:8000")
    assert path == f"/projects/{world.project.pk}/reminders/?scope=mine"
    page = client_for("contributor").get(path).content.decode()
    assert page.count("Bulk task ") == 25 and "25 items" in page


def test_no_more_than_the_overall_cap_is_listed_across_projects(world, monkeypatch):
    monkeypatch.setattr(reminders, "ITEMS_PER_PROJECT", 3)
    monkeypatch.setattr(reminders, "ITEMS_LISTED", 4)
    contributor = world.user("contributor")
    second = make_project(lead=world.user("lead"), name="Second project")
    add_member(second, contributor)
    _bulk_tasks(world.project, contributor, 5, first_due_in=1)
    _bulk_tasks(second, contributor, 5, first_due_in=1)
    sweep_and_send()

    body = _mail_to(contributor).body
    assert body.count("- [Task] Bulk task") == 4
    assert "… and 2 more" in body and "… and 4 more" in body
    assert f"/projects/{second.pk}/reminders/?scope=mine" in body


def test_escalations_are_counts_per_project_with_a_link_to_the_late_items(world, client_for):
    lead, contributor, auditor = world.user("lead"), world.user("contributor"), world.user("auditor")
    _bulk_tasks(world.project, contributor, 30, first_due_in=-20)
    make_task(world.project, title="The auditor's late task", assignee=auditor, due_in=-12)
    make_task(world.project, title="The lead's own late task", assignee=lead, due_in=-12)
    make_task(world.project, title="Only two days late", assignee=auditor, due_in=-2)
    sweep_and_send()

    message = OutboxMessage.objects.get(recipient=lead)
    (entry,) = message.items["escalated"]
    assert entry["count"] == 31 and entry["categories"] == {"Task": 31}
    body = _mail_to(lead).body
    assert "World project: 31 items (Task: 31)" in body and "Bulk task" not in body
    assert f"/projects/{world.project.pk}/reminders/?scope=escalated" in body
    page = client_for("lead").get(f"/projects/{world.project.pk}/reminders/?scope=escalated")
    text = page.content.decode()
    assert "31 items" in text and "The auditor&#x27;s late task" in text
    assert "The lead&#x27;s own late task" not in text and "Only two days late" not in text


def test_the_outbox_row_stores_compact_data_and_the_email_is_rendered_when_sent(world):
    contributor = world.user("contributor")
    task = make_task(world.project, title="Write the SMS plan", assignee=contributor, due_in=2)
    reminders.reminder_sweep(today=timezone.localdate())

    row = OutboxMessage.objects.get(recipient=contributor)
    assert row.body_text == "" and row.body_html == ""
    (group,) = row.items["own"]
    assert group["total"] == 1 and group["items"][0][-1] == f"task:{task.pk}"
    sweep_and_send()
    sent = _mail_to(contributor)
    assert "Write the SMS plan" in sent.body
    assert f"/projects/{world.project.pk}/tasks/{task.pk}/" in sent.alternatives[0][0]


def test_the_digest_size_does_not_grow_with_the_number_of_items(world):
    lead, contributor = world.user("lead"), world.user("contributor")
    _bulk_tasks(world.project, contributor, 40, first_due_in=-30)
    reminders.reminder_sweep(today=timezone.localdate())
    small = {user: _email_bytes(user) for user in (lead, contributor)}

    OutboxMessage.objects.all().delete()
    _bulk_tasks(world.project, contributor, 1500, first_due_in=-30)
    reminders.reminder_sweep(today=timezone.localdate())
    for user in (lead, contributor):
        (email_before, row_before), (email_after, row_after) = small[user], _email_bytes(user)
        assert email_after - email_before < 100 and row_after - row_before < 100  # a few more digits
        assert email_after < 20_000


def test_a_second_sweep_builds_nothing_for_recipients_already_recorded(
    world, monkeypatch, django_assert_max_num_queries
):
    for role, due_in in (("contributor", 2), ("auditor", -3), ("viewer", -12)):
        _bulk_tasks(world.project, world.user(role), 20, first_due_in=due_in)
    first = reminders.reminder_sweep(today=timezone.localdate())
    assert len(first) == 4  # three members and the lead (escalation)

    built = []
    original = reminders.digest_data
    monkeypatch.setattr(
        reminders, "digest_data", lambda digest, **kw: built.append(digest) or original(digest, **kw)
    )
    latecomer = UserFactory(username="latecomer")
    add_member(world.project, latecomer)
    _bulk_tasks(world.project, latecomer, 3, first_due_in=1)
    # A constant: about one query per reminder source (approvals and surveillance audits joined the
    # tasks, documents, audits and actions; then the registers' review dates, contract expiries and
    # context reviews, and the MFA filter of e-mail; the new recipients' languages, one query for all:
    # kernel/i18n.py), whatever the number of recipients already recorded.
    with django_assert_max_num_queries(21):
        second = reminders.reminder_sweep(today=timezone.localdate())

    assert [digest.user for digest in built] == [latecomer]
    assert len(second) == 5 and OutboxMessage.objects.count() == 5


def test_the_sweep_inserts_in_bulk_whatever_the_number_of_recipients(world):
    counts = []
    for size in (3, 30):
        OutboxMessage.objects.all().delete()
        for index in range(size):
            user = UserFactory(username=f"person-{size}-{index}")
            add_member(world.project, user)
            _bulk_tasks(world.project, user, 2, first_due_in=1)
        with CaptureQueriesContext(connection) as queries:
            reminders.reminder_sweep(today=timezone.localdate())
        counts.append(len(queries))
        assert OutboxMessage.objects.count() >= size
    assert counts[0] == counts[1]


@pytest.mark.parametrize("scope", ["mine", "escalated", "nonsense"])
def test_the_reminders_page_answers_for_each_scope(world, client_for, scope):
    make_task(world.project, title="Very late", assignee=world.user("auditor"), due_in=-30)
    response = client_for("auditor").get(f"/projects/{world.project.pk}/reminders/?scope={scope}")
    assert response.status_code == 200
    text = response.content.decode()
    assert ("Very late" in text) == (scope in ("mine", "nonsense"))  # an unknown scope shows "mine"


def test_a_lead_recorded_later_still_counts_the_late_items_of_people_already_recorded(world):
    contributor = world.user("contributor")
    _bulk_tasks(world.project, contributor, 12, first_due_in=-20)
    reminders.reminder_sweep(today=timezone.localdate())
    first = OutboxMessage.objects.get(recipient=world.user("lead")).items["escalated"]
    OutboxMessage.objects.filter(recipient=world.user("lead")).delete()  # as if the lead's insert was lost

    reminders.reminder_sweep(today=timezone.localdate())

    again = OutboxMessage.objects.get(recipient=world.user("lead")).items["escalated"]
    assert again == first and first[0]["count"] == 12
    assert OutboxMessage.objects.filter(recipient=contributor).count() == 1


def test_a_second_sweep_reads_late_items_only_of_projects_whose_lead_has_no_digest_yet(world, monkeypatch):
    _bulk_tasks(world.project, world.user("contributor"), 12, first_due_in=-20)
    quiet = make_project(lead=UserFactory(username="quiet-lead"), name="Quiet project")
    reminders.reminder_sweep(today=timezone.localdate())
    calls = []
    original = reminders.collect_items
    monkeypatch.setattr(reminders, "collect_items", lambda **kw: calls.append(kw) or original(**kw))

    reminders.reminder_sweep(today=timezone.localdate())

    recorded = set(OutboxMessage.objects.values_list("recipient_id", flat=True))
    assert calls[0]["exclude_user_ids"] == recorded  # own items: nobody's, everyone is recorded
    assert [call.get("project_ids") for call in calls[1:]] == [[quiet.pk]]  # the quiet lead's project only


@pytest.mark.parametrize("scope", ["mine", "escalated"])
def test_the_reminders_page_takes_the_same_queries_for_5_or_120_items(world, client_for, scope):
    client = client_for("contributor" if scope == "mine" else "lead")
    counts = []
    for size in (5, 120):
        _bulk_tasks(world.project, world.user("contributor"), size - Task.objects.count(), first_due_in=-20)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/{world.project.pk}/reminders/?scope={scope}")
        assert response.status_code == 200 and f"{size} items" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
