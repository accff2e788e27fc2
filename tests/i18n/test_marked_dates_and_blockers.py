"""Dates and blockers the code writes itself, in the reader's language: the roadmap timeline's
month ticks (YEAR_MONTH_FORMAT, not strftime's English), readiness and My work dates
(DATE_FORMAT), the management PDF's merged blockers (grouped by their declared kind, worded in
the report's language, not parsed out of English sentences)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from kernel.extensions import Blocker
from projects.timeline import timeline_chart
from readiness.rules.audits import CATEGORY_AUDIT, KIND_UNCOVERED
from reports.management_report import SAME_KIND_MERGED, _grouped


def _phase(start, end):
    return SimpleNamespace(
        label="1.",
        title="Start",
        display_title="Start",
        status="planned",
        planned_start=start,
        planned_end=end,
        actual_start=None,
        actual_end=None,
        progress=0,
    )


def test_the_timeline_ticks_name_months_in_the_readers_language():
    phases = [_phase(dt.date(2026, 4, 1), dt.date(2026, 7, 31))]
    with translation.override("en"):
        english = [
            t.label
            for t in timeline_chart(phases, today=dt.date(2026, 4, 2), target=dt.date(2026, 7, 1)).ticks
        ]
    with translation.override("de"):
        german = [
            t.label
            for t in timeline_chart(phases, today=dt.date(2026, 4, 2), target=dt.date(2026, 7, 1)).ticks
        ]
    assert english[:2] == ["Apr 2026", "May 2026"]
    assert "Mai 2026" in german and "May 2026" not in german  # Django's German month names


def test_blockers_of_one_declared_kind_merge_whatever_their_messages_say():
    # Messages as another language words them: nothing for an English pattern to find.
    blockers = [
        Blocker(
            CATEGORY_AUDIT,
            f"Abschnitt 4.{n} ist in keinem internen Audit abgedeckt.",
            "/p/",
            kind=KIND_UNCOVERED,
            subject=f"4.{n}",
        )
        for n in range(1, SAME_KIND_MERGED + 2)
    ]
    (group,) = _grouped(blockers)["groups"]
    assert group["category"] == CATEGORY_AUDIT and group["label"] == "Internal audit"
    (bullet,) = group["listed"]
    assert bullet["count"] == SAME_KIND_MERGED + 1
    assert bullet["subjects"][:2] == ["4.1", "4.2"]
    assert bullet["kind"] == "Not covered by an internal audit held in this cycle"
