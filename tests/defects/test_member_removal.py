"""Issue 9 §2.14: removing a member shows what they hold and hands all of it to a lead; nothing
is left with nobody able to act, nothing drops out of the reminders."""

import pytest
from django.utils import timezone

from audits.models import Audit, CorrectiveAction, Finding
from documents.models import Document
from gapanalysis.models import AssessmentAuditor
from notifications.reminders import collect_items
from projects.models import Membership, Phase, Role, Task
from tests.factories import (
    UserFactory,
    add_member,
    hold_audit,
    make_action,
    make_assessment,
    make_audit,
    make_finding,
    make_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(world):
    """An auditor who holds one of everything."""
    lead, person = world.user("lead"), world.user("auditor")
    make_task(world.project, title="Write the capacity plan", assignee=person, due_in=-2)
    make_task(world.project, title="Done already", assignee=person, status="done")
    Phase.objects.filter(project=world.project, key="7").update(owner=person)
    first_document = Document.objects.filter(project=world.project).order_by("pk").first()
    Document.objects.filter(pk=first_document.pk).update(owner=person)
    audit = make_audit(world.project, user=lead, lead_auditor=person, team=[person])
    held = make_audit(world.project, user=lead, title="Held")
    finding = make_finding(held, user=lead, owner=person)
    hold_audit(held, user=lead)
    make_action(finding, user=lead, owner=person)
    make_assessment(world.project, user=lead, clause_numbers=["4"], auditors=[person])
    return person, audit


def test_the_confirmation_lists_what_the_member_holds(world, client, leaver):
    person, audit = leaver
    membership = Membership.objects.get(project=world.project, user=person)
    client.force_login(world.user("lead"))
    page = client.get(f"/projects/{world.project.pk}/members/{membership.pk}/remove/").content.decode()
    held = page.split('data-testid="held"')[1].split("</ul>")[0]
    for text in (
        "Open tasks: 1",
        "Write the capacity plan",
        "Phases they own: 1",
        "Documents they own: 1",
        "Audits they lead: 1",
        "Audit teams they are in: 1",
        "Open findings they answer: 1",
        "Corrective actions they own: 1",
        "Checklists they fill: 1",
    ):
        assert text in held, text
    assert "Done already" not in held
    assert "Hand over to" in page and f'value="{world.user("lead").pk}" selected' in page


def test_removal_hands_everything_to_the_chosen_lead(world, client, leaver):
    person, audit = leaver
    lead = world.user("lead")
    membership = Membership.objects.get(project=world.project, user=person)
    client.force_login(lead)
    reply = client.post(
        f"/projects/{world.project.pk}/members/{membership.pk}/remove/", {"successor": lead.pk}, follow=True
    )
    assert reply.status_code == 200 and "lead took over" in reply.content.decode()
    assert not Membership.objects.filter(project=world.project, user=person).exists()
    assert Task.objects.get(title="Write the capacity plan").assignee == lead
    assert Task.objects.get(title="Done already").assignee == person  # history stays as it was
    assert Phase.objects.get(project=world.project, key="7").owner == lead
    assert not Document.objects.filter(project=world.project, owner=person).exists()
    audit = Audit.objects.get(pk=audit.pk)
    assert audit.lead_auditor == lead and list(audit.team.all()) == [lead]
    assert Finding.objects.get(project=world.project).owner == lead
    assert CorrectiveAction.objects.get(project=world.project).owner == lead
    assert not AssessmentAuditor.objects.filter(user=person).exists()
    assert AssessmentAuditor.objects.filter(user=lead).exists()
    # the overdue task now reminds the lead instead of silently vanishing from every digest
    reminders = {(item.user_id, item.title) for item in collect_items(today=timezone.localdate())}
    assert (lead.pk, "Write the capacity plan") in reminders
    assert all(user_id != person.pk for user_id, _ in reminders)


def test_removal_without_a_successor_is_refused_while_they_hold_something(world, client, leaver):
    person, _ = leaver
    membership = Membership.objects.get(project=world.project, user=person)
    client.force_login(world.user("lead"))
    reply = client.post(f"/projects/{world.project.pk}/members/{membership.pk}/remove/", {})
    assert reply.status_code == 422 and "Choose who takes over" in reply.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    contributor = world.user("contributor")  # not a lead: may not take over
    reply = client.post(
        f"/projects/{world.project.pk}/members/{membership.pk}/remove/", {"successor": contributor.pk}
    )
    assert reply.status_code == 422 and Membership.objects.filter(pk=membership.pk).exists()


def test_someone_holding_nothing_is_removed_with_a_plain_confirmation(world, client):
    idle = UserFactory(username="idle")
    membership = add_member(world.project, idle, Role.VIEWER)
    client.force_login(world.user("lead"))
    page = client.get(f"/projects/{world.project.pk}/members/{membership.pk}/remove/").content.decode()
    assert 'data-testid="held-nothing"' in page
    assert client.post(f"/projects/{world.project.pk}/members/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
