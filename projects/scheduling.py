"""Back-scheduling the roadmap from the target certification date, and the slip forecast."""

from dataclasses import dataclass
from datetime import date, timedelta

from .roadmap import ROADMAP, PhaseDefinition

MIN_PLANNING_DAYS = 28  # below four weeks the fourteen phases cannot get a day each with margin


def add_days(day: date, days: int) -> date:
    """day + days, held to the calendar's ends: stored dates may be as extreme as 9999-12-31."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


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
    boundaries.append(add_days(target, 1))
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

    Done and skipped phases keep their real end. A running phase is extrapolated from its pace
    so far, or from its plan while it has too little progress to judge (see _remaining_days).
    Phases not started keep their planned duration and start no earlier than the previous
    projected end.
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
            phase.planned_start if cursor is None else max(phase.planned_start, add_days(cursor, 1))
        )
        if phase.status in ("in_progress", "blocked") and phase.actual_start:
            end = max(add_days(today, _remaining_days(phase, duration, today)), earliest)
        else:
            begin = max(earliest, today)
            end = add_days(begin, duration - 1)
        cursor = end
    finish = cursor or target
    return Forecast(projected_finish=finish, target=target, slip_days=(finish - target).days)


PACE_MIN_SHARE = 0.15  # below this the pace so far says little; trust the plan instead
PACE_MAX_FACTOR = 3  # never forecast more than three planned durations for one phase


def _remaining_days(phase, duration: int, today: date) -> int:
    """Days a running phase still needs: from its pace once it has some progress, else from the plan."""
    share_done = phase.progress / 100
    by_plan = max((phase.planned_end - today).days, round(duration * (1 - share_done)), 0)
    if share_done < PACE_MIN_SHARE:
        return by_plan
    elapsed = max((today - phase.actual_start).days, 1)
    by_pace = round(elapsed * (1 - share_done) / share_done)
    return min(by_pace, duration * PACE_MAX_FACTOR)
