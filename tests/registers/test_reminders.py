"""Review dates of register entries and contract expiries reach the daily digest (through the
extension registry), for the owner; the context review for the leads."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kernel.outbox import outbox_send
from notifications import reminders
from registers.models import ContextDetermination, RiskStatus
from registers.reminders import contract_expiry_reminders, register_review_reminders
from tests.registers.builders import make_risk, make_service, make_supplier

pytestmark = pytest.mark.django_db


def test_an_expiring_contract_and_a_review_due_reach_the_owners_digest(world):
    today = timezone.localdate()
    contributor = world.user("contributor")
    make_supplier(
        world.project,
        name="Northwind Hosting",
        owner=contributor,
        contract_reference="NW-17",
        contract_expiry=today + dt.timedelta(days=3),
    )
    make_service(world.project, name="E-mail", owner=contributor, review_date=today + dt.timedelta(days=2))
    for message_id in reminders.reminder_sweep(today=today):
        outbox_send(message_id=message_id)
    (message,) = [m for m in mail.outbox if m.to == [contributor.email]]
    assert "Northwind Hosting (NW-17)" in message.body
    assert "Service: E-mail" in message.body


def test_closed_risks_entries_without_owner_and_far_dates_are_left_out(world):
    today = timezone.localdate()
    lead = world.user("lead")
    make_risk(world.project, title="Closed", owner=lead, status=RiskStatus.CLOSED, review_date=today)
    make_risk(world.project, title="Nobody's", review_date=today)
    make_risk(world.project, title="Later", owner=lead, review_date=today + dt.timedelta(days=60))
    make_risk(world.project, title="Due", owner=lead, review_date=today - dt.timedelta(days=1))
    items = register_review_reminders(today=today)
    assert [(i.title, i.user_id, i.url_name) for i in items] == [
        ("Risk or opportunity: Due", lead.pk, "registers:risk_detail")
    ]
    assert items[0].path == f"/projects/{world.project.pk}/registers/risks/{items[0].url_args[1]}/"


def test_the_context_review_reminds_the_leads(world):
    today = timezone.localdate()
    ContextDetermination.objects.create(project=world.project, review_date=today + dt.timedelta(days=1))
    items = [i for i in register_review_reminders(today=today) if i.url_name == "registers:context"]
    assert [i.user_id for i in items] == [world.user("lead").pk]


def test_a_former_owner_is_not_reminded(world):
    today = timezone.localdate()
    former = world.user("contributor")
    make_supplier(world.project, owner=former, contract_expiry=today)
    world.project.memberships.filter(user=former).delete()
    assert contract_expiry_reminders(today=today) == []


def test_a_leaving_member_hands_their_register_entries_to_a_lead(world):
    from projects.responsibilities import hand_over, held_by

    contributor, lead = world.user("contributor"), world.user("lead")
    service = make_service(world.project, owner=contributor)
    supplier = make_supplier(world.project, owner=contributor)
    held = {h.label: h.count for h in held_by(world.project, contributor) if h.count}
    assert held["Service catalogue they own"] == 1 and held["Suppliers and contracts they own"] == 1
    hand_over(world.project, contributor, lead)
    service.refresh_from_db()
    supplier.refresh_from_db()
    assert service.owner == lead and supplier.owner == lead
