"""The gap-analysis rule of the Stage 1 gate: the latest gap assessment is finalised, and none of
its answers is "not applicable" without a reason (an unexplained exclusion the standard forbids)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from gapanalysis.models import AssessmentStatus, Response, Result
from gapanalysis.selectors import latest_gap_assessment
from kernel.extensions import Blocker, ReadinessGroup

CATEGORY_GAP = gettext_noop("Gap analysis")  # a key: translated where shown

GROUPS = (
    # First: the gap analysis says what the rest of the work is.
    ReadinessGroup(
        CATEGORY_GAP,
        5,
        gettext_lazy("gap analysis to complete"),
        gettext_lazy("gap analysis issues to resolve"),
        gettext_lazy("Open the gap analysis"),
        lambda project: reverse("gapanalysis:list", args=[project.pk]),
    ),
)


def gap_readiness_blockers(project) -> list[Blocker]:
    latest = latest_gap_assessment(project)
    if latest is None:
        return []
    url = reverse("gapanalysis:overview", args=[project.pk, latest.pk])
    if latest.status != AssessmentStatus.FINALISED:
        return [
            Blocker(
                CATEGORY_GAP,
                _("The latest gap assessment “%(title)s” is not finalised.") % {"title": latest.title},
                url,
            )
        ]
    # Finalised before reasons were required: an unexplained N/A is an exclusion the standard forbids.
    unexplained = (
        Response.objects.filter(assessment=latest, result=Result.NOT_APPLICABLE)
        .filter(Q(notes="") | Q(notes__regex=r"^\s*$"))
        .count()
    )
    if not unexplained:
        return []
    return [
        Blocker(
            CATEGORY_GAP,
            ngettext(
                "The latest gap assessment “%(title)s” has %(count)d answer marked not applicable "
                "without a reason; reopen it and say why each does not apply.",
                "The latest gap assessment “%(title)s” has %(count)d answers marked not applicable "
                "without a reason; reopen it and say why each does not apply.",
                unexplained,
            )
            % {"title": latest.title, "count": unexplained},
            url + "#not-applicable",
        )
    ]
