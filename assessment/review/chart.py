"""The side-by-side chart: per competency (and the overall), one lane per candidate on a shared
0–100 scale, each a marker at the score with its 95% band, so the candidates overlay.

Each candidate has its own colour and marker shape (Okabe–Ito colours; shapes keep them apart
in grey print and for colour-blind readers) and its letter at the start of its lane. No score
is never drawn as 0: the lane says "insufficient evidence" or "sealed". Names are HTML text
(escaped), the SVGs hold only letters, numbers and fixed words.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from assessment.scorecard import chart as scale
from assessment.scorecard.chart import (
    DIGIT_W,
    INK,
    MUTED,
    svg_attrs,
    svg_element,
    svg_root,
    svg_text,
)
from assessment.scoring import Overall
from assessment.scoring.rounding import number

from .compare import Comparison

X0 = 22  # where 0 is: the lane's letter comes first (100 is at the scorecard chart's)
VALUE_X = 476
LANE_H, PAD = 13, 3
COLOURS = {"A": "#0072b2", "B": "#d55e00", "C": "#009e73", "D": "#cc79a7"}
SHAPES = {"A": "circle", "B": "square", "C": "triangle", "D": "diamond"}
SYMBOLS = {"circle": "●", "square": "■", "triangle": "▲", "diamond": "◆"}


def symbol(key: str) -> str:
    """The candidate's marker as a character, for the legend and the tables."""
    return SYMBOLS[SHAPES[key]]


def marker(shape: str, x: float, y: float, colour: str, r: float = 4.2) -> str:
    """A filled marker centred on (x, y)."""
    if shape == "circle":
        return svg_element("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=colour)
    if shape == "square":
        side = r * 1.7
        box = dict(x=f"{x - side / 2:.1f}", y=f"{y - side / 2:.1f}", width=f"{side:.1f}")
        return svg_element("rect", **box, height=f"{side:.1f}", fill=colour)
    if shape == "triangle":
        points = [(x, y - r * 1.1), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    else:  # diamond
        points = [(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)]
    d = "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in points) + "Z"
    return svg_element("path", d=d, fill=colour)


def _lane(key: str, reading: Overall | None, y: float) -> list[str]:
    """One candidate's lane: letter, band, marker and number; or why there is no score."""
    colour, mid = COLOURS[key], y + LANE_H / 2
    body = [svg_text(4, mid + 3.5, key, fill=colour, font_weight="bold")]
    if reading is None or reading.score is None:
        why = "sealed for you" if reading is None else "insufficient evidence"
        return body + [svg_text(X0 + 4, mid + 3.5, why, fill=MUTED)]
    if reading.band:
        band = scale.whisker(reading.band, mid, 3, X0)
        body.append(svg_element("path", d=band, stroke=colour, stroke_width=1.4, fill="none"))
    body.append(marker(SHAPES[key], scale.x_of(reading.score, X0), mid, colour))
    value = number(reading.score)
    body.append(svg_text(VALUE_X - len(value) * DIGIT_W, mid + 3.5, value, fill=INK))
    return body


def _row(label: str, readings: list[tuple[str, Overall | None]], css: str) -> str:
    height = 2 * PAD + len(readings) * LANE_H
    body = [scale.grid(0, height, X0)]
    for n, (key, reading) in enumerate(readings):
        body += _lane(key, reading, PAD + n * LANE_H)
    return (
        f'<div class="sc-crow cmp-crow {css}"><p class="sc-clabel">{escape(label)}</p>'
        f"{svg_root(height, body)}</div>"
    )


def _axis() -> str:
    labels = scale.axis_labels(X0)
    return f'<div class="sc-crow sc-caxis"><p class="sc-clabel"></p>{svg_root(14, labels)}</div>'


def legend(cmp: Comparison) -> str:
    keys = " ".join(
        f"<span {svg_attrs(class_='cmp-key')}><span {svg_attrs(class_=f'cmp-mark-{c.key}')}>"
        f"{symbol(c.key)}</span> <b>{c.key}</b> {escape(c.name)}</span>"
        for c in cmp.columns
    )
    return f'<p class="sc-legend cmp-legend">{keys}</p>'


def chart_html(cmp: Comparison) -> str:
    overall = [(c.key, c.overall) for c in cmp.columns]
    rows = [_row("Overall", overall, "cmp-overall")]
    for row in cmp.competencies:
        lanes = [
            (col.key, cell.combined if cell else None)
            for col, cell in zip(cmp.columns, row.cells, strict=True)
        ]
        rows.append(_row(row.name, lanes, ""))
    return f'<div class="sc-chart cmp-chart">{legend(cmp)}{_axis()}{"".join(rows)}</div>'


def overlay_chart(cmp: Comparison) -> Markup:
    """chart_html for a template: every text and attribute value is escaped above."""
    return Markup(chart_html(cmp))  # our own markup, every value escaped above  # nosec B704
