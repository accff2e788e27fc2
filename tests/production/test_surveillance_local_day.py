"""Surveillance audits due on the local day reach the lead's digest under other time zones too: the
due date is counted from the decision in local days, and the sweep's "today" is the local date."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from audits.certification import add_months
from audits.models import AuditProgramme
from notifications import tasks
from notifications.models import OutboxMessage

LOCAL_MOMENT = {  # a local time whose date is not UTC's date
    "Asia/Tokyo": datetime(2026, 12, 1, 5, 0),
    "America/Los_Angeles": datetime(2026, 11, 30, 21, 0),
}


@pytest.fixture
def local_moment(local_tz):
    moment = LOCAL_MOMENT[local_tz].replace(tzinfo=ZoneInfo(local_tz))
    with time_machine.travel(moment, tick=False):
        assert timezone.localdate() == moment.date()
        yield moment


def test_surveillance_due_today_is_in_todays_digest(world, local_moment):
    today = local_moment.date()
    decision = add_months(today, -12)  # surveillance 1 is due today, local time
    AuditProgramme.objects.create(
        project=world.project, cycle_start=decision, certification_decision_date=decision
    )
    tasks.reminder_sweep()
    message = OutboxMessage.objects.get(recipient=world.user("lead"), kind="digest")
    assert message.day == today
    (group,) = message.items["own"]
    (item,) = [i for i in group["items"] if i[0] == "Certification audit due"]
    assert item[2] == today.isoformat()
    assert group["overdue"] == 0  # due today, not yet late, in either zone
