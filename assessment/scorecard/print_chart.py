"""The competencies × methods chart for the PDF: one SVG for every bar, the names beside it.

The screen chart (chart.py) has an SVG per row with the name floated beside each; printed,
those seven SVGs and seven floats cost WeasyPrint about 5 F (F: a Hello page). Here the
same rows (chart.row_marks) are drawn into a single SVG and the names are one column of
paragraphs sized to the rows: the same picture for about 2.5 F. The SVG carries only numbers
and fixed words; the names are escaped HTML.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import chart as screen
from .model import Scorecard

WIDTH_MM = 112  # the SVG's printed width; fits A4 and Letter beside the names
ROW_GAP = 6  # user units between rows
NAME_PAD_MM = 1.0  # a name's distance from the top of its row


def chart_svg(card: Scorecard) -> str:
    """The axis labels, then every competency's row (chart.row_marks) one under another."""
    row = screen.row_height(card.methods)
    body = screen.axis_labels()
    for n, block in enumerate(card.competencies):
        body += screen.row_marks(block, card.methods, screen.AXIS_H + n * (row + ROW_GAP))
    height = screen.AXIS_H + len(card.competencies) * (row + ROW_GAP) - ROW_GAP
    return screen.svg_root(height, body, class_="pc-bars", width=f"{WIDTH_MM}mm")


def print_chart(card: Scorecard) -> Markup:
    """The legend, the names column and the SVG, as markup for templates/scorecard/pdf.html."""
    mm = WIDTH_MM / screen.WIDTH
    height = screen.row_height(card.methods) * mm - NAME_PAD_MM
    box = f"height:{height:.2f}mm;margin-bottom:{ROW_GAP * mm:.2f}mm"
    names = "".join(f'<p style="{box}">{escape(block.name)}</p>' for block in card.competencies)
    top = f"padding-top:{screen.AXIS_H * mm:.2f}mm"
    names_box = f'<div class="pc-names" style="{top}">{names}</div>'
    chart = f'<div class="pc">{screen.legend(card.methods)}{names_box}{chart_svg(card)}</div>'
    return Markup(chart)  # every name escaped above, the SVG by chart.py  # nosec B704
