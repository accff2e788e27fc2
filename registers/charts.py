"""The SLA attainment chart: server-rendered SVG (a bar per month, targets met of recorded), so
the management PDF (WeasyPrint draws inline SVG) and a page can show the same picture; and the
report sections of the management PDF that read the registers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext

from .attainment import MonthAttainment, objective_states, sla_attainment

PLOT_HEIGHT = 160
BAR_WIDTH = 34
GAP = 12
LEFT = 40
TOP = 20
BOTTOM = 36
OBJECTIVES_SHOWN = 60


@dataclass(frozen=True)
class MonthBar:
    x: int
    y: float
    height: float
    colour: str
    value: str
    label: str

    @property
    def centre(self) -> float:
        return self.x + BAR_WIDTH / 2

    @property
    def value_y(self) -> float:
        return self.y - 4


def _colour(percent: int | None) -> str:
    if percent is None:
        return "#adb5bd"
    if percent >= 95:
        return "#198754"
    if percent >= 80:
        return "#fd7e14"
    return "#dc3545"


def attainment_chart(months: list[MonthAttainment]) -> dict:
    bars = []
    for index, month in enumerate(months):
        percent = month.percent
        height = PLOT_HEIGHT * (percent or 0) / 100
        bars.append(
            MonthBar(
                x=LEFT + index * (BAR_WIDTH + GAP),
                y=TOP + PLOT_HEIGHT - height,
                height=height,
                colour=_colour(percent),
                value="—" if percent is None else f"{percent}%",
                label=date_format(month.month, "M y"),  # "Nov 26": the locale's month abbreviation
            )
        )
    width = LEFT + len(months) * (BAR_WIDTH + GAP) + 10
    return {
        "bars": bars,
        "width": width,
        "height": TOP + PLOT_HEIGHT + BOTTOM,
        "baseline": TOP + PLOT_HEIGHT,
        "label_y": TOP + PLOT_HEIGHT + 16,
        "gridlines": [(TOP + PLOT_HEIGHT - PLOT_HEIGHT * p / 100, f"{p}%") for p in (0, 50, 100)],
        "left": LEFT,
        "right": width - 6,
        "title": gettext("SLA targets met per month (of the monthly actuals recorded)"),
    }


def sla_section(project, *, today, shared) -> dict:
    months = sla_attainment(project, today=today, months=12)
    recorded = [m for m in months if m.total]
    return {
        "months": months,
        "recorded": recorded,
        "chart": attainment_chart(months),
        "met": sum(m.met for m in months),
        "total": sum(m.total for m in months),
    }


def objectives_section(project, *, today, shared) -> dict:
    states = objective_states(project)
    return {
        "states": states[:OBJECTIVES_SHOWN],
        "more": max(0, len(states) - OBJECTIVES_SHOWN),
        "count": len(states),
    }
