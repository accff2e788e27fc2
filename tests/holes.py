"""Data with holes, as real projects have them within weeks.

`add_holes(project, lead=...)` adds to a project: an overdue task nobody is assigned to, phases
without an owner, an audit without a lead auditor (with a finding nobody owns), a management review
whose action nobody is assigned to, a gap assessment without auditors, a document without an owner
or approver, and a former member (membership removed) who still owns a task, a phase, a finding, a
corrective action, an improvement and a document. Every page, PDF, export and digest must render
with them (tests/production/test_holes.py).
"""

from dataclasses import dataclass

from django.utils import timezone

from audits.models import Audit, CorrectiveAction, Finding, Grade, Improvement
from audits.reviews import review_action_create
from documents.models import Document
from projects.models import Membership, Phase, Role, Task
from tests.factories import (
    UserFactory,
    add_member,
    make_action,
    make_assessment,
    make_audit,
    make_finding,
    make_review,
    make_task,
)


@dataclass
class Holes:
    unassigned_task: Task
    ownerless_phase: Phase
    audit_without_lead: Audit
    ownerless_finding: Finding
    unassigned_review_task: Task
    former_member: object
    former_members_task: Task
    former_members_action: CorrectiveAction


def unassigned_overdue_task(project, **fields):
    return make_task(project, title=fields.pop("title", "Nobody's overdue task"), assignee=None, due_in=-9)


def ownerless_phase(project, key="3"):
    Phase.objects.filter(project=project, key=key).update(owner=None)
    return project.phases.get(key=key)


def audit_without_lead_auditor(project, *, user, **fields):
    """An audit whose lead auditor was never chosen (or left): the field is nullable."""
    audit = make_audit(project, user=user, title=fields.pop("title", "Audit without a lead"), **fields)
    Audit.objects.filter(pk=audit.pk).update(lead_auditor=None)
    audit.refresh_from_db()
    return audit


def removed_member_who_owns_things(project, *, lead, username="former"):
    """A member who owned work and was then removed (their membership row deleted, nothing reassigned)."""
    former = UserFactory(username=username)
    add_member(project, former, Role.AUDITOR)
    task = make_task(project, title="Former member's overdue task", assignee=former, due_in=-3)
    Phase.objects.filter(project=project, key="7").update(owner=former)
    audit = make_audit(project, user=lead, title="Audit led by a former member", lead_auditor=former)
    finding = make_finding(audit, user=lead, owner=former, description="Former member's finding.")
    action = make_action(finding, user=lead, owner=former, due_in=-2)
    Improvement.objects.create(project=project, title="Former member's improvement", owner=former)
    Document.objects.create(
        project=project, code="HOLE-1", title="Former member's document", doc_type="procedure", owner=former
    )
    Membership.objects.filter(project=project, user=former).delete()
    return former, task, action


def add_holes(project, *, lead) -> Holes:
    task = unassigned_overdue_task(project)
    phase = ownerless_phase(project)
    ownerless_phase(project, key="12")
    audit = audit_without_lead_auditor(project, user=lead)
    finding = make_finding(audit, user=lead, grade=Grade.MAJOR_NC, owner=None, description="Nobody owns it.")
    review = make_review(project, user=lead)
    action = review_action_create(
        review=review, user=lead, title="Review action nobody took", due_date=timezone.localdate()
    )
    make_assessment(project, user=lead, title="Assessment without auditors", clause_numbers=["4.1"])
    Document.objects.create(project=project, code="HOLE-0", title="Document nobody owns", doc_type="record")
    former, former_task, former_action = removed_member_who_owns_things(project, lead=lead)
    return Holes(
        unassigned_task=task,
        ownerless_phase=phase,
        audit_without_lead=audit,
        ownerless_finding=finding,
        unassigned_review_task=action.task,
        former_member=former,
        former_members_task=former_task,
        former_members_action=former_action,
    )
