"""The comparison list's pure parts against hand-computed numbers: ties, combined competency
scores, statuses and the allow-listed arguments."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from assessment.comparison.args import BadListArgs, ListArgs, parse_args
from assessment.comparison.cells import band, heat, methods_title, number
from assessment.comparison.summary_rows import codes_text, competency_entry, self_status
from assessment.comparison.ties import ties_with_previous
from assessment.scoring import NO_LOCAL_FIGURES, CompetencyScore, InterviewPart, Part, stats
from assessment.scoring.quality import Flag

TOL = 0.005


# --- not reliably different (SCIENCE §4) -----------------------------------------------


def sem(sd: float, r: float) -> float:
    return sd * math.sqrt(1 - r)


def test_the_threshold_on_1_to_5_from_science():
    """SD .8, r_a = r_b = .74: threshold 1.13; a gap of 1.0 is a tie, 1.2 is not."""
    s = sem(0.8, 0.74)  # .408
    assert stats.difference_threshold(s, s) == pytest.approx(1.13, abs=TOL)
    assert stats.difference_threshold_sd(0.8, 0.74, 0.74) == pytest.approx(1.13, abs=TOL)
    assert ties_with_previous([(4.0, s), (3.0, s)]) == [None, True]
    assert ties_with_previous([(4.2, s), (3.0, s)]) == [None, False]


def test_three_against_two_interviewers_from_science():
    """r_a = .702 (3 interviewers), r_b = .611 (2): threshold 1.30."""
    a, b = sem(0.8, 0.702), sem(0.8, 0.611)
    assert stats.difference_threshold(a, b) == pytest.approx(1.30, abs=TOL)
    assert ties_with_previous([(3.6, a), (2.35, b)]) == [None, True]  # gap 1.25
    assert ties_with_previous([(3.6, a), (2.25, b)]) == [None, False]  # gap 1.35


def test_marks_along_a_sorted_list_on_0_to_100():
    """SEM 10 each: threshold 1.96·√200 = 27.72. 90 → 70 (20): tie; 70 → 42 (28): not;
    42 → 40: tie; a missing score ties with nothing; the row above the page counts."""
    assert 1.96 * math.sqrt(200) == pytest.approx(27.72, abs=TOL)
    scores = [(90.0, 10.0), (70.0, 10.0), (42.0, 10.0), (40.0, 10.0), None, (39.0, 10.0)]
    assert ties_with_previous(scores) == [None, True, False, True, None, None]
    assert ties_with_previous(scores[:1], previous=(100.0, 10.0)) == [True]
    assert ties_with_previous(scores[:1], previous=(120.0, 10.0)) == [False]
    assert ties_with_previous([]) == []


def test_unequal_bands_widen_the_threshold():
    """SEM 5 and 15: 1.96·√250 = 30.99; a gap of 30 is still no ranking."""
    assert ties_with_previous([(80.0, 5.0), (50.0, 15.0)]) == [None, True]
    assert ties_with_previous([(80.0, 5.0), (49.0, 15.0)]) == [None, False]


# --- one competency over its methods (like the overall, SCIENCE §2.4) ------------------


def _part(method: str, score: float | None, part_sem: float | None) -> Part:
    band = stats.band(score, part_sem, 0, 100)
    kwargs = dict(
        competency="lead",
        method=method,
        score=score,
        sem=part_sem,
        band=band,
        default_reliability=True,
        answered=1,
        total=1,
        reason=None if score is not None else "insufficient evidence: test",
    )
    return InterviewPart(**kwargs) if method == "interview" else Part(**kwargs)


def competency(interview, scenario, self_view) -> CompetencyScore:
    return CompetencyScore(
        "lead",
        2.0,
        _part("interview", *interview),
        _part("scenario", *scenario),
        _part("self", *self_view),
        None,
        None,
    )


WEIGHTS = {"interview": 0.60, "scenario": 0.25, "self": 0.15}


def test_a_competency_combines_its_methods_with_their_weights():
    """75 (SEM 10.92), 80 (14.14), 70 (10.95) on the common scale → 75.5, SEM 7.62: one
    competency's methods have independent errors (no shared rater, no shared items)."""
    entry = competency_entry(
        competency((75, 10.92), (80, 14.14), (70, 10.95)), WEIGHTS, NO_LOCAL_FIGURES
    )
    assert entry["score"] == pytest.approx(0.6 * 75 + 0.25 * 80 + 0.15 * 70, abs=TOL)
    expected_sem = math.sqrt(0.36 * 10.92**2 + 0.0625 * 14.14**2 + 0.0225 * 10.95**2)
    assert entry["sem"] == pytest.approx(expected_sem)
    assert entry["sem"] == pytest.approx(7.62, abs=TOL)
    assert (entry["lo"], entry["hi"]) == pytest.approx((75.5 - 14.94, 75.5 + 14.94), abs=0.01)
    assert entry["parts"] == {
        "interview": [75, 10.92],
        "scenario": [80, 14.14],
        "self": [70, 10.95],
    }


def test_a_missing_method_is_left_out_and_too_little_is_insufficient():
    entry = competency_entry(
        competency((75, 10.92), (80, 14.14), (None, None)), WEIGHTS, NO_LOCAL_FIGURES
    )
    assert entry["score"] == pytest.approx((45 + 20) / 0.85, abs=TOL)  # 76.47
    alone = competency_entry(
        competency((None, None), (None, None), (70, 10.95)), WEIGHTS, NO_LOCAL_FIGURES
    )
    assert alone["score"] is None and alone["lo"] is None
    assert "15% of the weight (needs 50%)" in alone["reason"]
    no_interview = competency_entry(
        competency((None, None), (80, 14.14), (70, 10.95)),
        {"interview": 0.2, "scenario": 0.5, "self": 0.3},
        NO_LOCAL_FIGURES,
    )
    assert no_interview["score"] is None  # 80% of the weight, but no interview
    assert "needs one" in no_interview["reason"]


# --- statuses, flags, cells ------------------------------------------------------------


def test_self_assessment_status():
    assert self_status(None, 0) == "none"
    one = SimpleNamespace(status="invited", revoked_at=None)
    assert self_status(one, 0) == "invited"
    assert self_status(one, 3) == "in_progress"  # answers before the consent flag moved
    assert self_status(SimpleNamespace(status="in_progress", revoked_at="x"), 3) == "revoked"
    assert self_status(SimpleNamespace(status="submitted", revoked_at="x"), 3) == "submitted"


def test_flag_codes_are_found_whatever_their_place():
    flags = (Flag("self_gap", "m"), Flag("disagreement", "m"), Flag("self_gap", "n"))
    assert codes_text(f.code for f in flags) == ",disagreement,self_gap,"
    assert codes_text(()) == ""


@pytest.mark.parametrize(
    "score, shade",
    [(0.0, "heat-0"), (24.9, "heat-0"), (25.0, "heat-1"), (50.0, "heat-2"), (75.0, "heat-3")],
)
def test_heat_follows_the_anchors_and_the_number_is_always_there(score, shade):
    assert heat(score) == shade and number(score) == f"{score:.0f}"
    assert band(score - 10, score + 10) == f"{score - 10:.0f}–{score + 10:.0f}"
    assert (number(None), band(None, None)) == ("—", "")
    parts = {"interview": [72.4, 9.0, False], "scenario": [None] * 3, "self": [60.0, 8.0, True]}
    assert methods_title(parts) == "interview 72 · scenarios — · self-view 60"


# --- arguments -------------------------------------------------------------------------


def test_arguments_come_from_an_allow_list():
    args = parse_args({}, ["lead"])
    assert (args.sort, args.dir, args.page) == ("candidate", "asc", 1)
    assert parse_args({"sort": "overall"}, ["lead"]).dir == "desc"
    assert parse_args({"sort": "c.lead", "page": "x"}, ["lead"]).competency == "lead"
    assert parse_args({"sort": "c.lead", "page": "x"}, ["lead"]).page == 1
    for bad in (
        {"sort": "name desc, (select 1)"},
        {"sort": "c.own"},  # not a competency of this position
        {"dir": "up"},
        {"selfassess": "lost"},
        {"flag": "%"},
    ):
        with pytest.raises(BadListArgs):
            parse_args(bad, ["lead"])


def test_links_keep_the_other_arguments():
    args = ListArgs(sort="overall", dir="asc", flag="any", selfassess="submitted", page=3)
    assert args.link(page=4) == {
        "sort": "overall",
        "dir": "asc",
        "flag": "any",
        "selfassess": "submitted",
        "page": 4,
    }
    assert args.link(flag="") == {"sort": "overall", "dir": "asc", "selfassess": "submitted"}
    # Flipped to desc, the default for a score, so the link leaves it out; back to page 1.
    assert args.sort_link("overall") == {
        "sort": "overall",
        "flag": "any",
        "selfassess": "submitted",
    }
    assert args.sort_link("candidate") == {"flag": "any", "selfassess": "submitted"}
    assert args.aria_sort("overall") == "ascending" and args.aria_sort("flags") is None
    assert args.ranked and not ListArgs(sort="flags").ranked
