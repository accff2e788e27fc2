"""The audits rules of the two readiness gates.

Stage 1: every clause covered by an internal audit of the cycle by answered checklist questions, a
finalised management review within the last 12 months, no open major nonconformity, no minor one
past its due date. Stage 2 also: a Stage 1 audit held, each of its areas of concern closed or
accepted by the lead, the full operating period of every process, and a management review held
after the latest internal audit and within the last 12 months. Auditor independence problems and
majors left unverified too long are shown beside the gates as warnings."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audits import certification, selectors
from audits.certification_models import AreaOfConcern, ConcernStatus
from audits.models import HELD_STATUSES, Audit, AuditType, ManagementReview, ReviewStatus
from kernel.extensions import Blocker, ReadinessGroup
from projects.scheduling import add_months

# Categories are keys (webhook payloads count by them): marked here, translated where shown.
CATEGORY_AUDIT = gettext_noop("Internal audit")
CATEGORY_REVIEW = gettext_noop("Management review")
CATEGORY_NC = gettext_noop("Nonconformities")
CATEGORY_STAGE1 = gettext_noop("Certification Stage 1")
CATEGORY_CONCERNS = gettext_noop("Areas of concern")
CATEGORY_OPERATION = gettext_noop("Operating evidence")  # the documents app's category: one group on the page
CATEGORY_INDEPENDENCE = gettext_noop("Auditor independence")
CATEGORY_CERTIFICATION = gettext_noop("Certification decision")
KIND_UNCOVERED = gettext_noop("Not covered by an internal audit held in this cycle")
REVIEW_MAX_AGE_MONTHS = 12

GROUPS = (
    ReadinessGroup(
        CATEGORY_AUDIT,
        40,
        gettext_lazy("clause not yet covered"),
        gettext_lazy("clauses not yet covered"),
        gettext_lazy("Plan audits"),
        lambda project: reverse("audits:programme", args=[project.pk]),
    ),
    ReadinessGroup(
        CATEGORY_NC,
        50,
        gettext_lazy("nonconformity to resolve"),
        gettext_lazy("nonconformities to resolve"),
        gettext_lazy("Open the findings"),
        lambda project: reverse("audits:finding_list", args=[project.pk]),
    ),
    ReadinessGroup(
        CATEGORY_STAGE1,
        35,
        gettext_lazy("Stage 1 audit to hold"),
        gettext_lazy("Stage 1 audits to hold"),
        gettext_lazy("Open the audit programme"),
        lambda project: reverse("audits:programme", args=[project.pk]),
    ),
    ReadinessGroup(
        CATEGORY_CONCERNS,
        36,
        gettext_lazy("area of concern to resolve"),
        gettext_lazy("areas of concern to resolve"),
        gettext_lazy("Open the areas of concern"),
        lambda project: reverse("audits:concern_list", args=[project.pk]),
    ),
    ReadinessGroup(
        CATEGORY_INDEPENDENCE,
        90,
        gettext_lazy("independence warning"),
        gettext_lazy("independence warnings"),
    ),
    ReadinessGroup(
        CATEGORY_REVIEW,
        60,
        gettext_lazy("management review to hold"),
        gettext_lazy("management reviews to hold"),
        gettext_lazy("Hold the management review"),
        lambda project: reverse("audits:review_list", args=[project.pk]),
    ),
)


def _latest_final_review(project):
    return (
        ManagementReview.objects.filter(project=project, status=ReviewStatus.FINAL)
        .order_by("-meeting_date", "-id")
        .only("id", "project_id", "meeting_date", "title")
        .first()
    )


def _review_too_old(review, today: date) -> bool:
    return review.meeting_date < add_months(today, -REVIEW_MAX_AGE_MONTHS)


def stage1_blockers(project) -> list[Blocker]:
    """Clauses not covered by answered checklist questions of an internal audit held in the cycle;
    no recent finalised management review; open majors; minors past their due date."""
    today = timezone.localdate()
    blockers = []
    programme_url = reverse("audits:programme", args=[project.pk])
    for clause in selectors.uncovered_clauses(project):
        blockers.append(
            Blocker(
                CATEGORY_AUDIT,
                _("Clause %(clause)s is not covered by an internal audit held in this cycle.")
                % {"clause": clause.label},
                programme_url,
                kind=KIND_UNCOVERED,
                subject=clause.number,
            )
        )
    review = _latest_final_review(project)
    reviews_url = reverse("audits:review_list", args=[project.pk])
    if review is None:
        blockers.append(
            Blocker(CATEGORY_REVIEW, _("No management review has finalised minutes."), reviews_url)
        )
    elif _review_too_old(review, today):
        blockers.append(
            Blocker(
                CATEGORY_REVIEW,
                _(
                    "The latest finalised management review was held on %(date)s, more "
                    "than %(months)d months ago."
                )
                % {
                    "date": formats.date_format(review.meeting_date, "DATE_FORMAT"),
                    "months": REVIEW_MAX_AGE_MONTHS,
                },
                reviews_url,
            )
        )
    for finding in selectors.open_major_ncs(project).order_by("number"):
        blockers.append(
            Blocker(
                CATEGORY_NC,
                _("Major nonconformity %(reference)s (clause %(clause)s) is still open.")
                % {"reference": finding.reference, "clause": finding.clause},
                finding.get_absolute_url(),
            )
        )
    for finding in selectors.overdue_minor_ncs(project).order_by("number"):
        blockers.append(
            Blocker(
                CATEGORY_NC,
                _("Minor nonconformity %(reference)s (clause %(clause)s) is past its due date (%(date)s).")
                % {
                    "reference": finding.reference,
                    "clause": finding.clause,
                    "date": formats.date_format(finding.due_date, "DATE_FORMAT"),
                },
                finding.get_absolute_url(),
            )
        )
    return blockers


def stage2_blockers(project) -> list[Blocker]:
    """Stage 1 held; its areas of concern resolved; a management review after the latest internal
    audit and within the last 12 months. (The operating period: operating_period_blockers.)"""
    today = timezone.localdate()
    blockers = []
    audits_url = reverse("audits:programme", args=[project.pk])
    if not Audit.objects.filter(
        project=project, audit_type=AuditType.STAGE1, status__in=HELD_STATUSES
    ).exists():
        blockers.append(
            Blocker(CATEGORY_STAGE1, _("No Stage 1 audit is held yet (its report issued)."), audits_url)
        )
    for concern in AreaOfConcern.objects.filter(project=project, status=ConcernStatus.OPEN).order_by(
        "number"
    ):
        if concern.due_date:
            message = _(
                "Area of concern %(reference)s is open, due %(date)s: close it with evidence, or the lead "
                "accepts it with a reason."
            ) % {"reference": concern.reference, "date": formats.date_format(concern.due_date, "DATE_FORMAT")}
        else:
            message = _(
                "Area of concern %(reference)s is open: close it with evidence, or the lead "
                "accepts it with a reason."
            ) % {"reference": concern.reference}
        blockers.append(
            Blocker(
                CATEGORY_CONCERNS,
                message,
                concern.get_absolute_url(),
            )
        )
    latest_audit = (
        Audit.objects.filter(project=project, audit_type=AuditType.INTERNAL, status__in=HELD_STATUSES)
        .order_by("-planned_end")
        .values_list("planned_end", "title")
        .first()
    )
    review = _latest_final_review(project)
    reviews_url = reverse("audits:review_list", args=[project.pk])
    if review is not None and not _review_too_old(review, today):
        if latest_audit is not None and review.meeting_date < latest_audit[0]:
            blockers.append(
                Blocker(
                    CATEGORY_REVIEW,
                    _(
                        "The latest finalised management review (%(date)s) was held "
                        "before the latest internal audit “%(audit)s” ended "
                        "(%(end)s): review its results."
                    )
                    % {
                        "date": formats.date_format(review.meeting_date, "DATE_FORMAT"),
                        "audit": latest_audit[1],
                        "end": formats.date_format(latest_audit[0], "DATE_FORMAT"),
                    },
                    reviews_url,
                )
            )
    return blockers


def operating_period_met(project, stage: int) -> list:
    """The processes short of what the stage needs, from the documents app's operating-evidence rule
    (documents.operation.selectors.process_statuses). Stage 2 needs the full minimum period
    (`status.enough`); the Stage 1 rule stays with the documents app's own blocker source."""
    from documents.operation.selectors import process_statuses

    statuses = process_statuses(project, today=timezone.localdate())
    if stage == 2:
        return [status for status in statuses if not status.enough]
    return []


def operating_period_blockers(project) -> list[Blocker]:
    return [
        Blocker(
            CATEGORY_OPERATION,
            _(
                "%(process)s: %(months)s of %(minimum)s months of operating evidence; "
                "Stage 2 needs the full minimum period."
            )
            % {"process": status.process.label, "months": status.months, "minimum": status.minimum},
            reverse("documents:operation_process", args=[project.pk, status.process.slug]),
        )
        for status in operating_period_met(project, 2)
    ]


def readiness_warnings(project) -> list[Blocker]:
    programme = selectors.programme_for(project)
    # The cycle's audits chosen in SQL, without the finding counts the programme page shows: they
    # counted every finding of the project and grew with it.
    audits = list(
        Audit.objects.filter(
            project=project,
            planned_start__gte=programme.cycle_start,
            planned_start__lte=selectors.cycle_end(programme.cycle_start),
        )
        .select_related("lead_auditor")
        .prefetch_related("team")
        .order_by("planned_start", "id")
    )
    warnings = [
        Blocker(CATEGORY_INDEPENDENCE, warning.message, warning.url)
        for warning in selectors.independence_warnings(project, audits)
    ]
    findings_url = reverse("audits:finding_list", args=[project.pk])
    warnings += [
        Blocker(CATEGORY_CERTIFICATION, message, findings_url)
        for message in certification.unverified_major_warnings(project)
    ]
    return warnings
