"""Hand-computed examples of SCIENCE.md §5 (leniency, disagreement) and §7's minimum of
co-rated candidates against assessment.stats_raters."""

import math

import pytest

from assessment.scoring.stats import raters as stats_raters
from tests.unit.worked_examples import FLAG_CASE, TOL, TOL3

# SCIENCE §5's table for rater "r": c1 4 vs (3, 3) → +1; c2 5 vs 4 → +1; c3 3 vs (3, 2) → +0.5;
# c4 4 vs (4, 4) → 0.
SECTION_5 = {
    ("c1", "lead"): {"r": 4, "x": 3, "y": 3},
    ("c2", "lead"): {"r": 5, "x": 4},
    ("c3", "lead"): {"r": 3, "x": 3, "y": 2},
    ("c4", "lead"): {"r": 4, "x": 4, "y": 4},
}
COMPETENCIES = ("lead", "own", "perspective", "process", "trust")


# --- interviewer scores (§2.1) ----------------------------------------------------------------


def test_rater_means_is_section_2_1_example():
    # A rates 4, 3, not covered, 5 → 4.0; B rates 3, 3, 4, 2 → 3.0; C rates 4, 4 → 4.0.
    rows = [
        *((("c1", "lead"), "A", v) for v in (4, 3, None, 5)),
        *((("c1", "lead"), "B", v) for v in (3, 3, 4, 2)),
        *((("c1", "lead"), "C", v) for v in (4, 4)),
    ]
    assert stats_raters.rater_means(rows) == {("c1", "lead"): {"A": 4.0, "B": 3.0, "C": 4.0}}


def test_not_covered_only_gives_no_score_never_a_low_one():
    rows = [(("c1", "lead"), "A", None), (("c1", "lead"), "B", 2)]
    assert stats_raters.rater_means(rows) == {("c1", "lead"): {"B": 2.0}}


# --- leniency (§5) and its minimum (§7) -------------------------------------------------------


def test_deviation_leaves_the_rater_out():
    # The table's deviations, by hand: +1, +1, +0.5, 0.
    effect = stats_raters.rater_effects(SECTION_5)["r"]
    assert effect.leniency == stats_raters.leniency([1.0, 1.0, 0.5, 0.0], candidates=4)


def test_leniency_four_candidates_not_enough_data():
    result = stats_raters.leniency([1.0, 1.0, 0.5, 0.0], candidates=4)
    assert result.value == pytest.approx(0.625)
    assert result.flag is None
    assert result.reason == "not enough data yet (4 of 10 co-rated candidates)"


def test_leniency_flag_case():
    value, se, flag = stats_raters.leniency(FLAG_CASE, candidates=10)
    assert value == pytest.approx(0.65, abs=TOL)
    assert se * math.sqrt(10) == pytest.approx(0.412, abs=TOL3)  # SD(d)
    assert se == pytest.approx(0.130, abs=TOL3)
    assert flag == "lenient"


def test_the_minimum_counts_candidates_not_deviations():
    """§7's minimum is 10 co-rated candidates: the flag case's ten deviations from two
    candidates (five competencies each) are not enough, though L and SE are the same."""
    result = stats_raters.leniency(FLAG_CASE, candidates=2)
    assert (result.pairs, result.candidates) == (10, 2)
    assert result.value == pytest.approx(0.65, abs=TOL)
    assert result.se == pytest.approx(0.130, abs=TOL3)
    assert result.flag is None
    assert result.reason == "not enough data yet (2 of 10 co-rated candidates)"


@pytest.mark.parametrize("candidates", [0, 11])
def test_deviations_need_between_one_and_as_many_candidates(candidates):
    with pytest.raises(ValueError):
        stats_raters.leniency(FLAG_CASE, candidates=candidates)


def test_leniency_severe_mirror():
    assert stats_raters.leniency([-d for d in FLAG_CASE], candidates=10).flag == "severe"


@pytest.mark.parametrize(
    "devs",
    [
        [0.4] * 12,  # consistent but small
        [2, -1, 2, -1, 2, -1, 2, -1, 2, -1],  # L = .5 but SE .5: could be chance
    ],
)
def test_leniency_not_flagged(devs):
    result = stats_raters.leniency(devs, candidates=len(devs))
    assert result.flag is None
    assert result.reason is None


def test_leniency_without_pairs_is_undefined():
    result = stats_raters.leniency([], candidates=0)
    assert result.value is None
    assert result.reason


# --- disagreement (§5) ------------------------------------------------------------------------


def test_disagreement_rate():
    # r: 4 vs (2, 4) hit; 3 vs 3 no; 5 vs (4, 4) no; 1 vs 3 hit; 2 alone is not co-rated.
    panels = {
        ("a",): {"r": 4, "x": 2, "y": 4},
        ("b",): {"r": 3, "x": 3},
        ("c",): {"r": 5, "x": 4, "y": 4},
        ("d",): {"r": 1, "x": 3},
        ("e",): {"r": 2},
    }
    effect = stats_raters.rater_effects(panels)["r"]
    assert effect.disagreement.value == pytest.approx(0.5)  # 2 of 4 co-rated
    assert effect.pairs == 4
    assert "r" not in stats_raters.rater_effects({("e",): {"r": 3}})  # nothing co-rated


def test_disagreement_counts_any_other_panellist_two_apart():
    # r: 4 vs (2, 4) hit; 3 vs 4 no; 1 vs (3, 2) hit (|1 − 3| = 2 is the boundary); 5 vs 3.5 no.
    panels = {
        ("a",): {"r": 4, "x": 2, "y": 4},
        ("b",): {"r": 3, "x": 4},
        ("c",): {"r": 1, "x": 3, "y": 2},
        ("d",): {"r": 5, "x": 3.5},
    }
    effects = stats_raters.rater_effects(panels)
    assert effects["r"].disagreement.value == pytest.approx(0.5)
    # x: 2 vs (4, 4) hit; 4 vs 3 no; 3 vs (1, 2) hit; 3.5 vs 5 no → .5
    assert effects["x"].disagreement.value == pytest.approx(0.5)


# --- every interviewer at once (the calibration page) -----------------------------------------


def test_rater_effects_section_5_table_is_not_enough_data():
    effect = stats_raters.rater_effects(SECTION_5)["r"]
    assert effect.leniency.value == pytest.approx(0.625)
    # Own mean (4 + 5 + 3 + 4)/4 = 4.0; the others' means 3, 4, 2.5, 4 → 3.375.
    assert effect.own_mean == pytest.approx(4.0)
    assert effect.others_mean == pytest.approx(3.375)
    assert (effect.candidates, effect.pairs) == (4, 4)
    assert effect.reason == "not enough data yet (4 of 10 co-rated candidates)"
    assert effect.leniency.flag is None  # never flagged below the minimum
    assert effect.disagreement.value == 0  # no difference reaches 2


def test_rater_effects_of_the_other_panellists_leave_each_one_out():
    # x: c1 3 vs (4, 3) → −0.5; c2 4 vs 5 → −1; c3 3 vs (3, 2) → +0.5; c4 4 vs (4, 4) → 0.
    # y: c1 3 vs (4, 3) → −0.5; c3 2 vs (3, 3) → −1; c4 0. Means −0.25 and −0.5.
    effects = stats_raters.rater_effects(SECTION_5)
    assert effects["x"].leniency.value == pytest.approx(-0.25)
    assert effects["y"].leniency.value == pytest.approx(-0.5)
    assert (effects["y"].candidates, effects["y"].pairs) == (3, 3)


def test_solo_targets_are_not_co_rated():
    panels = {("c1", "lead"): {"a": 5}, ("c2", "lead"): {"a": 4, "b": 4}}
    effects = stats_raters.rater_effects(panels)
    assert effects["a"].pairs == 1 and effects["a"].leniency.value == 0
    assert stats_raters.rater_effects({("c1", "lead"): {"a": 5}}) == {}


def test_rater_effects_section_5_flag_case():
    panels = {(f"c{i}", "lead"): {"r": 3 + d, "o": 3} for i, d in enumerate(FLAG_CASE)}
    effect = stats_raters.rater_effects(panels)["r"]
    assert effect.reason is None
    assert effect.leniency.value == pytest.approx(0.65)
    assert effect.leniency.se == pytest.approx(0.130, abs=TOL3)
    assert effect.leniency.flag == "lenient"
    mirror = stats_raters.rater_effects(panels)["o"]
    assert mirror.leniency.value == pytest.approx(-0.65) and mirror.leniency.flag == "severe"


def test_rater_effects_minimum_counts_candidates_like_leniency():
    """The flag case's ten deviations as two candidates × five competencies: the same L and
    SE as above, but 2 of 10 co-rated candidates, so nothing is shown (§7)."""
    panels = {
        (f"c{i // 5}", COMPETENCIES[i % 5]): {"r": 3 + d, "o": 3} for i, d in enumerate(FLAG_CASE)
    }
    effect = stats_raters.rater_effects(panels)["r"]
    assert (effect.candidates, effect.pairs) == (2, 10)
    assert effect.leniency.value == pytest.approx(0.65)
    assert effect.leniency.se == pytest.approx(0.130, abs=TOL3)
    assert effect.leniency.flag is None
    assert effect.reason == "not enough data yet (2 of 10 co-rated candidates)"
    assert effect.leniency == stats_raters.leniency(FLAG_CASE, candidates=2)


def test_rater_effects_severe_and_disagreement_rate():
    # 10 candidates: own 2 vs (4,) → −2 on three; own 3 vs (4, 3.5) → −0.75 on seven.
    panels = {(f"c{i}", "own"): {"r": 2, "a": 4} for i in range(3)}
    panels |= {(f"c{i}", "own"): {"r": 3, "a": 4, "b": 3.5} for i in range(3, 10)}
    effect = stats_raters.rater_effects(panels)["r"]
    # L = (3·(−2) + 7·(−0.75)) / 10 = −1.125
    assert effect.leniency.value == pytest.approx(-1.125)
    assert effect.leniency.flag == "severe"
    assert effect.disagreement.value == pytest.approx(0.3)  # 3 of 10 differ from someone by 2
