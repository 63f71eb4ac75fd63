"""The competencies × methods chart for the PDF: one SVG of shapes, its words and numbers as HTML.

The screen chart (chart.py) has an SVG per row with its numbers inside. WeasyPrint lays out
and draws SVG text one letter at a time (weasyprint/svg/text.py) and every SVG element on
its own, and each printed line costs about as much as a paragraph of text, so printed that
way the chart cost more than all the evidence's structure. Here the same picture is a
single SVG of five paths (the grid, a path of bars per method, the bands) and the axis
labels; the names, and "insufficient evidence" where a bar is missing, are HTML beside and
over it. The scores are printed once, in the evidence below. The geometry is a small
stylesheet (chart_css) that the renderer parses once, not a style attribute on every row.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup, escape

from . import chart as screen
from .model import METHOD_NAMES, Scorecard

WIDTH_MM = 112  # the SVG's printed width; fits A4 and Letter beside the names
MM = WIDTH_MM / screen.WIDTH  # millimetres per SVG user unit
ROW_GAP = 6  # user units between rows
LINE = screen.BAR_H + screen.BAR_GAP  # one method's line: a bar and the gap under it


def row_height(methods: Mapping[str, str]) -> float:
    return screen.row_height(methods)


def chart_css(methods: Mapping[str, str] = METHOD_NAMES) -> str:
    """Where the HTML columns sit against the SVG's rows: a name per row, and over the bars
    a column whose lines are beside the bars, for what a missing bar says. Parsed once."""
    row = row_height(methods)
    return f"""
.pc-names, .pc-values {{ display: inline-block; vertical-align: top;
  padding-top: {screen.AXIS_H * MM:.3f}mm; }}
.pc-names p {{ height: {row * MM - 1:.3f}mm; margin-bottom: {ROW_GAP * MM:.3f}mm; }}
.pc-values {{ width: {WIDTH_MM}mm; margin-left: -{WIDTH_MM}mm;
  font-size: {screen.FONT_SIZE * MM * 72 / 25.4:.2f}pt; }}
.pc-values p {{ height: {(row - screen.PAD + 1) * MM:.3f}mm; line-height: {LINE * MM:.3f}mm;
  padding: {(screen.PAD - 1) * MM:.3f}mm 0 0 {(screen.SCALE_X0 + 4) * MM:.3f}mm;
  margin-bottom: {ROW_GAP * MM:.3f}mm; }}
"""


def _bar(x0: float, y: float, width: float) -> str:
    return f"M{x0} {y}h{width:.1f}v{screen.BAR_H}h{-width:.1f}z"


def chart_svg(card: Scorecard) -> str:
    """The axis labels, then every row's grid, bars and bands: one path for each."""
    row = row_height(card.methods)
    grid, bands = "", ""
    bars = {method: "" for method in card.methods}
    for n, block in enumerate(card.competencies):
        top = screen.AXIS_H + n * (row + ROW_GAP)
        grid += "".join(f"M{screen.x_of(t):.1f} {top}V{top + row}" for t in screen.TICKS)
        for k, method in enumerate(card.methods):
            part, y = block.score.part(method), top + screen.PAD + k * LINE
            if part.score is None:
                continue  # a gap, never a bar of length 0: the HTML beside it says why
            bars[method] += _bar(screen.SCALE_X0, y, screen.x_of(part.score) - screen.SCALE_X0)
            if part.band:
                bands += screen.whisker(part.band, y + screen.BAR_H / 2, screen.BAR_H / 2 - 1)
    body = screen.axis_labels()
    body.append(screen.svg_element("path", d=grid or "M0 0", stroke=screen.GRID, fill="none"))
    for method, d in bars.items():
        if d:
            fill = screen.COLOURS[method]
            body.append(screen.svg_element("path", class_=f"bar bar-{method}", d=d, fill=fill))
    if bands:
        body.append(
            screen.svg_element(
                "path", class_="bands", d=bands, stroke=screen.INK, stroke_width=1.2, fill="none"
            )
        )
    height = screen.AXIS_H + len(card.competencies) * (row + ROW_GAP) - ROW_GAP
    return screen.svg_root(height, body, class_="pc-bars", width=f"{WIDTH_MM}mm")


def _gaps(card: Scorecard) -> str:
    """Per row a paragraph with a line per method, saying "insufficient evidence" beside
    a bar that is not there; empty where every part is scored. (The scores themselves are
    in the evidence, per competency: printed here too, their 18 short lines cost as much
    to lay out as all the bars.)"""
    rows = []
    for block in card.competencies:
        parts = [(name, block.score.part(m).score) for m, name in card.methods.items()]
        if all(score is not None for _, score in parts):
            rows.append("<p></p>")
            continue
        lines = [
            "" if score is not None else f"{escape(name)}: insufficient evidence"
            for name, score in parts
        ]
        rows.append(f"<p>{'<br>'.join(lines)}</p>")
    return f'<div class="pc-values">{"".join(rows)}</div>'


def print_chart(card: Scorecard) -> Markup:
    """The names, the SVG and any gaps, for templates/scorecard/pdf.html (which says the
    key in words, above it)."""
    names = "".join(f"<p>{escape(block.name)}</p>" for block in card.competencies)
    names = f'<div class="pc-names">{names}</div>'
    chart = f'<div class="pc">{names}{chart_svg(card)}{_gaps(card)}</div>'
    return Markup(chart)  # every name escaped above, the SVG by chart.py  # nosec B704
