"""Auditor competence records (7.2): training, qualifications and other audit experience typed in,
and the audits each person did in the project, counted from the programme (never typed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.models import Membership, Project, Role
from projects.services import activity_record

from .models import HELD_STATUSES, Audit, AuditorCompetence, AuditType

COMPETENCE_FIELDS = ("person", "kind", "title", "obtained_on", "expires_on", "evidence")


@dataclass
class AuditorRecord:
    person: object
    lines: list[AuditorCompetence] = field(default_factory=list)
    audits_done: int = 0  # held internal audits they led or were on the team of


def auditor_records(project) -> list[AuditorRecord]:
    """Every lead and auditor of the project, and anyone with a competence line, with the held
    internal audits they took part in (3 queries)."""
    records: dict[int, AuditorRecord] = {}
    for membership in (
        Membership.objects.filter(project=project, role__in=(Role.LEAD, Role.AUDITOR))
        .select_related("user")
        .order_by("user__username")
    ):
        records[membership.user_id] = AuditorRecord(person=membership.user)
    for line in AuditorCompetence.objects.filter(project=project).select_related("person"):
        records.setdefault(line.person_id, AuditorRecord(person=line.person)).lines.append(line)
    held = Audit.objects.filter(project=project, audit_type=AuditType.INTERNAL, status__in=HELD_STATUSES)
    seen: dict[int, set[int]] = {}
    for audit_id, lead_id, member_id in held.values_list("pk", "lead_auditor_id", "team__id"):
        for person_id in {lead_id, member_id} - {None}:
            seen.setdefault(person_id, set()).add(audit_id)
    for person_id, record in records.items():
        record.audits_done = len(seen.get(person_id, ()))
    return sorted(records.values(), key=lambda r: r.person.username)


def _check_person(project: Project, person) -> None:
    allowed = Membership.objects.filter(project=project, user=person).filter(
        Q(role=Role.LEAD) | Q(role=Role.AUDITOR)
    )
    if not allowed.exists():
        raise ValidationError({"person": _("Competence records are kept for the lead and the auditors.")})


@transaction.atomic
def competence_create(*, project: Project, user, **fields) -> AuditorCompetence:
    line = AuditorCompetence(
        project=project, created_by=user, **{k: v for k, v in fields.items() if k in COMPETENCE_FIELDS}
    )
    line.title = (line.title or "").strip()
    _check_person(project, line.person)
    line.full_clean()
    line.save()
    activity_record(
        project=project,
        actor=user,
        verb="competence",
        message=gettext_noop("Competence record for %(username)s: %(title)s"),
        values={"username": line.person.username, "title": line.title},
        url=reverse("audits:competence_list", args=[project.pk]),
    )
    return line


@transaction.atomic
def competence_delete(*, line: AuditorCompetence, user) -> None:
    project, values = line.project, {"username": line.person.username, "title": line.title}
    line.delete()
    activity_record(
        project=project,
        actor=user,
        verb="competence",
        message=gettext_noop("Competence record for %(username)s removed: %(title)s"),
        values=values,
        url=reverse("audits:competence_list", args=[project.pk]),
    )
