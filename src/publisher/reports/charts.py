"""Inline SVG charts for the HTML report: no script, no external asset, readable in print.

Each chart is an image with a title and a description, its numbers are written next to its
bars or points (colour is never the only signal), and the report gives the same numbers in
a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from markupsafe import Markup, escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL_WIDTH = 230
LABELLED_POINTS = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str
    """Text written after the bar: the number, in words when it helps (« 2 bloquants »)."""
    kind: str = "neutral"
    """CSS class of the bar: error, warning, info or neutral."""


def _frame(key: str, title: str, description: str, height: int, body: list[str]) -> Markup:
    """The <svg> image; `key` makes its title and description ids unique in the page."""
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(key: str, bars: Sequence[Bar], title: str, description: str) -> Markup:
    """Horizontal bars, one per line, the label on the left and the figure on the right."""
    top = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 130
    body = []
    for index, bar in enumerate(bars):
        y = index * (BAR + GAP)
        length = max(round(room * bar.value / top), 2 if bar.value else 0)
        label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar {escape(bar.kind)}" x="{LABEL_WIDTH}" y="{y + 2}" '
            f'width="{length}" height="{BAR - 4}"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}">'
            f"{escape(bar.shown)}</text>"
        )
    height = max(len(bars), 1) * (BAR + GAP)
    return _frame(key, title, description, height, body)


def line_chart(
    key: str, points: Sequence[tuple[str, float]], title: str, description: str
) -> Markup:
    """A share (0 to 1) over time: one marked point per report, its percentage written above."""
    height, left, right, top, bottom = 220, 48, 24, 24, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    body = []
    for share in (0, 0.5, 1):
        y = top + plot_h * (1 - share)
        body.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}">'
            f'</line><text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">'
            f"{round(share * 100)} %</text>"
        )
    step = plot_w / max(len(points) - 1, 1)
    coordinates = [
        (left + step * index, top + plot_h * (1 - share)) for index, (_, share) in enumerate(points)
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        body.append(f'<polyline class="trend" points="{path}"></polyline>')
    every = ceil(len(points) / LABELLED_POINTS)
    for index, ((label, share), (x, y)) in enumerate(zip(points, coordinates, strict=True)):
        body.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4"></circle>')
        if index % every == 0 or index == len(points) - 1:  # every label would overlap
            body.append(
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">'
                f"{round(share * 100)} %</text>"
                f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(key, title, description, height, body)
