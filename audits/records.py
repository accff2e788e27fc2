"""The mandatory records the audits app holds itself (documents.records asks through
kernel.extensions.record_sources): satisfied from the data, with a link, in one query.
Delete the data and the record is missing again."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import ngettext

from kernel.extensions import HeldRecord
from projects.models import Project

from .models import (
    HELD_STATUSES,
    NC_GRADES,
    Audit,
    AuditType,
    Finding,
    Improvement,
    ManagementReview,
    ReviewStatus,
)


def _count(queryset):
    counted = queryset.order_by().values("project").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def held_records(project) -> dict[str, HeldRecord]:
    """REC-16 to REC-20 from the audit programme, held audits, final reviews, nonconformities and
    the improvement register (1 query)."""
    mine = {"project": OuterRef("pk")}
    internal = Audit.objects.filter(audit_type=AuditType.INTERNAL, **mine)
    counts = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            n_planned=_count(internal),
            n_held=_count(internal.filter(status__in=HELD_STATUSES)),
            n_reviews=_count(ManagementReview.objects.filter(status=ReviewStatus.FINAL, **mine)),
            n_ncs=_count(Finding.objects.filter(grade__in=NC_GRADES, **mine)),
            n_improvements=_count(Improvement.objects.filter(**mine)),
        )
        .values("n_planned", "n_held", "n_reviews", "n_ncs", "n_improvements")
        .first()
    ) or dict.fromkeys(("n_planned", "n_held", "n_reviews", "n_ncs", "n_improvements"), 0)

    def url(name):
        return reverse(name, args=[project.pk])

    return {
        "REC-16": HeldRecord(
            counts["n_planned"] > 0,
            ngettext(
                "%(count)s internal audit in the audit programme",
                "%(count)s internal audits in the audit programme",
                counts["n_planned"],
            )
            % {"count": counts["n_planned"]},
            url("audits:programme"),
        ),
        "REC-17": HeldRecord(
            counts["n_held"] > 0,
            ngettext(
                "%(count)s internal audit held with a report",
                "%(count)s internal audits held with a report",
                counts["n_held"],
            )
            % {"count": counts["n_held"]},
            url("audits:programme"),
        ),
        "REC-18": HeldRecord(
            counts["n_reviews"] > 0,
            ngettext(
                "%(count)s management review with final minutes",
                "%(count)s management reviews with final minutes",
                counts["n_reviews"],
            )
            % {"count": counts["n_reviews"]},
            url("audits:review_list"),
        ),
        # No nonconformity raised by a held audit is a result too: the audit report records it.
        "REC-19": HeldRecord(
            counts["n_ncs"] > 0 or counts["n_held"] > 0,
            ngettext(
                "%(count)s nonconformity with their corrective actions",
                "%(count)s nonconformities with their corrective actions",
                counts["n_ncs"],
            )
            % {"count": counts["n_ncs"]}
            if counts["n_ncs"]
            else ngettext(
                "No nonconformity raised in %(count)s held audit",
                "No nonconformity raised in %(count)s held audits",
                counts["n_held"],
            )
            % {"count": counts["n_held"]},
            url("audits:finding_list"),
        ),
        "REC-20": HeldRecord(
            counts["n_improvements"] > 0,
            ngettext(
                "%(count)s opportunity in the register",
                "%(count)s opportunities in the register",
                counts["n_improvements"],
            )
            % {"count": counts["n_improvements"]},
            url("audits:improvement_list"),
        ),
    }
