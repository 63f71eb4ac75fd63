"""The competencies × methods chart: one row per competency, its three method bars as inline SVG.

Names and the legend are HTML text and each SVG holds only bars, bands and short numbers:
WeasyPrint lays out and draws SVG text one letter at a time (weasyprint/svg/text.py), so a
single SVG with the names in it took nearly twice as long to print. Every text and
attribute value is escaped here; the result is inserted into the page and the PDF as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from assessment.scoring.rounding import number

from .model import CompetencyBlock, Scorecard

# Row geometry in SVG user units; each row's SVG scales to the width the stylesheet gives it.
WIDTH = 480
SCALE_X0, SCALE_X1 = 4, 436  # 0 and 100
VALUE_X = 478  # where the score ends (right-aligned by hand, see DIGIT_W)
BAR_H, BAR_GAP, PAD = 8, 2, 3.5
FONT = "DejaVu Sans, sans-serif"
FONT_SIZE = 10
DIGIT_W = 0.636 * FONT_SIZE  # DejaVu Sans digits share one width: numbers align without
# text-anchor, which makes WeasyPrint lay each text out twice
TICKS = (0, 25, 50, 75, 100)
AXIS_H = 14  # the scale's strip above the rows
INK, MUTED, GRID = "#1d2430", "#5b6577", "#d5dbe5"
# One colour per method, dark to light, so they stay apart in grey print too.
COLOURS = {"interview": "#2f62b0", "scenario": "#3e9189", "self": "#e0a63c"}


def x_of(score: float, x0: float = SCALE_X0) -> float:
    """Where a 0–100 score sits on a scale from x0 (0) to SCALE_X1 (100)."""
    return x0 + (SCALE_X1 - x0) * max(0.0, min(100.0, score)) / 100


def svg_attrs(**values) -> str:
    """Attributes, every value quoted and escaped; `class_` → class, `a_b` → a-b."""
    return " ".join(
        f"{name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
        for name, value in values.items()
    )


def svg_element(tag: str, **attrs) -> str:
    return f"<{tag} {svg_attrs(**attrs)}/>"


def svg_text(x: float, y: float, content: str, **attrs) -> str:
    return f"<text {svg_attrs(x=f'{x:.1f}', y=f'{y:.1f}', **attrs)}>{escape(content)}</text>"


def svg_root(height: float, body: list[str], **attrs) -> str:
    """Decorative for screen readers (aria-hidden): the same numbers are in the text."""
    head = svg_attrs(
        **attrs, viewBox=f"0 0 {WIDTH} {height}", aria_hidden="true", font_family=FONT,
        font_size=FONT_SIZE,
    )  # fmt: skip
    return f"<svg {head}>{''.join(body)}</svg>"


def row_height(methods: Mapping[str, str]) -> float:
    """A competency's row: a bar per method, padded above and below."""
    return 2 * PAD + len(methods) * (BAR_H + BAR_GAP) - BAR_GAP


def row_marks(block: CompetencyBlock, methods: Mapping[str, str], top: float) -> list[str]:
    """A competency's grid, bars (or gaps), numbers, and its bands as one path, from `top`."""
    body, bands = [grid(top, top + row_height(methods))], ""
    for n, (method, name) in enumerate(methods.items()):
        elements, band = _part(block, method, name, top + PAD + n * (BAR_H + BAR_GAP))
        body, bands = body + elements, bands + band
    if bands:
        body.append(
            svg_element("path", class_="bands", d=bands, stroke=INK, stroke_width=1.2, fill="none")
        )
    return body


def grid(top: float, bottom: float, x0: float = SCALE_X0) -> str:
    d = "".join(f"M{x_of(t, x0):.1f} {top}V{bottom}" for t in TICKS)
    return svg_element("path", d=d, stroke=GRID, stroke_width=1, fill="none")


def axis_labels(x0: float = SCALE_X0) -> list[str]:
    """The scale above the rows: 0, 25, 50, 75, 100, centred on the grid lines."""
    return [
        svg_text(x_of(t, x0) - len(str(t)) * DIGIT_W / 2, 11, str(t), fill=MUTED) for t in TICKS
    ]


def whisker(band: tuple[float, float], mid: float, half: float, x0: float = SCALE_X0) -> str:
    """The 95% band as path data: a line at `mid` with an end tick `half` up and down."""
    lo, hi = (f"{x_of(b, x0):.1f}" for b in band)
    top, bottom = mid - half, mid + half
    return f"M{lo} {mid}H{hi}M{lo} {top}V{bottom}M{hi} {top}V{bottom}"


def _part(block: CompetencyBlock, method: str, name: str, y: float) -> tuple[list[str], str]:
    """A bar and its number (and the band's path data), or with no score a gap saying so:
    never a bar of length 0."""
    part = block.score.part(method)
    baseline = y + BAR_H / 2 + 3.6
    if part.score is None:
        label = f"{name}: insufficient evidence"
        return [svg_text(SCALE_X0 + 4, baseline, label, class_=f"gap gap-{method}", fill=MUTED)], ""
    width = x_of(part.score) - SCALE_X0
    bar = dict(x=SCALE_X0, y=y, width=f"{width:.1f}", height=BAR_H, fill=COLOURS[method])
    value = number(part.score)
    label = svg_text(VALUE_X - len(value) * DIGIT_W, baseline, value, fill=INK)
    return [svg_element("rect", class_=f"bar bar-{method}", **bar), label], (
        whisker(part.band, y + BAR_H / 2, BAR_H / 2 - 1) if part.band else ""
    )


def _row(block: CompetencyBlock, methods: Mapping[str, str]) -> str:
    """One competency: its name as text, then an SVG of one bar per method. The bands of the
    row share one path (fewer SVG elements print faster)."""
    body = row_marks(block, methods, 0)
    row = svg_attrs(class_="sc-crow", data_competency=block.id)
    svg = svg_root(row_height(methods), body)
    return f'<div {row}><p class="sc-clabel">{escape(block.name)}</p>{svg}</div>'


def legend(methods: Mapping[str, str]) -> str:
    keys = " ".join(
        f"<span {svg_attrs(class_=f'sc-key sc-key-{m}')}>■</span> {escape(name)}"
        for m, name in methods.items()
    )
    return (
        f'<p class="sc-legend">{keys} <span class="muted">· line across a bar: 95% band</span></p>'
    )


def chart_html(card: Scorecard) -> str:
    """The chart as HTML with inline SVG (well-formed XML too); every text and attribute value
    is escaped."""
    rows = "".join(_row(block, card.methods) for block in card.competencies)
    scale = svg_root(AXIS_H, axis_labels())
    axis = f'<div class="sc-crow sc-caxis"><p class="sc-clabel"></p>{scale}</div>'
    return f'<div class="sc-chart">{legend(card.methods)}{axis}{rows}</div>'


def competency_chart(card: Scorecard) -> Markup:
    """chart_html for a template: built here with everything escaped, so it is safe to insert."""
    return Markup(chart_html(card))  # our own markup, every value escaped above  # nosec B704
