"""The competencies × methods chart: escaped, one bar per scored part, gaps where none."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from assessment.scorecard.chart import SCALE_X0, SCALE_X1, chart_html, competency_chart, x_of
from assessment.scorecard.model import METHOD_NAMES, CompetencyBlock
from assessment.scoring import CompetencyScore, InterviewPart, Part

COMPETENCIES = ("lead", "own", "perspective", "process", "trust", "relationship")


def part(competency, method, score, band=None):
    cls = InterviewPart if method == "interview" else Part
    if score is None:
        return cls(competency, method, None, None, None, False, 0, 3, "insufficient evidence")
    band = band or (max(0, score - 10), min(100, score + 10))
    return cls(competency, method, score, 5.0, band, True, 3, 3, None)


def block(competency, name=None, **scores):
    """A competency block with the given part scores (a missing method: no score)."""
    parts = {m: part(competency, m, scores.get(m)) for m in METHOD_NAMES}
    score = CompetencyScore(competency, 1.0, **parts, self_gap=None, self_gap_flag=None)
    return CompetencyBlock(competency, name or competency.title(), score, ())


def card(*blocks):
    return SimpleNamespace(methods=METHOD_NAMES, competencies=blocks)


def parse(card_) -> ET.Element:
    return ET.fromstring(chart_html(card_))  # well-formed, so the parser reads it back


def rows(tree):
    return {
        row.get("data-competency"): row for row in tree.iter("div") if row.get("data-competency")
    }


def bars(row):
    return [r for r in row.iter("rect") if "bar" in r.get("class", "").split()]


def full():
    return card(*(block(c, interview=60, scenario=70, self=80) for c in COMPETENCIES))


def test_one_bar_per_competency_and_method():
    tree = parse(full())
    found = rows(tree)
    assert list(found) == list(COMPETENCIES)
    for row in found.values():
        classes = sorted(b.get("class") for b in bars(row))
        assert classes == ["bar bar-interview", "bar bar-scenario", "bar bar-self"]
    assert sum(len(bars(r)) for r in found.values()) == len(COMPETENCIES) * len(METHOD_NAMES)


def test_a_bar_is_as_long_as_its_score():
    row = rows(parse(card(block("lead", interview=50, scenario=0, self=100))))["lead"]
    widths = {b.get("class").split("-")[-1]: float(b.get("width")) for b in bars(row)}
    assert widths == {
        "interview": pytest.approx((SCALE_X1 - SCALE_X0) / 2, abs=0.1),
        "scenario": 0.0,  # a real score of 0 is a bar (of no length) with its number
        "self": pytest.approx(SCALE_X1 - SCALE_X0, abs=0.1),
    }
    assert x_of(-5) == SCALE_X0 and x_of(120) == SCALE_X1


def test_a_missing_part_is_a_gap_not_a_zero():
    tree = parse(card(block("lead", interview=62), block("own", interview=40, self=55)))
    lead, own = rows(tree)["lead"], rows(tree)["own"]
    assert [b.get("class") for b in bars(lead)] == ["bar bar-interview"]
    gaps = {t.get("class"): t.text for t in lead.iter("text") if "gap" in t.get("class", "")}
    assert gaps == {
        "gap gap-scenario": "Scenarios: insufficient evidence",
        "gap gap-self": "Self-view: insufficient evidence",
    }
    numbers = [t.text for t in lead.iter("text") if "gap" not in t.get("class", "")]
    assert numbers == ["62"]  # no "0" for the missing parts
    assert [b.get("class") for b in bars(own)] == ["bar bar-interview", "bar bar-self"]


def test_every_text_is_escaped():
    hostile = '<img src="file:///etc/passwd"> & "quotes" \'too\''
    markup = chart_html(card(block("lead", name=hostile, interview=70)))
    assert "<img" not in markup and "&lt;img src=" in markup
    tree = ET.fromstring(markup)
    labels = [p.text for p in tree.iter("p") if p.get("class") == "sc-clabel"]
    assert hostile in labels  # read back, it is the name exactly as typed


def test_a_hostile_competency_id_cannot_break_out_of_its_attribute():
    tree = parse(card(block('x" onload="alert(1)', interview=70)))
    (row,) = rows(tree).values()
    assert row.get("data-competency") == 'x" onload="alert(1)'
    assert row.get("onload") is None


def test_the_band_is_drawn_across_the_bar():
    row = rows(parse(card(block("lead", interview=50))))["lead"]
    band = [p.get("d") for p in row.iter("path") if p.get("class") == "bands"]
    assert len(band) == 1
    lo, hi = f"{x_of(40):.1f}", f"{x_of(60):.1f}"
    assert band[0].startswith(f"M{lo} ") and f"H{hi}" in band[0]


def test_the_template_gets_markup_it_does_not_escape_again():
    assert str(competency_chart(full())) == chart_html(full())
    assert hasattr(competency_chart(full()), "__html__")
