"""The roadmap rule of the Stage 1 gate: phases 1–12 done (optional ones may be skipped)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kernel.extensions import Blocker, ReadinessGroup
from projects.models import PhaseStatus
from projects.roadmap import CERTIFICATION_STAGES

# Categories are keys (webhook payloads count by them): marked here, translated where shown.
CATEGORY_ROADMAP = gettext_noop("Roadmap")

GROUPS = (
    # Last: the phases close once the work the other groups ask for is done.
    ReadinessGroup(
        CATEGORY_ROADMAP,
        90,
        gettext_lazy("roadmap phase not done"),
        gettext_lazy("roadmap phases not done"),
        gettext_lazy("Open the roadmap"),
        lambda project: reverse("projects:roadmap", args=[project.pk]),
    ),
)


def roadmap_phases_not_done(project) -> list[Blocker]:
    """Phases 1–12 must be done (optional ones may be skipped) before Stage 1."""
    open_phases = project.phases.exclude(key__in=CERTIFICATION_STAGES).exclude(
        status__in=(PhaseStatus.DONE, PhaseStatus.SKIPPED)
    )
    return [
        Blocker(
            CATEGORY_ROADMAP,
            _("Phase %(label)s %(title)s is %(status)s.")
            % {
                "label": phase.label,
                "title": phase.display_title,
                "status": phase.get_status_display().lower(),
            },
            reverse("projects:phase_detail", args=[project.pk, phase.pk]),
        )
        for phase in open_phases.order_by("order")
    ]
