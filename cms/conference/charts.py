"""Server-rendered, accessible SVG bar charts (no JavaScript, no inline styles).

Each chart carries its own data table: the template shows the SVG (role="img" with a title
and a text summary) and the same numbers as a table. Geometry is computed here in viewBox
units; colours and fonts come from CSS classes in conference.css.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
# Horizontal charts: a label line above each bar.
ROW_HEIGHT = 50
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
VALUE_SPACE = 60
# Column charts.
COLUMN_HEIGHT = 230
AXIS_LEFT = 44
AXIS_BOTTOM = 30
TOP = 22
MAX_TICK_LABELS = 8  # more columns than twice this: values only in the table


@dataclass
class Bar:
    label: str
    value: float
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0
    show_label: bool = True


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class BarChart:
    chart_id: str
    title: str
    summary: str
    orientation: str
    headers: list[str]
    rows: list[list]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    axis_left: int = AXIS_LEFT
    axis_bottom_y: float = 0
    show_values: bool = True

    @property
    def is_empty(self) -> bool:
        return not self.bars


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def horizontal(chart_id: str, title: str, items: list[tuple[str, float]], *, headers: list[str],
               summary: str = "", extra: list[list] | None = None) -> BarChart:
    """One labelled bar per item, longest first as given; `extra` adds table columns."""
    top = max((value for _, value in items), default=0) or 1
    usable = WIDTH - VALUE_SPACE
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * ROW_HEIGHT
        width = usable * value / top
        bars.append(Bar(label=label, value=value, x=0, y=y + LABEL_HEIGHT + 4, width=width,
                        height=BAR_HEIGHT, label_x=0, label_y=y + LABEL_HEIGHT - 4,
                        value_x=width + 6, value_y=y + LABEL_HEIGHT + 4 + BAR_HEIGHT - 3))
    rows = [[label, _fmt(value), *(extra[i] if extra else [])] for i, (label, value) in enumerate(items)]
    return BarChart(chart_id=chart_id, title=title, summary=summary, orientation="horizontal",
                    headers=headers, rows=rows, bars=bars, height=max(1, len(items)) * ROW_HEIGHT)


def columns(chart_id: str, title: str, items: list[tuple[str, float]], *, headers: list[str],
            summary: str = "", extra: list[list] | None = None) -> BarChart:
    """Vertical columns in order (for time series), with a 0/half/max scale; at most
    MAX_TICK_LABELS category labels are drawn, every value is in the table."""
    top = max((value for _, value in items), default=0) or 1
    plot_width = WIDTH - AXIS_LEFT
    plot_height = COLUMN_HEIGHT - AXIS_BOTTOM - TOP
    step = plot_width / max(1, len(items))
    gap = min(6.0, step * 0.2)
    every = max(1, -(-len(items) // MAX_TICK_LABELS))  # ceiling division
    bars = []
    for index, (label, value) in enumerate(items):
        height = plot_height * value / top
        x = AXIS_LEFT + index * step + gap / 2
        bars.append(Bar(label=label, value=value, x=x, y=TOP + plot_height - height,
                        width=max(1.0, step - gap), height=height,
                        label_x=x + (step - gap) / 2, label_y=COLUMN_HEIGHT - 8,
                        value_x=x + (step - gap) / 2, value_y=TOP + plot_height - height - 4,
                        show_label=index % every == 0 or index == len(items) - 1))
    ticks = [Tick(value=round(v), y=TOP + plot_height - plot_height * v / top)
             for v in sorted({0, round(top / 2), round(top)})]
    rows = [[label, _fmt(value), *(extra[i] if extra else [])] for i, (label, value) in enumerate(items)]
    return BarChart(chart_id=chart_id, title=title, summary=summary, orientation="vertical",
                    headers=headers, rows=rows, bars=bars, ticks=ticks, height=COLUMN_HEIGHT,
                    axis_bottom_y=TOP + plot_height, show_values=len(items) <= 2 * MAX_TICK_LABELS)
