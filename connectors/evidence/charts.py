"""Server-rendered SVG of the ticket figures (the same picture on the page, the dashboard and the
PDF): bars for each month's volume, a line for SLA attainment on a 0-100 % scale."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from kernel.fragments import fingerprint

LEFT, RIGHT, TOP, BOTTOM = 34, 40, 14, 30


@dataclass
class Column:
    x: float
    width: float
    y: float
    height: float
    volume: int
    label: str
    title: str
    sla_y: float | None
    sla: float | None

    @property
    def sla_x(self) -> float:
        return round(self.x + self.width / 2, 1)


def figures_chart(figures, *, width: int = 520, height: int = 180, compact: bool = False) -> dict:
    """`figures`: MonthFigures of one process, oldest first. Compact: a sparkline for the dashboard."""
    if compact:
        width, height = 220, 60
    left, right, top, bottom = (4, 4, 4, 4) if compact else (LEFT, RIGHT, TOP, BOTTOM)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((f.volume for f in figures), default=0) or 1
    step = plot_w / max(len(figures), 1)
    columns = []
    for index, f in enumerate(figures):
        h = plot_h * f.volume / peak
        sla = f.sla_percent
        columns.append(
            Column(
                x=round(left + index * step + step * 0.15, 1),
                width=round(step * 0.7, 1),
                y=round(top + plot_h - h, 1),
                height=round(h, 1),
                volume=f.volume,
                label=date_format(f.month, "b").capitalize(),
                title=(
                    gettext("%(month)s: %(count)s opened, SLA met %(percent)s%%")
                    if sla is not None
                    else gettext("%(month)s: %(count)s opened, no SLA target")
                )
                % {
                    "month": date_format(f.month, "F Y"),
                    "count": number_format(f.volume),
                    "percent": number_format(sla),
                },
                sla_y=round(top + plot_h * (1 - sla / 100), 1) if sla is not None else None,
                sla=sla,
            )
        )
    line = " ".join(f"{c.sla_x},{c.sla_y}" for c in columns if c.sla_y is not None)
    chart = {
        "width": width,
        "height": height,
        "compact": compact,
        "columns": columns,
        "sla_line": line,
        "peak": peak,
        "axis_y": top + plot_h,
        "left": left,
        "right_x": width - right + 4,
        "top": top,
        "label_y": height - 12,
    }
    chart["fingerprint"] = fingerprint(chart)
    return chart
