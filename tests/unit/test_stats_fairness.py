"""Hand-computed adverse-impact statistics (SCIENCE §10) against assessment.scoring.stats.fairness
and .dif, including the Uniform Guidelines' own four-fifths examples."""

import math
from fractions import Fraction

import pytest

from assessment.scoring.stats import dif, fairness
from assessment.scoring.stats.fairness import Selection
from tests.unit.worked_examples import TOL3, TOL4, assert_undefined

# --- the four-fifths rule ------------------------------------------------------------------

# Questions and Answers on the Uniform Guidelines (1979), Q&A 12: hiring rates of 60 % for
# whites, 45 % for American Indians, 48 % for Hispanics and 51 % for Blacks give impact
# ratios of 75 %, 80 % and 85 %: adverse impact is indicated for American Indians only.
UGESP_QA = [(45, 0.75, True), (48, 0.80, False), (51, 0.85, False), (60, 1.0, False)]


@pytest.mark.parametrize(("hired", "ratio", "flagged"), UGESP_QA)
def test_uniform_guidelines_questions_and_answers_example(hired, ratio, flagged):
    whites = Selection(60, 100)
    group = Selection(hired, 100)
    assert fairness.impact_ratio(group, whites).value == pytest.approx(ratio)
    assert fairness.below_four_fifths(group, whites) is flagged


def test_exactly_four_fifths_is_not_flagged_though_floats_say_otherwise():
    # 3/5 against 6/8 is exactly .80, but (3/5)/(6/8) is 0.7999999999999999 in floating
    # point: the rule is about the exact ratio.
    assert (3 / 5) / (6 / 8) < 0.8
    assert fairness.below_four_fifths(Selection(3, 5), Selection(6, 8)) is False


def test_science_example_12_of_40_against_48_of_80():
    # SCIENCE §10: .30 against .60 gives IR .50, flagged.
    focal, reference = Selection(12, 40), Selection(48, 80)
    assert fairness.impact_ratio(focal, reference).value == pytest.approx(0.5)
    assert fairness.below_four_fifths(focal, reference) is True


def test_impact_ratio_is_undefined_without_a_reference_selection():
    assert_undefined(fairness.impact_ratio(Selection(0, 5), Selection(0, 8)))
    assert_undefined(fairness.impact_ratio(Selection(0, 0), Selection(2, 8)))
    assert fairness.below_four_fifths(Selection(0, 5), Selection(0, 8)) is None


def test_selection_refuses_impossible_counts():
    with pytest.raises(ValueError):
        Selection(6, 5)
    assert Selection(0, 0).rate is None


# --- Fisher's exact test ---------------------------------------------------------------------


def test_fisher_tea_tasting():
    # 3 of 4 against 1 of 4, margins 4/4/4/4: the tables with k = 0…4 selected in the first
    # group have probabilities 1, 16, 36, 16, 1 (/70). Two-sided: 1 + 16 + 16 + 1 = 34/70.
    assert fairness.fisher_exact(Selection(3, 4), Selection(1, 4)).value == pytest.approx(34 / 70)


def test_fisher_all_against_none():
    # 0 of 5 against 5 of 5: only the two extreme tables, each 1/C(10,5) = 1/252.
    assert fairness.fisher_exact(Selection(0, 5), Selection(5, 5)).value == pytest.approx(2 / 252)


def test_fisher_equal_rates_is_one():
    assert fairness.fisher_exact(Selection(2, 4), Selection(2, 4)).value == pytest.approx(1.0)


def _exact_fisher(a: int, n1: int, c: int, n2: int) -> Fraction:
    """The definition, in exact fractions: a slow independent check."""
    chosen = a + c
    probs = {
        k: Fraction(math.comb(n1, k) * math.comb(n2, chosen - k), math.comb(n1 + n2, chosen))
        for k in range(max(0, chosen - n2), min(n1, chosen) + 1)
    }
    return sum(p for p in probs.values() if p <= probs[a])


@pytest.mark.parametrize(("a", "n1", "c", "n2"), [(12, 40, 48, 80), (7, 19, 3, 22), (0, 6, 9, 30)])
def test_fisher_matches_the_exact_definition(a, n1, c, n2):
    got = fairness.fisher_exact(Selection(a, n1), Selection(c, n2)).value
    assert got == pytest.approx(float(_exact_fisher(a, n1, c, n2)), rel=1e-9)


def test_fisher_stays_quick_with_ten_thousand_applicants():
    p = fairness.fisher_exact(Selection(1400, 5000), Selection(1600, 5000)).value
    assert 0 < p < 1e-4


# --- Z_IR and the interval of IR (Morris & Lobsenz 2000) ---------------------------------


def test_z_ir_worked_example():
    # 12/40 against 48/80: SR_T = 60/120 = .5; ln(.3/.6) = −.693147;
    # SE = √((1 − .5)/.5 · (1/40 + 1/80)) = √.0375 = .193649; Z = −3.5794.
    z = fairness.z_ir(Selection(12, 40), Selection(48, 80)).value
    assert z == pytest.approx(-3.5794, abs=TOL4)
    assert fairness.two_sided_p(z) == pytest.approx(0.000344, abs=0.000005)


def test_impact_ratio_interval_worked_example():
    # Var(ln IR) = .7/(40·.3) + .4/(80·.6) = .066667; ln .5 ± 1.96·.258199 → [.3014, .8294].
    lo, hi = fairness.impact_ratio_interval(Selection(12, 40), Selection(48, 80))
    assert (lo, hi) == pytest.approx((0.3014, 0.8294), abs=TOL4)


@pytest.mark.parametrize(
    ("focal", "reference"),
    [(Selection(0, 10), Selection(5, 10)), (Selection(10, 10), Selection(10, 10))],
)
def test_z_ir_undefined_at_zero_or_full_selection(focal, reference):
    assert_undefined(fairness.z_ir(focal, reference))


def test_two_sided_p_of_1_96_is_five_percent():
    assert fairness.two_sided_p(1.959964) == pytest.approx(0.05, abs=1e-6)


# --- standardised mean difference ------------------------------------------------------------


def test_d_and_its_interval():
    # Means 3 and 5, both SDs √2.5 → pooled √2.5; d = −2/1.5811 = −1.2649.
    # SE = √(10/25 + 1.6/20) = √.48 = .69282; d ± 1.35793 → [−2.6228, .0930].
    result = fairness.standardised_difference([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    assert result.d.value == pytest.approx(-1.2649, abs=TOL4)
    assert result.interval == pytest.approx((-2.6228, 0.0930), abs=TOL4)
    assert (result.n_group, result.n_others) == (5, 5)


def test_d_undefined_without_spread_or_people():
    assert_undefined(fairness.standardised_difference([3, 3], [3, 3, 3]).d)
    assert_undefined(fairness.standardised_difference([3], [1, 2, 3]).d)


# --- DIF: Mantel's test on item scores given the total ------------------------------------

S = dif.Scored
# Two strata of the total. Stratum 1: focal 0, 1; reference 1, 2 (n 4, Σ 4, Σ² 6):
# F = 1, E = 2·4/4 = 2, V = 2·2·(4·6 − 16)/(16·3) = .6667. Stratum 2: focal 1, 2; reference
# 2, 2 (Σ 7, Σ² 13): F = 3, E = 3.5, V = 2·2·(52 − 49)/48 = .25.
# χ² = (4 − 5.5)²/.91667 = 2.4545, p = .1172. SMD = ½(.5 − 1.5) + ½(1.5 − 2) = −.75;
# SD of the eight scores .7440, so SMD/SD = −1.008: large, but not significant → A.
HAND_TABLE = [S(True, 1, 0), S(True, 1, 1), S(False, 1, 1), S(False, 1, 2),
              S(True, 2, 1), S(True, 2, 2), S(False, 2, 2), S(False, 2, 2)]  # fmt: skip


def test_mantel_worked_example():
    result = dif.mantel_dif(HAND_TABLE)
    assert result.chi2.value == pytest.approx(2.4545, abs=TOL4)
    assert result.p == pytest.approx(0.1172, abs=TOL4)
    assert result.smd.value == pytest.approx(-0.75)
    assert result.effect.value == pytest.approx(-1.008, abs=TOL3)
    assert result.level == "A" and not result.flagged


def test_a_stratum_with_one_group_only_changes_nothing():
    extra = [S(False, 3, 2), S(False, 3, 0)]
    assert dif.mantel_dif(HAND_TABLE + extra) == dif.mantel_dif(HAND_TABLE)


def test_a_large_consistent_difference_is_flagged_c():
    # Ten copies of the hand table: the same SMD, now significant.
    result = dif.mantel_dif(HAND_TABLE * 10)
    assert result.p < 0.05
    assert result.level == "C" and result.flagged


def test_mantel_undefined_without_shared_strata():
    result = dif.mantel_dif([S(True, 1, 1), S(False, 2, 2)])
    assert_undefined(result.chi2)
    assert result.level is None


@pytest.mark.parametrize(
    ("p", "effect", "level"),
    [(0.01, 0.30, "C"), (0.01, -0.30, "C"), (0.01, 0.25, "B"), (0.01, 0.20, "B"),
     (0.01, 0.17, "A"), (0.20, 0.90, "A"), (None, 0.5, None)],
)  # fmt: skip
def test_ets_levels(p, effect, level):
    assert dif.ets_level(p, effect) == level


def test_quantile_strata():
    assert dif.quantile_strata(list(range(1, 11))) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert dif.quantile_strata([5, 5, 5, 5, 1]) == [1, 1, 1, 1, 0]  # ties share a stratum
    assert dif.quantile_strata([]) == []


def test_mantel_on_split_strata_is_the_same_test():
    split = [([0, 1], [1, 2]), ([1, 2], [2, 2])]  # the hand table, already split by stratum
    assert dif.mantel_strata(split) == dif.mantel_dif(HAND_TABLE)
