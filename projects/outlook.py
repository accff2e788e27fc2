"""The schedule's outlook beside the forecast finish (issue 25 §2.2): "On track" only when nothing
says otherwise. The forecast extrapolates the phases' pace, so it can still land before the target
while a phase is past its planned end, tasks are overdue or Stage 1 is near with blockers left;
those make the outlook "at risk", each named as a reason. A forecast after the target is "late".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .roadmap import PhaseKey
from .scheduling import Forecast

# Stage 1 blockers are expected months before the audit (nothing is done yet); within this many
# days of the Stage 1 phase, or once the audit is on the roadmap's "now", they put the date at risk.
BLOCKERS_MATTER_WITHIN = timedelta(days=60)

ON_TRACK, AT_RISK, LATE = "on_track", "at_risk", "late"


@dataclass(frozen=True)
class Outlook:
    forecast: Forecast
    verdict: str
    reasons: list[str] = field(default_factory=list)

    @property
    def on_track(self) -> bool:
        return self.verdict == ON_TRACK

    @property
    def at_risk(self) -> bool:
        return self.verdict == AT_RISK

    @property
    def late(self) -> bool:
        return self.verdict == LATE

    @property
    def label(self) -> str:
        if self.late:
            return ngettext("%(days)d day late", "%(days)d days late", self.forecast.slip_days) % {
                "days": self.forecast.slip_days
            }
        return _("At risk") if self.at_risk else _("On track")


def stage1_near(phases, today: date) -> bool:
    """Whether Stage 1 readiness counts for the outlook yet (the blockers are worth computing)."""
    stage1 = next((p for p in phases if p.key == PhaseKey.STAGE_1), None)
    return (
        stage1 is not None and not stage1.is_closed and stage1.planned_start - today <= BLOCKERS_MATTER_WITHIN
    )


def schedule_outlook(
    forecast: Forecast, *, phases, overdue_tasks: int, today: date, stage1_blockers: int | None = None
) -> Outlook:
    """`stage1_blockers` None: not computed (Stage 1 is not near, see stage1_near)."""
    late = [p for p in phases if p.is_late_on(today)]
    reasons = []
    if late:
        reasons.append(
            ngettext(
                "phase %(labels)s is past its planned end",
                "phases %(labels)s are past their planned end",
                len(late),
            )
            % {"labels": ", ".join(p.label.rstrip(".") for p in late)}
        )
    if overdue_tasks:
        reasons.append(
            ngettext("%(count)d task overdue", "%(count)d tasks overdue", overdue_tasks)
            % {"count": overdue_tasks}
        )
    if stage1_blockers and stage1_near(phases, today):
        reasons.append(
            ngettext(
                "%(count)d item still blocks Stage 1",
                "%(count)d items still block Stage 1",
                stage1_blockers,
            )
            % {"count": stage1_blockers}
        )
    if forecast.slip_days > 0:
        return Outlook(forecast, LATE, reasons)
    return Outlook(forecast, AT_RISK if reasons else ON_TRACK, reasons)
