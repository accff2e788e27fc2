"""The daily sweep: one digest per user per day about their own items, recorded in the outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kernel.outbox import OutboxStatus, TransientSendError, outbox_send
from notifications import reminders
from notifications.models import NotificationPreference, OutboxMessage
from projects.models import Task
from tests.factories import UserFactory, add_member, make_task


@pytest.fixture
def items(world):
    contributor, auditor = world.user("contributor"), world.user("auditor")
    return {
        "soon": make_task(world.project, title="Due in three days", assignee=contributor, due_in=3),
        "late": make_task(world.project, title="Two days late", assignee=contributor, due_in=-2),
        "very_late": make_task(world.project, title="Ten days late", assignee=auditor, due_in=-10),
        "far": make_task(world.project, title="Due next month", assignee=contributor, due_in=30),
        "done": make_task(
            world.project, title="Done already", assignee=contributor, due_in=-1, status="done"
        ),
        "ex_member": make_task(
            world.project, title="Outsider's task", assignee=world.user("outsider"), due_in=1
        ),
    }


def reminder_sweep(day=None):
    """What the sweep task does, without a broker: record the digests, then send each."""
    today = timezone.localdate() if day is None else day
    for message_id in reminders.reminder_sweep(today=today):
        outbox_send(message_id=message_id)


def _digest_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.test"]]


def test_each_user_gets_one_digest_with_only_their_own_open_items(items, settings):
    settings.REMINDER_ESCALATION_DAYS = 7
    reminder_sweep()

    (contributor_mail,) = _digest_to("contributor")
    assert "Due in three days" in contributor_mail.body and "Two days late" in contributor_mail.body
    for absent in ("Due next month", "Done already", "Ten days late"):
        assert absent not in contributor_mail.body
    html = contributor_mail.alternatives[0][0]
    assert f"/projects/{items['soon'].project_id}/tasks/{items['soon'].pk}/" in html
    assert _digest_to("outsider") == [] and _digest_to("viewer") == []


def test_items_overdue_longer_than_the_setting_are_escalated_to_the_lead(items, settings):
    settings.REMINDER_ESCALATION_DAYS = 7
    reminder_sweep()

    (lead_mail,) = _digest_to("lead")
    assert "Escalated to you as lead" in lead_mail.body
    assert "- World project: 1 item (Task: 1)" in lead_mail.body  # a count per project, not the items
    assert "Ten days late" not in lead_mail.body and "Two days late" not in lead_mail.body


def test_running_the_sweep_twice_sends_each_digest_once(items):
    reminder_sweep()
    first = len(mail.outbox)
    reminder_sweep()

    assert first == 3  # contributor, auditor, lead (escalation)
    assert len(mail.outbox) == first
    assert OutboxMessage.objects.count() == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_new_item_later_the_same_day_waits_for_tomorrow(items, world):
    reminder_sweep()
    make_task(world.project, title="Added at noon", assignee=world.user("contributor"), due_in=1)
    reminder_sweep()
    assert len(_digest_to("contributor")) == 1

    reminder_sweep(day=timezone.localdate() + timedelta(days=1))
    assert "Added at noon" in _digest_to("contributor")[-1].body


def test_a_user_who_turned_the_digest_off_gets_none(items, world):
    NotificationPreference.objects.create(user=world.user("contributor"), digest_enabled=False)
    reminder_sweep()
    assert _digest_to("contributor") == []
    assert len(_digest_to("auditor")) == 1


def test_dry_run_lists_digests_and_writes_nothing(items, capsys):
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "contributor <contributor@example.test>: 2 own, 0 escalated" in out
    assert OutboxMessage.objects.count() == 0 and mail.outbox == []


def test_send_reminders_command_sends_now(items, capsys):
    call_command("send_reminders")
    assert "sent 3" in capsys.readouterr().out
    assert len(mail.outbox) == 3


def test_a_refused_send_stays_pending_for_a_retry(items, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    (message_id, *_) = reminders.reminder_sweep(today=timezone.localdate())
    with pytest.raises(TransientSendError):
        outbox_send(message_id=message_id)
    message = OutboxMessage.objects.get(pk=message_id)
    assert (
        message.status == OutboxStatus.PENDING
        and message.attempts == 1
        and "refused" in message.last_error.lower()
    )


def test_inactive_users_get_no_digest(items, world):
    user = world.user("contributor")
    user.is_active = False
    user.save()
    reminder_sweep()
    assert _digest_to("contributor") == []
    UserFactory(username="unrelated")
    assert not OutboxMessage.objects.filter(recipient__username="unrelated").exists()


def test_digest_planning_queries_are_the_same_for_10_or_200_items(world, django_assert_max_num_queries):
    users = [UserFactory(username=f"member{i}") for i in range(20)]
    for user in users:
        add_member(world.project, user)
    for size in (10, 200):
        for index in range(size - Task.objects.count()):
            make_task(world.project, title=f"T{index}", assignee=users[index % 20], due_in=(index % 20) - 12)
        # one or two per reminder source (the registers add three), leads, users, the MFA filter
        with django_assert_max_num_queries(17):
            digests = reminders.plan_digests(today=timezone.localdate())
        assert digests
