"""Hand-computed examples for the calibration and bank-quality statistics (issue 6) and the
wording that reads them; SCIENCE.md's worked examples where it has them."""

import math
from datetime import datetime, timedelta

import pytest

from assessment import stats
from assessment.bank_model import ScenarioItem, ScenarioResponse
from assessment.insights import readings

TOL = 0.005  # SCIENCE.md conventions
TOL3 = 0.0005

# SCIENCE §3.2: Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]
T0 = datetime(2026, 1, 5, 9)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


# --- interviewer scores and co-rated pairs (§2.1, §5) ---------------------------------------


def test_rater_means_is_section_2_1_example():
    # A rates 4, 3, not covered, 5 → 4.0; B rates 3, 3, 4, 2 → 3.0; C rates 4, 4 → 4.0.
    rows = [
        *((("c1", "lead"), "A", v) for v in (4, 3, None, 5)),
        *((("c1", "lead"), "B", v) for v in (3, 3, 4, 2)),
        *((("c1", "lead"), "C", v) for v in (4, 4)),
    ]
    assert stats.rater_means(rows) == {("c1", "lead"): {"A": 4.0, "B": 3.0, "C": 4.0}}


def test_not_covered_only_gives_no_score_never_a_low_one():
    rows = [(("c1", "lead"), "A", None), (("c1", "lead"), "B", 2)]
    assert stats.rater_means(rows) == {("c1", "lead"): {"B": 2.0}}


# --- leniency and disagreement per interviewer (§5, §7) --------------------------------------

# SCIENCE §5's table for rater "r": c1 4 vs (3, 3) → +1; c2 5 vs 4 → +1; c3 3 vs (3, 2) → +0.5;
# c4 4 vs (4, 4) → 0.
SECTION_5 = {
    ("c1", "lead"): {"r": 4, "x": 3, "y": 3},
    ("c2", "lead"): {"r": 5, "x": 4},
    ("c3", "lead"): {"r": 3, "x": 3, "y": 2},
    ("c4", "lead"): {"r": 4, "x": 4, "y": 4},
}


def test_rater_effects_section_5_table_is_not_enough_data():
    effect = stats.rater_effects(SECTION_5)["r"]
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
    effects = stats.rater_effects(SECTION_5)
    assert effects["x"].leniency.value == pytest.approx(-0.25)
    assert effects["y"].leniency.value == pytest.approx(-0.5)
    assert (effects["y"].candidates, effects["y"].pairs) == (3, 3)


def test_solo_targets_are_not_co_rated():
    effects = stats.rater_effects({("c1", "lead"): {"a": 5}, ("c2", "lead"): {"a": 4, "b": 4}})
    assert effects["a"].pairs == 1 and effects["a"].leniency.value == 0
    assert stats.rater_effects({("c1", "lead"): {"a": 5}}) == {}


def test_rater_effects_section_5_flag_case():
    # Ten candidates with deviations (1, 1, .5, 0, 1, .5, 1, 0, .5, 1): L = .65, SD .412, SE .130.
    devs = (1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1)
    panels = {(f"c{i}", "lead"): {"r": 3 + d, "o": 3} for i, d in enumerate(devs)}
    effect = stats.rater_effects(panels)["r"]
    assert effect.reason is None
    assert effect.leniency.value == pytest.approx(0.65)
    assert effect.leniency.se == pytest.approx(0.130, abs=TOL3)
    assert effect.leniency.flag == "lenient"
    mirror = stats.rater_effects(panels)["o"]
    assert mirror.leniency.value == pytest.approx(-0.65) and mirror.leniency.flag == "severe"


def test_minimum_counts_candidates_not_competency_pairs():
    # Four candidates × three competencies: twelve pairs, still four candidates (§7).
    panels = {(f"c{i}", c): {"r": 4, "o": 3} for i in range(4) for c in ("lead", "own", "trust")}
    effect = stats.rater_effects(panels)["r"]
    assert (effect.candidates, effect.pairs) == (4, 12)
    assert effect.reason == "not enough data yet (4 of 10 co-rated candidates)"


def test_rater_effects_severe_and_disagreement_rate():
    # 10 candidates: own 2 vs (4,) → −2 on three; own 3 vs (4, 3.5) → −0.75 on seven.
    panels = {(f"c{i}", "own"): {"r": 2, "a": 4} for i in range(3)}
    panels |= {(f"c{i}", "own"): {"r": 3, "a": 4, "b": 3.5} for i in range(3, 10)}
    effect = stats.rater_effects(panels)["r"]
    # L = (3·(−2) + 7·(−0.75)) / 10 = −1.125
    assert effect.leniency.value == pytest.approx(-1.125)
    assert effect.leniency.flag == "severe"
    assert effect.disagreement.value == pytest.approx(0.3)  # 3 of 10 differ from someone by 2


def test_disagreement_counts_any_other_panellist_two_apart():
    # r: 4 vs (2, 4) hit; 3 vs 4 no; 1 vs (3, 2) hit (|1 − 3| = 2 is the boundary); 5 vs 3.5 no.
    panels = {
        ("a",): {"r": 4, "x": 2, "y": 4},
        ("b",): {"r": 3, "x": 4},
        ("c",): {"r": 1, "x": 3, "y": 2},
        ("d",): {"r": 5, "x": 3.5},
    }
    effects = stats.rater_effects(panels)
    assert effects["r"].disagreement.value == pytest.approx(0.5)
    # The rate agrees with stats.disagreement_rate on the same pairs.
    pairs = [(4, [2, 4]), (3, [4]), (1, [3, 2]), (5, [3.5])]
    assert stats.disagreement_rate(pairs).value == pytest.approx(0.5)
    # x: 2 vs (4, 4) hit; 4 vs 3 no; 3 vs (1, 2) hit; 3.5 vs 5 no → .5
    assert effects["x"].disagreement.value == pytest.approx(0.5)


# --- panel agreement per position × competency (§3.2) ---------------------------------------


def _same_panel(matrix, raters=("J1", "J2", "J3", "J4")):
    return {
        f"c{i}": [(r, v, at(i * 10 + j)) for j, (r, v) in enumerate(zip(raters, row, strict=True))]
        for i, row in enumerate(matrix)
    }


def test_same_panel_gives_icc_2_with_the_shrout_fleiss_figures():
    found = stats.panel_agreement(_same_panel(SHROUT_FLEISS), min_candidates=6)
    assert (found.form, found.n, found.k, found.eligible) == ("2", 6, 4, 6)
    assert found.single.value == pytest.approx(0.290, abs=TOL3)  # ICC(2,1)
    assert found.mean.value == pytest.approx(0.620, abs=TOL3)  # ICC(2,4)
    assert found.consistency.value == pytest.approx(0.715, abs=TOL3)  # ICC(3,1)
    assert found.raters == ("J1", "J2", "J3", "J4")
    assert found.reason is None


def test_six_candidates_are_not_enough_by_default():
    found = stats.panel_agreement(_same_panel(SHROUT_FLEISS))
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
    found = stats.panel_agreement(scores, min_candidates=6)
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
    found = stats.panel_agreement(scores, min_candidates=4)
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
    assert stats.panel_agreement({**three, **two}, min_candidates=3).k == 3
    assert stats.panel_agreement({**three, **two}, min_candidates=4).k == 2


def test_group_ties_prefer_more_interviewers_then_the_earlier_first_submission():
    pair_late = {f"p{i}": [("a", 3 + i, at(50)), ("b", 2 + i, at(51))] for i in range(2)}
    pair_early = {f"q{i}": [("c", 3 + i, at(1)), ("d", 4 + i, at(2))] for i in range(2)}
    trio = {
        f"t{i}": [("e", 3 + i, at(60)), ("f", 4, at(61)), ("g", 2 + i, at(62))] for i in range(2)
    }
    chosen = stats.panel_agreement({**pair_late, **pair_early, **trio}, min_candidates=2)
    assert (chosen.form, chosen.raters) == ("2", ("e", "f", "g"))
    chosen = stats.panel_agreement({**pair_late, **pair_early}, min_candidates=2)
    assert chosen.raters == ("c", "d")


def test_a_bigger_group_beats_more_interviewers():
    pairs = {f"p{i}": [("a", 1 + i % 5, at(i)), ("b", 1 + (i + 1) % 5, at(i))] for i in range(3)}
    trio = {f"t{i}": [("e", 3 + i, at(0)), ("f", 4, at(0)), ("g", 2 + i, at(0))] for i in range(2)}
    assert stats.panel_agreement({**pairs, **trio}, min_candidates=2).raters == ("a", "b")


def test_constant_leniency_is_consistent_but_not_in_absolute_agreement():
    # B scores x, A scores x + 1, x = 1, 2, 3, 4 eight times (32 candidates). MSE = 0;
    # MSR = 2·40/31 = 2.5806, MSC = 32·(0.25 + 0.25) = 16.
    # ICC(2,1) = MSR/(MSR + 2·MSC/32) = 2.5806/3.5806 = .7207; ICC(2,2) = 2.5806/3.0806 = .8377.
    scores = {
        f"c{i}": [("A", x + 1, at(i)), ("B", x, at(i))] for i, x in enumerate([1, 2, 3, 4] * 8)
    }
    found = stats.panel_agreement(scores)
    assert (found.form, found.n, found.k) == ("2", 32, 2)
    assert found.single.value == pytest.approx(0.7207, abs=TOL3)
    assert found.mean.value == pytest.approx(0.8377, abs=TOL3)
    assert found.consistency.value == pytest.approx(1.0)
    # Spearman–Brown: .80 needs ⌈.8·(1 − .7207)/(.7207·.2)⌉ = ⌈1.55⌉ = 2 interviewers.
    assert stats.raters_needed(found.single.value, 0.80).value == 2


def test_no_candidates_is_not_enough_data():
    found = stats.panel_agreement({})
    assert found.form is None and found.eligible == 0
    assert "0 of 30" in found.reason


# --- item analysis (§3.1, §7) ---------------------------------------------------------------

# Four persons × four statements (reverse-keyed ones already flipped). Hand-computed: item
# variances 2/3, 2, 2, 2/3 (sum 16/3); totals 7, 11, 16, 14 (variance 46/3);
# α = 4/3 · (1 − 16/46) = 20/23 = .870. Without the fourth item these are §3.1's rows (α .80).
FOUR = [(2, 1, 2, 2), (3, 3, 2, 3), (3, 4, 5, 4), (4, 4, 3, 3)]


def test_scale_analysis_four_items():
    found = stats.scale_analysis(FOUR)
    assert found.complete == 4
    assert found.alpha.value == pytest.approx(20 / 23)
    # Item 4 (2, 3, 4, 3) vs the rest (5, 8, 12, 11): sxy 7, sxx 2, syy 30 → 7/√60 = .904.
    # Item 1 (2, 3, 3, 4) vs the rest (5, 8, 13, 10): sxy 5, sxx 2, syy 34 → 5/√68 = .606.
    r = [s.value for s in found.item_total]
    assert r[3] == pytest.approx(7 / math.sqrt(60))
    assert r[0] == pytest.approx(5 / math.sqrt(68))
    assert found.alpha_without[3].value == pytest.approx(0.80, abs=TOL)  # §3.1's example


def test_alpha_if_dropped_on_section_3_1_rows():
    # Without item 1: variances 2, 2; totals 3, 5, 9, 7 (20/3) → 2·(1 − 4/(20/3)) = .8
    # Without item 2: variances 2/3, 2; totals 4, 5, 8, 7 (10/3) → 2·(1 − (8/3)/(10/3)) = .4
    # Without item 3: variances 2/3, 2; totals 3, 6, 7, 8 (14/3) → 2·(1 − 8/14) = .857
    rows = [(2, 1, 2), (3, 3, 2), (3, 4, 5), (4, 4, 3)]
    found = stats.scale_analysis(rows)
    assert [s.value for s in found.alpha_without] == pytest.approx([0.8, 0.4, 6 / 7])
    # §3.1's own figures: α .80; item-total r .632, .904, .546.
    assert found.alpha.value == pytest.approx(0.80, abs=TOL)
    assert [s.value for s in found.item_total] == pytest.approx([0.632, 0.904, 0.546], abs=TOL3)


@pytest.mark.parametrize(
    "rows",
    [
        [(2, 1, 2), (3, 3, 2), (3, 4, 5), (4, 4, 3)],
        FOUR,
        [(1, 5, 2, 4, 3), (2, 4, 2, 5, 1), (5, 1, 4, 2, 2), (3, 3, 3, 3, 5), (4, 2, 5, 1, 4)],
        SHROUT_FLEISS,
    ],
)
def test_scale_analysis_agrees_with_cronbach_alpha_and_corrected_item_total(rows):
    found = stats.scale_analysis(rows)
    assert found.alpha.value == pytest.approx(stats.cronbach_alpha(rows).value)
    expected = [s.value for s in stats.corrected_item_total(rows)]
    assert [s.value for s in found.item_total] == pytest.approx(expected)
    for j, without in enumerate(found.alpha_without):
        rest = [row[:j] + row[j + 1 :] for row in map(list, rows)]
        assert without.value == pytest.approx(stats.cronbach_alpha(rest).value)


def test_alpha_of_shrout_fleiss_judges_as_items_is_icc_3k():
    # §3.1's cross-check: .909.
    assert stats.scale_analysis(SHROUT_FLEISS).alpha.value == pytest.approx(0.909, abs=TOL3)


def test_scale_analysis_undefined_cases_are_none_with_a_reason():
    constant_item = stats.scale_analysis([(1, 3), (2, 3), (3, 3)])
    assert constant_item.alpha.defined  # α is defined while the total varies
    assert not constant_item.item_total[0].defined and constant_item.item_total[0].reason
    flat = stats.scale_analysis([(3, 3), (3, 3)])
    assert not flat.alpha.defined and "zero variance" in flat.alpha.reason
    two = stats.scale_analysis([(1, 2), (2, 3), (4, 4)])
    assert all(not s.defined for s in two.alpha_without)  # one item left: no α
    one_row = stats.scale_analysis([(1, 2, 3)])
    assert one_row.complete == 1 and not one_row.alpha.defined


def test_scale_analysis_uses_complete_rows_only():
    found = stats.scale_analysis([*FOUR, (5, None, 1, 1)])
    assert found.complete == 4
    assert found.alpha.value == pytest.approx(20 / 23)


def test_scale_analysis_of_nothing_is_undefined_not_zero():
    found = stats.scale_analysis([])
    assert found.complete == 0 and not found.alpha.defined and found.item_total == ()


def test_item_summary():
    found = stats.item_summary([4, 5, None, 3])
    assert (found.n, found.mean, found.sd.value) == (3, 4.0, 1.0)
    empty = stats.item_summary([None])
    assert (empty.n, empty.mean, empty.sd.defined) == (0, None, False)


def test_pick_counts_count_only_answers_with_both_picks():
    picks = [("a", "b"), ("a", "c"), ("b", "a"), (None, "a"), ("c", None)]
    found = stats.pick_counts(picks, ["a", "b", "c", "d"])
    assert found.n == 3
    assert dict(found.most) == {"a": 2, "b": 1, "c": 0, "d": 0}
    assert dict(found.least) == {"a": 1, "b": 1, "c": 1, "d": 0}
    assert found.share(2) == pytest.approx(2 / 3)
    assert stats.pick_counts([], ["a"]).share(0) is None


def test_pick_counts_refuse_an_unknown_response():
    with pytest.raises(ValueError):
        stats.pick_counts([("a", "z")], ["a", "b"])


# --- the words on the pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.6, "rates 0.6 higher than their panels"),
        (-0.44, "rates 0.4 lower than their panels"),
        (1.25, "rates 1.2 higher than their panels"),  # one decimal, as shown
        (0.04, "rates in line with their panels"),
        (-0.04, "rates in line with their panels"),
    ],
)
def test_leniency_words_spell_out_the_sign(value, words):
    assert readings.leniency_words(value) == words


def test_not_enough_says_how_many_more():
    assert readings.not_enough(12, 30, "candidates") == (
        "not enough data yet (12 of 30 candidates; 18 more needed)"
    )


def test_alpha_below_70_is_a_problem():
    assert readings.alpha_problem(0.70) is None
    assert "0.69 is below 0.70" in readings.alpha_problem(0.69)


def _summary(n, mean, sd):
    return stats.ItemSummary(n, mean, stats.Stat(sd))


@pytest.mark.parametrize(
    ("summary", "r", "expected"),
    [
        (_summary(40, 3.2, 1.0), 0.45, []),
        (_summary(40, 3.2, 1.0), -0.05, ["reverse-keyed"]),
        (_summary(40, 3.2, 1.0), 0.05, ["below 0.10"]),
        (_summary(40, 3.2, 1.0), 0.10, []),  # .10 itself is not below
        (_summary(40, 4.6, 0.7), None, ["almost everyone agrees"]),
        (_summary(40, 1.4, 0.7), None, ["almost everyone disagrees"]),
        (_summary(40, 3.0, 0.4), None, ["barely vary"]),
        (_summary(40, 4.5, 0.45), -0.2, ["reverse-keyed", "agrees", "barely vary"]),
        (None, None, []),  # nothing shown, nothing judged
    ],
)
def test_statement_problems(summary, r, expected):
    problems = readings.statement_problems(summary, r)
    assert len(problems) == len(expected)
    for problem, words in zip(problems, expected, strict=True):
        assert words in problem


ITEM = ScenarioItem(
    id="lead-sjt-9",
    competency="lead",
    seed="000",
    situation="A customer…",
    responses=tuple(
        ScenarioResponse(rid, f"Response {rid}", key, "")
        for rid, key in (("a", 2), ("b", 5), ("c", 3), ("d", 4), ("e", 1))
    ),
)


def _counts(most, least):
    return stats.PickCounts(sum(most.values()), most, least)


def test_a_healthy_scenario_item_has_no_problem():
    counts = _counts(
        {"a": 5, "b": 60, "c": 10, "d": 20, "e": 5}, {"a": 25, "b": 3, "c": 10, "d": 2, "e": 60}
    )
    assert readings.scenario_problems(ITEM, counts, 78.0) == []


def test_scenario_problems_name_each_bad_behaviour():
    # b is keyed best (5) but picked as least 40 times and as most 20; e (keyed worst) the
    # reverse; c is never picked; the mean is no better than chance.
    counts = _counts(
        {"a": 30, "b": 20, "c": 0, "d": 10, "e": 40}, {"a": 30, "b": 40, "c": 0, "d": 25, "e": 5}
    )
    problems = readings.scenario_problems(ITEM, counts, 45.0)
    assert problems == [
        "nobody picks response c (key 3), as most or as least",
        "the keyed best response b (key 5) is picked as LEAST effective more often (40) than "
        "as MOST (20): check the key",
        "the keyed worst response e (key 1) is picked as MOST effective more often (40) than "
        "as LEAST (5): check the key",
        "respondents do no better than random picks (mean item score 45; chance is 50): "
        "check the key",
    ]


def test_rare_responses_and_too_easy_items():
    most = {"a": 0, "b": 194, "c": 5, "d": 1, "e": 0}
    least = {"a": 5, "b": 0, "c": 0, "d": 1, "e": 194}
    problems = readings.scenario_problems(ITEM, _counts(most, least), 93.0)
    assert problems == [
        "response d (key 4) is picked by only 2 of 200 respondents (under 2%): it does little work",
        "nearly everyone finds the key (mean item score 93 of 100): it hardly tells candidates "
        "apart",
    ]


def test_a_tie_at_the_bottom_of_the_key_is_not_judged():
    tied = ScenarioItem(
        id="own-sjt-9",
        competency="own",
        seed="000",
        situation="…",
        responses=tuple(
            ScenarioResponse(rid, rid, key, "") for rid, key in (("a", 2), ("b", 2), ("c", 5))
        ),
    )
    counts = _counts({"a": 6, "b": 4, "c": 30}, {"a": 2, "b": 38, "c": 0})
    assert readings.scenario_problems(tied, counts, 80.0) == []
