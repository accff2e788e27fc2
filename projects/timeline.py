"""Geometry of the roadmap timeline, drawn as server-rendered SVG (web pages and PDFs alike)."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from kernel.fragments import fingerprint

LABEL_WIDTH = 250
CHART_WIDTH = 640
ROW_HEIGHT = 26
TOP = 28


@dataclass
class TimelineRow:
    label: str
    title: str
    status: str
    y: int
    planned_x: float
    planned_w: float
    actual_x: float | None
    actual_w: float | None
    progress: int
    late: bool = False  # past its planned end and not done: drawn with a "late" label, not colour alone
    end_x: float = 0.0


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class TimelineChart:
    width: int
    height: int
    label_width: int
    rows: list[TimelineRow]
    ticks: list[Tick]
    today_x: float | None
    target_x: float
    chart_bottom: int
    plot_width: int = CHART_WIDTH
    plot_height: int = 0

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything drawn changes: the cache key of the rendered SVG."""
        return fingerprint(self)


MAX_TICKS = 24


def month_starts(first: date, last: date, span: int) -> list[date]:
    """First days of months between first and last: every month, every second or third, or as
    many as keep the axis readable (at most MAX_TICKS) for very long stored spans."""
    first_index, last_index = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    months_spanned = last_index - first_index + 1
    # "Jul 2026" labels need about two months of axis each beyond ten months.
    step = 1 if span <= 300 else 2 if span <= 700 else max(3, -(-months_spanned // MAX_TICKS))
    months = []
    for index in range(first_index, last_index + 1, step):
        month = date(index // 12, index % 12 + 1, 1)
        if month >= first:
            months.append(month)
    return months


def timeline_chart(phases, *, today: date, target: date) -> TimelineChart:
    starts = [p.planned_start for p in phases] + [p.actual_start for p in phases if p.actual_start]
    ends = [p.planned_end for p in phases] + [p.actual_end for p in phases if p.actual_end] + [target]
    first, last = min(starts + [today]), max(ends + [today])
    span = max((last - first).days + 1, 1)

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + CHART_WIDTH * (day - first).days / span, 1)

    def width_of(start: date, end: date) -> float:
        return max(round(CHART_WIDTH * ((end - start).days + 1) / span, 1), 2.0)

    def truncate_title(title: str) -> str:
        return title if len(title) <= 34 else title[:33] + "…"

    rows = []
    for index, phase in enumerate(phases):
        actual_x = actual_w = None
        if phase.actual_start:
            actual_end = phase.actual_end or max(today, phase.actual_start)
            actual_x, actual_w = x_of(phase.actual_start), width_of(phase.actual_start, actual_end)
        rows.append(
            TimelineRow(
                label=phase.label,
                title=truncate_title(phase.display_title),
                status=phase.status,
                y=TOP + index * ROW_HEIGHT,
                planned_x=x_of(phase.planned_start),
                planned_w=width_of(phase.planned_start, phase.planned_end),
                actual_x=actual_x,
                actual_w=actual_w,
                progress=phase.progress,
                late=phase.status not in ("done", "skipped") and phase.planned_end < today,
                end_x=round(x_of(phase.planned_start) + width_of(phase.planned_start, phase.planned_end), 1),
            )
        )
    # "Jul 2026", never "Jul 26" (which reads as a day).
    ticks = [
        Tick(x_of(month), date_format(month, "YEAR_MONTH_FORMAT"))
        for month in month_starts(first, last, span)
    ]
    bottom = TOP + len(phases) * ROW_HEIGHT
    return TimelineChart(
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=bottom + 10,
        label_width=LABEL_WIDTH,
        rows=rows,
        ticks=ticks,
        today_x=x_of(today) if first <= today <= last else None,
        target_x=x_of(target),
        chart_bottom=bottom,
        plot_height=bottom - 20,
    )
