"""Server-rendered SVG bar charts of clause scores: the same picture on the page and in a PDF."""

from dataclasses import dataclass

from kernel.fragments import fingerprint

BAR_HEIGHT = 16
GAP = 6
LABEL_WIDTH = 300
BAR_WIDTH = 360
HEADER = 22


@dataclass
class Bar:
    y: int
    label: str
    value: int | None  # percent, None = nothing scored
    width: float
    colour: str
    level: int
    full_label: str = ""

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


def _colour(value: int | None) -> str:
    if value is None:
        return "#adb5bd"
    if value >= 80:
        return "#198754"
    if value >= 50:
        return "#fd7e14"
    return "#dc3545"


def score_chart(rows, *, leaves: bool = True) -> dict:
    """Bars for the top-level clauses and (when `leaves`) every leaf clause of an overview."""
    bars = []
    y = HEADER
    for row in rows:
        if row.level != 0 and not (leaves and row.is_leaf):
            continue
        value = row.score_percent
        full_label = f"{row.number} {row.title}"
        label = full_label if len(full_label) <= 42 else full_label[:41] + "…"  # fits LABEL_WIDTH in bold
        width = BAR_WIDTH * (value or 0) / 100
        bars.append(Bar(y, label, value, width, _colour(value), 0 if row.level == 0 else 1, full_label))
        y += BAR_HEIGHT + GAP
    chart = {
        "bars": bars,
        "height": y + 4,
        "width": LABEL_WIDTH + BAR_WIDTH + 50,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "ticks": [{"x": LABEL_WIDTH + BAR_WIDTH * t / 100, "label": f"{t}%"} for t in (0, 25, 50, 75, 100)],
    }
    chart["fingerprint"] = fingerprint(chart)  # the cache key of the rendered SVG
    return chart
