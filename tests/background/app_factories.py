"""Records of the other apps for the background-work tests, made through their services."""

from datetime import timedelta
from itertools import cycle

from django.utils import timezone

from audits import reviews as review_services
from audits import services as audit_services
from audits.models import AuditType, Finding, Grade
from gapanalysis import services as gap_services
from gapanalysis.models import Response, Result
from tests.gapanalysis.factories import iso_template

RESULTS = (Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.CONFORMANT, Result.NOT_APPLICABLE)


def make_gap_assessment(project, *, user, title="Baseline gap analysis", answer_all=True):
    template = iso_template()  # reloaded if a transactional test flushed the migration's data
    assessment = gap_services.assessment_create(project=project, template=template, title=title, user=user)
    if answer_all:
        results = cycle(RESULTS)
        for response in Response.objects.filter(assessment=assessment).order_by("id"):
            Response.objects.filter(pk=response.pk).update(
                result=next(results), notes=f"Observed during the workshop ({response.pk})."
            )
    return assessment


def make_audit(project, *, user, auditor, title="Internal audit 1", start_in=20, findings=0, owner=None):
    today = timezone.localdate()
    iso_template()  # the clauses an audit's scope is checked against
    audit = audit_services.audit_create(
        project=project,
        user=user,
        scope_clauses=["8.1", "9.2"],
        team=[auditor],
        audit_type=AuditType.INTERNAL,
        title=title,
        planned_start=today + timedelta(days=start_in),
        planned_end=today + timedelta(days=start_in + 2),
        lead_auditor=auditor,
    )
    grades = cycle((Grade.MINOR_NC, Grade.MAJOR_NC, Grade.OBSERVATION, Grade.OFI))
    made = []
    for index in range(findings):
        grade = next(grades)
        fields = {}
        if grade in (Grade.MINOR_NC, Grade.MAJOR_NC):
            fields = {"owner": owner or user, "due_date": today + timedelta(days=30)}
        finding = audit_services.finding_create(
            audit=audit,
            user=auditor,
            grade=grade,
            clause="8.1",
            description=f"Finding {index + 1}: the operational planning records are incomplete.",
            evidence="Sampled three change records.",
            **fields,
        )
        if fields:  # nonconformities: the root cause comes before any corrective action
            Finding.objects.filter(pk=finding.pk).update(
                root_cause="Planning step skipped under time pressure."
            )
            finding.refresh_from_db()
        made.append(finding)
    return audit, made


def make_review(project, *, user, attendees=()):
    return review_services.review_create(
        project=project,
        user=user,
        title="Management review Q4",
        meeting_date=timezone.localdate() + timedelta(days=5),
        attendees=attendees,
    )
