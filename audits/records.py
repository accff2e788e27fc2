"""The mandatory records the audits app holds itself (documents.records asks through
sms_tracker.core.extensions.record_sources): satisfied from the data, with a link, in one query.
Delete the data and the record is missing again."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from projects.models import Project
from sms_tracker.core.extensions import HeldRecord

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


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def held_records(project) -> dict[str, HeldRecord]:
    """REC-16 to REC-20 from the audit programme, held audits, final reviews, nonconformities and
    the improvement register (1 query)."""
    mine = {"project": OuterRef("pk")}
    internal = Audit.objects.filter(audit_type=AuditType.INTERNAL, **mine)
    counts = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            planned=_count(internal),
            held=_count(internal.filter(status__in=HELD_STATUSES)),
            reviews=_count(ManagementReview.objects.filter(status=ReviewStatus.FINAL, **mine)),
            ncs=_count(Finding.objects.filter(grade__in=NC_GRADES, **mine)),
            improvements=_count(Improvement.objects.filter(**mine)),
        )
        .values("planned", "held", "reviews", "ncs", "improvements")
        .first()
    ) or dict.fromkeys(("planned", "held", "reviews", "ncs", "improvements"), 0)

    def url(name):
        return reverse(name, args=[project.pk])

    return {
        "REC-16": HeldRecord(
            counts["planned"] > 0,
            f"{_plural(counts['planned'], 'internal audit')} in the audit programme",
            url("audits:programme"),
        ),
        "REC-17": HeldRecord(
            counts["held"] > 0,
            f"{_plural(counts['held'], 'internal audit')} held with a report",
            url("audits:programme"),
        ),
        "REC-18": HeldRecord(
            counts["reviews"] > 0,
            f"{_plural(counts['reviews'], 'management review')} with final minutes",
            url("audits:review_list"),
        ),
        "REC-19": HeldRecord(
            counts["ncs"] > 0,
            f"{_plural(counts['ncs'], 'nonconformity', 'nonconformities')} with their corrective actions",
            url("audits:finding_list"),
        ),
        "REC-20": HeldRecord(
            counts["improvements"] > 0,
            f"{_plural(counts['improvements'], 'opportunity', 'opportunities')} in the improvement register",
            url("audits:improvement_list"),
        ),
    }
