"""Small SVG charts, drawn as text so that the page needs no script and no network: stacked bars and lines
(or dots) over a row of labelled slots (runs or days). Every mark is an element of class "mark" with a
<title> giving its figure, which browsers show on hover and tests read back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 880, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 34, 52  # room for the title, the y ticks and the x labels
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f",
           "#17becf", "#bcbd22", "#7f7f7f")
DASHES = ("", "6 3", "2 2")  # past the palette, the colours come back dashed, then dotted
MAX_X_LABELS = 8  # more would overlap


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def dash(index: int) -> str:
    return DASHES[index // len(PALETTE) % len(DASHES)]


def fmt(value: float) -> str:
    """A figure as a person reads it, to four digits: 3, 0.9461, 12.5.

    >>> [fmt(3.0), fmt(0.94612), fmt(1234.0)]
    ['3', '0.9461', '1234']
    """
    return f"{value:.4g}" if value != int(value) else str(int(value))


def nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value (at least 1): a readable axis end.

    >>> [nice_top(0), nice_top(0.4), nice_top(3), nice_top(16), nice_top(250)]
    [1, 1, 5, 20, 500]
    """
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


class Frame:
    """The plot area of one chart: slot positions, the value scale, and the axes with their labels."""

    def __init__(self, slots: int, top: float):
        self.slots, self.top = max(slots, 1), top
        self.width, self.height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(self, slot: int) -> float:
        """The middle of a slot."""
        return LEFT + (slot + 0.5) * self.width / self.slots

    def y(self, value: float) -> float:
        return TOP + self.height * (1 - value / self.top)

    def slot_width(self) -> float:
        return self.width / self.slots

    def axes(self, labels: Sequence[str], x_label: str, y_label: str, y_ticks: Sequence[float],
             y_text: Callable[[float], str]) -> list[str]:
        bottom = TOP + self.height
        parts = [f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
                 f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{LEFT + self.width}" y2="{bottom}"/>']
        for tick in y_ticks:
            y = self.y(tick)
            parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + self.width}" y2="{y:.1f}"/>')
            parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(y_text(tick))}</text>')
        step = max(1, math.ceil(len(labels) / MAX_X_LABELS))
        for slot in range(0, len(labels), step):
            parts.append(f'<text class="tick" x="{self.x(slot):.1f}" y="{bottom + 16}" text-anchor="middle">'
                         f"{escape(labels[slot])}</text>")
        parts.append(f'<text class="label" x="{LEFT + self.width / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
                     f"{escape(x_label)}</text>")
        parts.append(f'<text class="label" transform="translate(14 {TOP + self.height / 2}) rotate(-90)" '
                     f'text-anchor="middle">{escape(y_label)}</text>')
        return parts


def svg(title: str, parts: list[str]) -> str:
    return (f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text class="title" x="{LEFT}" y="20">{escape(title)}</text>{"".join(parts)}</svg>')


def bars(title: str, labels: Sequence[str], stacks: Mapping[str, Sequence[float | None]], colours: Mapping[str, str],
         x_label: str, y_label: str, unit: str = "") -> str:
    """Stacked bars, one per label; `stacks` gives each series' value per label (None: unknown, no bar), bottom
    series first."""
    totals = [sum(values[slot] or 0 for values in stacks.values()) for slot in range(len(labels))]
    frame = Frame(len(labels), nice_top(max(totals, default=0)))
    steps = 4 if str(frame.top).startswith("2") else 5  # ticks on round numbers: 0, 5, 10, 15, 20
    parts = frame.axes(labels, x_label, y_label, [frame.top * i / steps for i in range(steps + 1)], fmt)
    width = min(max(frame.slot_width() * 0.7, 1), 48)
    for slot, label in enumerate(labels):
        base = 0.0
        for name, values in stacks.items():
            value = values[slot] or 0
            if value <= 0:
                continue
            y0, y1 = frame.y(base), frame.y(base + value)
            parts.append(
                f'<rect class="mark" x="{frame.x(slot) - width / 2:.1f}" y="{y1:.1f}" width="{width:.1f}" '
                f'height="{max(y0 - y1, 0.5):.1f}" fill="{colours[name]}"><title>{escape(label)} · {escape(name)}: '
                f"{fmt(value)}{escape(unit)}</title></rect>")
            base += value
    return svg(title, parts)


def lines(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]],
          colours: Mapping[str, str], x_label: str, y_label: str, *, top: float, y_ticks: Sequence[float],
          y_text: Callable[[float], str], mark_text: Callable[[float], str] | None = None, connect: bool = True) -> str:
    """One line per series over the labels, a dot per value with its figure (`mark_text`, else as the axis
    writes it); None leaves a gap. Without `connect`, dots only (values that are categories, such as exit codes)."""
    frame = Frame(len(labels), top)
    parts = frame.axes(labels, x_label, y_label, y_ticks, y_text)
    for index, (name, values) in enumerate(series.items()):
        fill = colours[name] if not dash(index) else "#fff"  # past the palette: hollow dots on a dashed line
        points = [(slot, value) for slot, value in enumerate(values) if value is not None]
        if connect and len(points) > 1:
            path, previous = [], None
            for slot, value in points:  # a gap (no value) starts a new stroke
                path.append(f"{'L' if previous == slot - 1 else 'M'}{frame.x(slot):.1f},{frame.y(value):.1f}")
                previous = slot
            parts.append(f'<path class="mark" d="{" ".join(path)}" fill="none" stroke="{colours[name]}" '
                         f'stroke-width="1.5" stroke-dasharray="{dash(index) or "none"}"><title>{escape(name)}</title></path>')
        for slot, value in points:
            parts.append(f'<circle class="mark" cx="{frame.x(slot):.1f}" cy="{frame.y(value):.1f}" r="3" '
                         f'fill="{fill}" stroke="{colours[name]}"><title>{escape(labels[slot])} · {escape(name)}: '
                         f"{escape((mark_text or y_text)(value))}</title></circle>")
    return svg(title, parts)
