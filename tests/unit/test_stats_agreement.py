"""Hand-computed examples of SCIENCE.md §3.2 (intraclass correlations, panel agreement per
position × competency) against assessment.stats_agreement."""

import statistics
from datetime import datetime, timedelta

import pytest

from assessment.scoring import stats
from assessment.scoring.stats import agreement as stats_agreement
from tests.unit.worked_examples import SHROUT_FLEISS, TOL, TOL3, TOL4, assert_undefined

T0 = datetime(2026, 1, 5, 9)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


# --- §3.2 Intraclass correlations ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected", "tol"),
    [
        ("MSR", 11.2417, TOL4),
        ("MSC", 32.4861, TOL4),
        ("MSE", 1.0194, TOL4),
        ("MSW", 6.2639, TOL4),
        ("1,1", 0.166, TOL3),
        ("2,1", 0.290, TOL3),
        ("3,1", 0.715, TOL3),
        ("1,k", 0.443, TOL3),
        ("2,k", 0.620, TOL3),
        ("3,k", 0.909, TOL3),
    ],
)
def test_icc_shrout_fleiss_table(name, expected, tol):
    assert stats_agreement.icc(SHROUT_FLEISS)[name].value == pytest.approx(expected, abs=tol)


@pytest.mark.parametrize(
    ("name", "published"),
    [("1,1", 0.17), ("2,1", 0.29), ("3,1", 0.71), ("1,k", 0.44), ("2,k", 0.62), ("3,k", 0.91)],
)
def test_icc_matches_published_two_decimals(name, published):
    assert stats_agreement.icc(SHROUT_FLEISS)[name].value == pytest.approx(published, abs=TOL)


def test_judge_means_show_the_leniency_spread():
    means = [statistics.fmean(col) for col in zip(*SHROUT_FLEISS, strict=True)]
    assert means == pytest.approx([7.67, 2.50, 4.33, 6.67], abs=TOL)


@pytest.mark.parametrize(
    "matrix",
    [
        [[3, 3], [3, 3], [3, 3]],  # no variance at all
        [[1, 2, 3]],  # one candidate
        [[1], [2], [3]],  # one interviewer
    ],
)
def test_icc_undefined_is_none_with_reason(matrix):
    result = stats_agreement.icc(matrix)
    assert set(result) >= set(stats_agreement.ICC_FORMS)
    for form in stats_agreement.ICC_FORMS:
        assert_undefined(result[form])


def test_icc_needs_a_complete_matrix():
    with pytest.raises(ValueError):
        stats_agreement.icc([[1, 2], [3, None]])


def test_negative_icc_is_shown_as_is_and_reads_no_agreement():
    value = stats_agreement.icc([[1, 5], [5, 1], [2, 4]])["1,1"].value
    assert value < 0
    assert stats_agreement.icc_label(value) == "no agreement"


# The case: 30 candidates, 2 interviewers, alternating 4/3 and 3/4. MSR = MSC = 0,
# MSE = 15/29; ICC(2,1) = −MSE / (MSE − 2·MSE/30) = −1/(1 − 1/15) = −1.0714, and ICC(2,k)
# = −MSE / (−MSE/30) = 30.0: a near-zero denominator, not excellent agreement.
ALTERNATING = [[4, 3] if i % 2 == 0 else [3, 4] for i in range(30)]


def test_an_average_form_outside_minus_one_to_one_is_never_shown():
    result = stats_agreement.icc(ALTERNATING)
    assert result["2,1"].value == pytest.approx(-15 / 14)
    assert stats_agreement.icc_label(result["2,1"].value) == "no agreement"
    assert_undefined(result["2,k"])
    assert "outside −1 to 1" in result["2,k"].reason
    found = stats_agreement.panel_agreement(_same_panel(ALTERNATING, ("A", "B")))
    assert found.form == "2" and found.n == 30
    assert found.single.value == pytest.approx(-1.0714, abs=1e-4)
    assert_undefined(found.mean)
    assert found.mean_interval is None
    assert stats.raters_needed(found.single.value, 0.8).value is None
    assert_undefined(stats.spearman_brown(-0.6, 3))  # not 9.0


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0, "no agreement"),
        (0.01, "poor"),
        (0.49, "poor"),
        (0.50, "moderate"),
        (0.74, "moderate"),
        (0.75, "good"),
        (0.89, "good"),
        (0.90, "excellent"),
        (1.0, "excellent"),
    ],
)
def test_icc_label_koo_li(value, label):
    assert stats_agreement.icc_label(value) == label


@pytest.mark.parametrize("form", ["1", "2", "3"])
def test_stepping_icc_single_to_four_gives_icc_k(form):
    # §3.3's identity: Spearman–Brown of ICC(x,1) to m = 4 is ICC(x,4).
    result = stats_agreement.icc(SHROUT_FLEISS)
    stepped = stats.spearman_brown(result[f"{form},1"].value, 4).value
    assert stepped == pytest.approx(result[f"{form},k"].value, abs=1e-12)


# --- panel agreement per position × competency (§3.2's three steps) --------------------------


def _same_panel(matrix, raters=("J1", "J2", "J3", "J4")):
    return {
        f"c{i}": [(r, v, at(i * 10 + j)) for j, (r, v) in enumerate(zip(raters, row, strict=True))]
        for i, row in enumerate(matrix)
    }


def test_same_panel_gives_icc_2_with_the_shrout_fleiss_figures():
    found = stats_agreement.panel_agreement(_same_panel(SHROUT_FLEISS), min_candidates=6)
    assert (found.form, found.n, found.k, found.eligible) == ("2", 6, 4, 6)
    assert found.single.value == pytest.approx(0.290, abs=TOL3)  # ICC(2,1)
    assert found.mean.value == pytest.approx(0.620, abs=TOL3)  # ICC(2,4)
    assert found.consistency.value == pytest.approx(0.715, abs=TOL3)  # ICC(3,1)
    assert found.raters == ("J1", "J2", "J3", "J4")
    assert found.reason is None


def test_six_candidates_are_not_enough_by_default():
    found = stats_agreement.panel_agreement(_same_panel(SHROUT_FLEISS))
    assert found.form is None and not found.single.defined and not found.mean.defined
    assert found.eligible == 6
    assert found.reason == (
        "not enough data yet (6 of 30 candidates scored by two or more interviewers)"
    )


def test_differing_panels_give_icc_1_with_the_shrout_fleiss_figures():
    # Every candidate has their own four interviewers: no shared panel, so one-way ICC(1,·).
    scores = {
        f"c{i}": [(f"r{i}-{j}", v, at(i * 10 + j)) for j, v in enumerate(row)]
        for i, row in enumerate(SHROUT_FLEISS)
    }
    found = stats_agreement.panel_agreement(scores, min_candidates=6)
    assert (found.form, found.n, found.k) == ("1", 6, 4)
    assert found.single.value == pytest.approx(0.166, abs=TOL3)  # ICC(1,1)
    assert found.mean.value == pytest.approx(0.443, abs=TOL3)  # ICC(1,4)
    assert found.consistency is None and found.raters == ()


def test_icc_1_uses_each_candidates_first_k_scores_in_submission_order():
    scores = {
        "c1": [("a", 4, at(1)), ("b", 2, at(2)), ("c", 5, at(3))],  # first two: 4, 2
        "c2": [("a", 3, at(2)), ("b", 3, at(1))],  # 3, 3
        "c3": [("c", 5, at(2)), ("a", 4, at(1))],  # by time: a 4, then c 5
        "c4": [("d", 2, at(1)), ("e", 1, at(2)), ("a", 1, at(3))],  # 2, 1
        "c5": [("a", 5, at(1))],  # one score: not eligible
    }
    found = stats_agreement.panel_agreement(scores, min_candidates=4)
    # k = 2 (four candidates reach two scores). Matrix [[4, 2], [3, 3], [4, 5], [2, 1]]:
    # grand mean 3, row means 3, 3, 4.5, 1.5 → SS_R = 2·4.5 = 9, MSR = 3; SS_T = 12,
    # MSW = (12 − 9)/4 = 0.75. ICC(1,1) = 2.25/3.75 = 0.6; ICC(1,2) = 2.25/3 = 0.75.
    assert (found.form, found.n, found.k, found.eligible) == ("1", 4, 2, 4)
    assert found.single.value == pytest.approx(0.6)
    assert found.mean.value == pytest.approx(0.75)


def test_icc_1_takes_the_largest_k_that_enough_candidates_reach():
    three = {
        f"c{i}": [(f"x{i}", 3, at(1)), (f"y{i}", 4, at(2)), (f"z{i}", 2, at(3))] for i in range(3)
    }
    two = {f"d{i}": [(f"u{i}", 3, at(1)), (f"v{i}", 4, at(2))] for i in range(2)}
    assert stats_agreement.panel_agreement({**three, **two}, min_candidates=3).k == 3
    assert stats_agreement.panel_agreement({**three, **two}, min_candidates=4).k == 2


def test_group_ties_prefer_more_interviewers_then_the_earlier_first_submission():
    pair_late = {f"p{i}": [("a", 3 + i, at(50)), ("b", 2 + i, at(51))] for i in range(2)}
    pair_early = {f"q{i}": [("c", 3 + i, at(1)), ("d", 4 + i, at(2))] for i in range(2)}
    trio = {
        f"t{i}": [("e", 3 + i, at(60)), ("f", 4, at(61)), ("g", 2 + i, at(62))] for i in range(2)
    }
    chosen = stats_agreement.panel_agreement({**pair_late, **pair_early, **trio}, min_candidates=2)
    assert (chosen.form, chosen.raters) == ("2", ("e", "f", "g"))
    chosen = stats_agreement.panel_agreement({**pair_late, **pair_early}, min_candidates=2)
    assert chosen.raters == ("c", "d")


def test_a_bigger_group_beats_more_interviewers():
    pairs = {f"p{i}": [("a", 1 + i % 5, at(i)), ("b", 1 + (i + 1) % 5, at(i))] for i in range(3)}
    trio = {f"t{i}": [("e", 3 + i, at(0)), ("f", 4, at(0)), ("g", 2 + i, at(0))] for i in range(2)}
    assert stats_agreement.panel_agreement({**pairs, **trio}, min_candidates=2).raters == ("a", "b")


def test_constant_leniency_is_consistent_but_not_in_absolute_agreement():
    # B scores x, A scores x + 1, x = 1, 2, 3, 4 eight times (32 candidates). MSE = 0;
    # MSR = 2·40/31 = 2.5806, MSC = 32·(0.25 + 0.25) = 16.
    # ICC(2,1) = MSR/(MSR + 2·MSC/32) = 2.5806/3.5806 = .7207; ICC(2,2) = 2.5806/3.0806 = .8377.
    scores = {
        f"c{i}": [("A", x + 1, at(i)), ("B", x, at(i))] for i, x in enumerate([1, 2, 3, 4] * 8)
    }
    found = stats_agreement.panel_agreement(scores)
    assert (found.form, found.n, found.k) == ("2", 32, 2)
    assert found.single.value == pytest.approx(0.7207, abs=TOL3)
    assert found.mean.value == pytest.approx(0.8377, abs=TOL3)
    assert found.consistency.value == pytest.approx(1.0)
    # Spearman–Brown: .80 needs ⌈.8·(1 − .7207)/(.7207·.2)⌉ = ⌈1.55⌉ = 2 interviewers.
    assert stats.raters_needed(found.single.value, 0.80).value == 2


def test_no_candidates_is_not_enough_data():
    found = stats_agreement.panel_agreement({})
    assert found.form is None and found.eligible == 0
    assert "0 of 30" in found.reason
