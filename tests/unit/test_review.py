"""HR review's pure parts: pair readings against measurement error, the overlaid chart."""

from __future__ import annotations

import math
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from assessment.review.chart import chart_html, marker
from assessment.review.readings import Score, pair_readings, summary
from assessment.scoring import Overall

SEM_74 = 20 * math.sqrt(1 - 0.74)  # SCIENCE §4: SD .8 (20 on 0–100), r = .74 → SEM .408 on 1–5


def test_the_science_example_threshold_on_0_to_100():
    """SD .8, r .74 each: threshold 1.13 on 1–5 (28.3 on 0–100); a gap of 1.0 (25) is not
    reliably different, 1.2 (30) is."""
    [level] = pair_readings([Score("A", 75, SEM_74), Score("B", 50, SEM_74)])
    assert level.threshold == pytest.approx(28.27, abs=0.01)
    assert not level.different and "A and B are not reliably different" in level.text
    [apart] = pair_readings([Score("A", 50, SEM_74), Score("B", 80, SEM_74)])
    assert apart.higher == "B" and "B is reliably higher than A" in apart.text


def test_every_pair_in_the_order_given_and_missing_scores_left_out():
    scores = [Score("A", 70, 10), Score("B", 50, 10), Score("C", 20, 10), Score("D", None, None)]
    readings = pair_readings(scores)
    # threshold 1.96·√200 = 27.72: A–B gap 20 level; A–C 50 and B–C 30 apart
    assert [(r.a, r.b, r.higher) for r in readings] == [
        ("A", "B", None),
        ("A", "C", "A"),
        ("B", "C", "B"),
    ]
    assert readings[0].threshold == pytest.approx(27.72, abs=0.01)
    text = summary(scores, readings, "on the overall", "no overall score")
    assert "2 of 3 pairs differ on the overall by more than measurement error" in text
    assert "D has no overall score yet and is left out of the comparison." in text


def test_all_level_reads_as_level():
    scores = [Score("A", 60, 10), Score("B", 55, 10), Score("C", 52, 12)]
    text = summary(scores, pair_readings(scores), "on the overall", "no overall score")
    assert text == (
        "A, B and C are not reliably different on the overall: read them as level, not ranked."
    )


@pytest.mark.parametrize("shape", ["circle", "square", "triangle", "diamond"])
def test_markers_are_well_formed(shape):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{marker(shape, 50, 6, "#000")}</svg>'
    ElementTree.fromstring(svg)


def _overall(score, band):
    label = None if score is None else "inconclusive"
    return Overall(score, 5.0 if score else None, band, label, 1, 1, (), None, True)


def test_the_chart_has_a_lane_per_candidate_and_never_draws_a_missing_score():
    columns = [
        SimpleNamespace(key="A", name="<b>Ann</b>", overall=_overall(62, (50, 74))),
        SimpleNamespace(key="B", name="Bo", overall=_overall(None, None)),
        SimpleNamespace(key="C", name="Cy", overall=None),  # sealed
    ]
    cells = [
        SimpleNamespace(combined=_overall(40, (30, 50))),
        SimpleNamespace(combined=_overall(None, None)),
        None,
    ]
    row = SimpleNamespace(name="Owns it", cells=cells)
    cmp = SimpleNamespace(columns=columns, competencies=[row])
    html = chart_html(cmp)
    ElementTree.fromstring(html.replace("&lt;", "&#60;"))  # well-formed (X)HTML with SVG
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html and "<b>Ann</b>" not in html
    assert html.count("insufficient evidence") == 2 and html.count("sealed for you") == 2
    assert html.count("<circle") == 2  # A's marker in both rows; B and C have none
