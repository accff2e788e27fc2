"""The evidence rules: which entries count, and when a process has run long enough.

One rule for every reader (the process pages, the phase, both readiness gates, the dashboard heat
map, the register's records): documents.operation.selectors.process_statuses applies these
functions and everyone reads its result.

Stage 1 asks that every process operates: a start date and a first record that counts.
Stage 2 asks for the full minimum operating period, by the process's kind:
- continuous: evidence in every month of an unbroken run of `minimum` months, the run ending in a
  month no earlier than the one 31 days ago (a quiet last month is not yet a gap);
- periodic: one completed cycle (an entry that counts) within the process's period;
- event-driven: like continuous, where a month counts when it has an occurrence recorded or is
  inside the owner's dated "none occurred" statement.

An entry recorded by hand counts when it is dated on or after the day the process started
operating and no more than 31 days before the day it was recorded; otherwise it is flagged, and it
counts only once the lead accepts it with a reason. An entry drawn from another system carries the
period it covers and counts for every month of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .processes import CONTINUOUS, EVENT_DRIVEN, PERIODIC, Process

BACKDATING_DAYS = 31  # a hand-recorded entry may describe at most the last month
RECENT_DAYS = 31  # a continuous run must reach the month this many days ago


@dataclass(frozen=True)
class EntryFacts:
    """What the rules need of one entry (read as values, never as model instances)."""

    on: date
    recorded_on: date
    period_start: date | None = None
    system: bool = False
    accepted: bool = False
    none_occurred: bool = False
    record_code: str = ""
    by_owner: bool = True  # a statement counts only when the process owner made it


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def backdating_flag(facts: EntryFacts, started_on: date | None) -> str:
    """Why a hand-recorded entry does not count on its own ("" when it does)."""
    if facts.system:
        return ""
    if started_on and facts.on < started_on:
        return _("dated before the process started operating (%(started_on)s)") % {
            "started_on": format(started_on, "%-d %b %Y")
        }
    if facts.on < facts.recorded_on - timedelta(days=BACKDATING_DAYS):
        return _("dated more than %(BACKDATING_DAYS)s days before it was recorded (%(recorded_on)s)") % {
            "BACKDATING_DAYS": BACKDATING_DAYS,
            "recorded_on": format(facts.recorded_on, "%-d %b %Y"),
        }
    return ""


def counts(facts: EntryFacts, started_on: date | None, today: date) -> bool:
    if facts.on > today:
        return False
    if facts.none_occurred and not facts.by_owner:
        return False
    return facts.accepted or not backdating_flag(facts, started_on)


def covered_months(facts: EntryFacts, today: date) -> list[date]:
    """The months an entry that counts stands for: a synced entry or a statement its whole period
    (never beyond today), a hand-recorded entry its own month."""
    if (facts.system or facts.none_occurred) and facts.period_start:
        return months_between(facts.period_start, min(facts.on, today))
    return [month_start(facts.on)]


def recent_run(months: set[date], today: date) -> int:
    """Length of the longest unbroken run of covered months ending in a month no earlier than the
    one `RECENT_DAYS` ago."""
    oldest_end = month_start(today - timedelta(days=RECENT_DAYS))
    best, end = 0, month_start(today)
    while end >= oldest_end:
        run, month = 0, end
        while month in months:
            run += 1
            month = previous_month(month)
        best = max(best, run)
        end = previous_month(end)
    return best


@dataclass
class Evaluation:
    credited: int  # units towards the Stage 2 minimum, 0..minimum
    operating: bool  # Stage 1: started, with a first record that counts
    period_met: bool  # Stage 2: the full minimum period, by the process's kind
    shortfall: str  # what is missing for Stage 2, in words ("" when met)
    months: set[date] = field(default_factory=set)
    counted_by_month: dict[date, int] = field(default_factory=dict)  # entries that count, per month


def evaluate(
    process: Process, facts: list[EntryFacts], *, started_on: date | None, minimum: int, today: date
) -> Evaluation:
    """Apply the rules to one process's entries (general evidence and records of any kind)."""
    counted = [f for f in facts if counts(f, started_on, today)]
    months: set[date] = set()
    by_month: dict[date, int] = {}
    for f in counted:
        for month in covered_months(f, today):
            by_month[month] = by_month.get(month, 0) + 1
            if process.kind == EVENT_DRIVEN or not f.none_occurred:
                months.add(month)
    # a "none occurred" statement shows an event-driven process at work, not a continuous one
    operating = bool(started_on) and any(process.kind == EVENT_DRIVEN or not f.none_occurred for f in counted)
    if process.kind == PERIODIC:
        since = today - timedelta(days=round(process.period_months * 30.44))
        met = any(not f.none_occurred and f.on >= since for f in counted)
        credited = minimum if met else 0
        shortfall = (
            ""
            if met
            else _("no completed cycle in the last %(period_months)s months")
            % {"period_months": process.period_months}
        )
    else:
        run = recent_run(months, today)
        credited = min(run, minimum)
        met = run >= minimum
        what = (
            _("evidence") if process.kind == CONTINUOUS else _("occurrences or a “none occurred” statement")
        )
        shortfall = (
            ""
            if met
            else _("%(run)s of %(minimum)s recent months in a row with %(what)s")
            % {"run": run, "minimum": minimum, "what": what}
        )
    if not started_on:
        met = False
        shortfall = _("no start of operation recorded") + (f"; {shortfall}" if shortfall else "")
    return Evaluation(
        credited=credited,
        operating=operating,
        period_met=met,
        shortfall=shortfall,
        months=months,
        counted_by_month=by_month,
    )


def record_met(
    facts: list[EntryFacts], *, record_code: str, started_on, minimum: int, today: date, stage: int
) -> bool:
    """An event record (complaints, supplier disputes, security incidents) is kept only by entries
    of that kind, or the owner's statement that none occurred: at Stage 1 a first one, at Stage 2
    every month of a recent run of the minimum period."""
    months: set[date] = set()
    for f in facts:
        if f.record_code == record_code and counts(f, started_on, today):
            months.update(covered_months(f, today))
    if stage == 1:
        return bool(months)
    return recent_run(months, today) >= minimum
