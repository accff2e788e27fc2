"""Dates, digests and monthly reports land on the user's local day, not on UTC's.

Each test runs under Asia/Tokyo and America/Los_Angeles (local_tz) at an instant where the local
date and the UTC date differ: in Tokyo it is already the 1st of December, in Los Angeles it is still
the 30th of November while UTC has the 1st.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kernel.outbox import outbox_send
from notifications import tasks
from notifications.models import OutboxMessage
from projects.models import Task
from reports import tasks as report_tasks
from reports.models import Report, ReportSchedule
from reports.schedules import monthly_report_mail
from reports.services import report_render
from tests.factories import make_task

LOCAL_MOMENT = {  # a local time whose date is not UTC's date
    "Asia/Tokyo": datetime(2026, 12, 1, 5, 0),  # 2026-11-30 20:00 UTC
    "America/Los_Angeles": datetime(2026, 11, 30, 21, 0),  # 2026-12-01 05:00 UTC
}


@pytest.fixture
def local_moment(local_tz):
    moment = LOCAL_MOMENT[local_tz].replace(tzinfo=ZoneInfo(local_tz))
    assert moment.date() != moment.astimezone(ZoneInfo("UTC")).date()
    with time_machine.travel(moment, tick=False):
        assert timezone.localdate() == moment.date()
        yield moment


def _due_today_and_yesterday(world, today, titles):
    for title, due in zip(titles, (today, today - timedelta(days=1)), strict=True):
        make_task(world.project, title=title, assignee=world.user("contributor"), due_date=due)


def test_due_today_is_today_in_local_time(world, client_for, local_moment):
    _due_today_and_yesterday(world, local_moment.date(), ("Due today", "Due yesterday"))
    assert [t.title for t in Task.objects.overdue()] == ["Due yesterday"]
    page = client_for("contributor").get("/my-work/").content.decode()
    assert "Due today" in page and "Due yesterday" in page


def test_digest_is_for_the_local_day(world, local_moment):
    today = local_moment.date()
    _due_today_and_yesterday(world, today, ("Local today's task", "Late by one day"))
    mail.outbox.clear()
    tasks.reminder_sweep()
    message = OutboxMessage.objects.get(recipient=world.user("contributor"), kind="digest")
    assert message.day == today
    outbox_send(message_id=message.pk)
    (sent,) = [m for m in mail.outbox if m.to == ["contributor@example.test"]]
    assert f"{today:%-d %b %Y}" in sent.subject and "1 overdue" in sent.subject


def test_monthly_report_starts_and_is_mailed_under_the_local_month(
    world, media, local_moment, django_capture_on_commit_callbacks
):
    today = local_moment.date()
    ReportSchedule.objects.create(project=world.project, day_of_month=1, last_run_month=date(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=False):
        started = report_tasks.monthly_reports()
    if today.day != 1:  # Los Angeles: still November, which already had its report
        assert started == [] and not Report.objects.exists()
        return
    (report_id,) = started  # Tokyo: December has begun
    assert ReportSchedule.objects.get(project=world.project).last_run_month == date(2026, 12, 1)
    report = report_render(report_id=report_id)
    mail.outbox.clear()
    for message_id in monthly_report_mail(report=report):
        outbox_send(message_id=message_id)
    assert mail.outbox and all("December 2026" in m.subject for m in mail.outbox)
    assert {m.day for m in OutboxMessage.objects.filter(kind="monthly_report")} == {date(2026, 12, 1)}
