"""Back-scheduling the roadmap from the target certification date, and the slip forecast."""

import functools
import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import formats
from django.utils.translation import gettext as _

from .roadmap import ROADMAP, PhaseDefinition, PhaseKey

DEFAULT_OPERATING_MONTHS = 3


def add_days(day: date, days: int) -> date:
    """day + days, held to the calendar's ends: stored dates may be as extreme as 9999-12-31."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter), held to the calendar."""
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return date.max


@functools.lru_cache(maxsize=32)
def operating_min_days(months: int) -> int:
    """Days that hold `months` calendar months whatever day they start on: the longest such span over
    a whole leap-year cycle (the phase's start is not known before the days are shared out)."""
    first = date(2024, 1, 1)
    return max(
        (add_months(first + timedelta(days=i), months) - (first + timedelta(days=i))).days
        for i in range(4 * 366)
    )


@dataclass(frozen=True)
class PlannedPhase:
    definition: PhaseDefinition
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class ScheduleTooShort(ValueError):
    """The target leaves less than the phases' minimum durations; `earliest` is the first that fits."""

    def __init__(self, earliest: date, needed_days: int, operating_months: int):
        self.earliest, self.needed_days, self.operating_months = earliest, needed_days, operating_months
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "The roadmap cannot fit before this target date: it needs at least %(weeks)d "
            "weeks — a %(months)d-month operating period with records, two weeks of "
            "internal audit, and two to eight weeks between Stage 1 and Stage 2 to fix the Stage 1 "
            "findings. The earliest realistic target date is %(date)s."
        ) % {
            "weeks": self.needed_days // 7,
            "months": self.operating_months,
            "date": formats.date_format(self.earliest, "DATE_FORMAT"),
        }


def _limits(operating_months: int) -> list[tuple[int, int | None]]:
    limits = []
    for definition in ROADMAP:
        operation = definition.key == PhaseKey.OPERATION
        low = operating_min_days(operating_months) if operation else definition.min_days
        limits.append((low, definition.max_days))
    return limits


def minimum_days(operating_months: int = DEFAULT_OPERATING_MONTHS) -> int:
    """The shortest roadmap, start to target inclusive, that gives every phase its minimum."""
    return sum(low for low, _ in _limits(operating_months))


def earliest_target(start: date, operating_months: int = DEFAULT_OPERATING_MONTHS) -> date:
    return add_days(start, minimum_days(operating_months) - 1)


def _allocate(days: int, weights: list[int], limits: list[tuple[int, int | None]]) -> list[int]:
    """Share `days` in proportion to `weights`, holding each share between its limits.

    Water-filling: shares below their minimum are fixed at it (the rest shared again), then shares
    above their maximum are fixed at that; repeat until every free share is inside its limits.
    Whole days at the end, the leftover going to the largest fractions, so the total is exact."""
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        remaining = days - sum(fixed.values())
        if not free:
            # Every share at a limit: what is left goes to the phase without a maximum, operating.
            operation = next(i for i, d in enumerate(ROADMAP) if d.key == PhaseKey.OPERATION)
            fixed[operation] += remaining
            return [fixed[i] for i in range(len(weights))]
        total = sum(weights[i] for i in free)
        shares = {i: remaining * weights[i] / total for i in free}
        under = [i for i in free if shares[i] < limits[i][0]]
        over = [i for i in free if limits[i][1] is not None and shares[i] > limits[i][1]]
        if under:
            fixed.update({i: limits[i][0] for i in under})
        elif over:
            fixed.update({i: limits[i][1] for i in over})
        else:
            break
    whole = {i: math.floor(share) for i, share in shares.items()}
    leftover = remaining - sum(whole.values())
    for i in sorted(free, key=lambda i: (whole[i] - shares[i], i))[:leftover]:
        whole[i] += 1
    return [fixed.get(i, whole.get(i)) for i in range(len(weights))]


def back_schedule(
    start: date, target: date, *, operating_months: int = DEFAULT_OPERATING_MONTHS
) -> list[PlannedPhase]:
    """Fit the phases between start and target, in order, each in proportion to its weight but
    never below its minimum duration (nor above its maximum).

    Stage 2 ends on the target date; every phase ends the day before the next begins. A target
    that leaves less than the minimums raises ScheduleTooShort with the earliest realistic date:
    squeezing the operating period or the internal audit into days gives a plan no auditor accepts.
    """
    days = (target - start).days + 1
    limits = _limits(operating_months)
    needed = sum(low for low, _ in limits)
    if days < needed:
        raise ScheduleTooShort(earliest_target(start, operating_months), needed, operating_months)
    lengths = _allocate(days, [d.weeks for d in ROADMAP], limits)
    planned, cursor = [], start
    for definition, length in zip(ROADMAP, lengths, strict=True):
        end = add_days(cursor, length - 1)
        planned.append(PlannedPhase(definition, cursor, end))
        cursor = add_days(end, 1)
    return planned


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
        earliest = phase.planned_start if cursor is None else max(phase.planned_start, add_days(cursor, 1))
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
