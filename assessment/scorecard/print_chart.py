"""The competencies × methods chart for the PDF: one SVG for every bar, the names beside it.

The screen chart (chart.py) has an SVG per row with the name floated beside each; printed,
those seven SVGs and seven floats cost WeasyPrint about 5 F (F: a Hello page). Here the bars
of a method share one path, every band shares one path, and the names are one column of
paragraphs sized to the rows: the same picture for about 2.5 F. The SVG carries only numbers
we format; the names are escaped HTML.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import chart as screen
from .model import Scorecard

WIDTH_MM = 112  # the SVG's printed width; fits A4 and Letter beside the names
AXIS_H, ROW_GAP = 14, 6  # user units: the scale above the rows, the space between rows
NAME_PAD_MM = 1.0  # a name's distance from the top of its row


def _row_height(card: Scorecard) -> float:
    return 2 * screen.PAD + len(card.methods) * (screen.BAR_H + screen.BAR_GAP) - screen.BAR_GAP


def _text(x: float, y: float, value: str, fill: str | None = None) -> str:
    colour = f' fill="{fill}"' if fill else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{colour}>{value}</text>'


def chart_svg(card: Scorecard) -> str:
    """The SVG: axis labels, grid, a path of bars per method,
    one path of band whiskers and each score's number."""
    row = _row_height(card)
    bars = dict.fromkeys(card.methods, "")
    whiskers, numbers = "", []
    for t in screen.TICKS:
        numbers.append(_text(screen.x_of(t) - len(str(t)) * screen.DIGIT_W / 2, 11, str(t)))
    top = AXIS_H
    for block in card.competencies:
        for n, method in enumerate(card.methods):
            part = block.score.part(method)
            y = top + screen.PAD + n * (screen.BAR_H + screen.BAR_GAP)
            if part.score is None:  # a gap, never a bar of length 0; the text says why
                gap = f"{escape(card.methods[method])}: insufficient evidence"
                baseline = y + screen.BAR_H / 2 + 3.6
                numbers.append(_text(screen.SCALE_X0 + 4, baseline, gap, screen.MUTED))
                continue
            width = screen.x_of(part.score) - screen.SCALE_X0
            bars[method] += f"M{screen.SCALE_X0} {y}h{width:.1f}v{screen.BAR_H}h{-width:.1f}z"
            whiskers += screen._whisker(part.band, y) if part.band else ""
            value = f"{part.score:.0f}"
            x = screen.VALUE_X - len(value) * screen.DIGIT_W
            numbers.append(_text(x, y + screen.BAR_H / 2 + 3.6, value))
        top += row + ROW_GAP
    height = top - ROW_GAP
    grid = "".join(f"M{screen.x_of(t):.0f} {AXIS_H}V{height}" for t in screen.TICKS)
    body = [f'<path d="{grid}" stroke="{screen.GRID}" fill="none"/>']
    body += [f'<path d="{d}" fill="{screen.COLOURS[m]}"/>' for m, d in bars.items() if d]
    if whiskers:
        body.append(f'<path d="{whiskers}" stroke="{screen.INK}" stroke-width="1.2" fill="none"/>')
    svg = (
        f'<svg class="pc-bars" width="{WIDTH_MM}mm" viewBox="0 0 {screen.WIDTH} {height}" '
        f'aria-hidden="true" font-family="{screen.FONT}" font-size="{screen.FONT_SIZE}" '
        f'fill="{screen.INK}">{"".join(body + numbers)}</svg>'
    )
    return svg


def print_chart(card: Scorecard) -> Markup:
    """The legend, the names column and the SVG, as markup for templates/scorecard/pdf.html."""
    svg = chart_svg(card)
    mm = WIDTH_MM / screen.WIDTH
    height = _row_height(card) * mm - NAME_PAD_MM
    box = f"height:{height:.2f}mm;margin-bottom:{ROW_GAP * mm:.2f}mm"
    names = "".join(f'<p style="{box}">{escape(block.name)}</p>' for block in card.competencies)
    names_box = f'<div class="pc-names" style="padding-top:{AXIS_H * mm:.2f}mm">{names}</div>'
    legend = screen._legend(card.methods)
    return Markup(f'<div class="pc">{legend}{names_box}{svg}</div>')  # escaped above
