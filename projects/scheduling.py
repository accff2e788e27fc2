"""Back-scheduling the roadmap from the target certification date, and the slip forecast."""

from dataclasses import dataclass
from datetime import date, timedelta

from .roadmap import ROADMAP, PhaseDefinition

MIN_PLANNING_DAYS = 28  # below four weeks the fourteen phases cannot get a day each with margin


@dataclass(frozen=True)
class PlannedPhase:
    definition: PhaseDefinition
    start: date
    end: date


def back_schedule(start: date, target: date) -> list[PlannedPhase]:
    """Fit the phases between start and target, in order, each in proportion to its weight.

    Stage 2 ends on the target date; every phase ends the day before the next begins.
    """
    days = (target - start).days + 1
    if days < len(ROADMAP):
        raise ValueError("The target date is too close to the start date to plan the roadmap.")
    total_weeks = sum(d.weeks for d in ROADMAP)
    boundaries, cumulative = [], 0
    for definition in ROADMAP:
        boundaries.append(start + timedelta(days=round(days * cumulative / total_weeks)))
        cumulative += definition.weeks
    boundaries.append(target + timedelta(days=1))
    return [
        PlannedPhase(d, boundaries[i], max(boundaries[i], boundaries[i + 1] - timedelta(days=1)))
        for i, d in enumerate(ROADMAP)
    ]


@dataclass(frozen=True)
class Forecast:
    projected_finish: date
    target: date
    slip_days: int  # positive: late

    @property
    def on_track(self) -> bool:
        return self.slip_days <= 0

    @property
    def spare_days(self) -> int:
        return max(-self.slip_days, 0)


def forecast_finish(phases, target: date, today: date) -> Forecast:
    """Project the finish date from each phase's progress and dates.

    Done and skipped phases keep their real end. A running phase is extrapolated from the pace
    so far (or, with no progress yet, needs its whole planned duration from today). Phases not
    started keep their planned duration and start no earlier than the previous projected end.
    """
    cursor = None  # projected end of the previous phase
    for phase in phases:
        duration = (phase.planned_end - phase.planned_start).days + 1
        if phase.status == "skipped":
            continue
        if phase.status == "done":
            cursor = phase.actual_end or phase.planned_end
            continue
        earliest = (
            phase.planned_start if cursor is None else max(phase.planned_start, cursor + timedelta(days=1))
        )
        if phase.status in ("in_progress", "blocked") and phase.actual_start:
            elapsed = max((today - phase.actual_start).days, 1)
            share_done = phase.progress / 100
            if share_done > 0:
                remaining = round(elapsed * (1 - share_done) / share_done)
            else:
                remaining = duration
            end = max(today + timedelta(days=remaining), earliest)
        else:
            begin = max(earliest, today)
            end = begin + timedelta(days=duration - 1)
        cursor = end
    finish = cursor or target
    return Forecast(projected_finish=finish, target=target, slip_days=(finish - target).days)
