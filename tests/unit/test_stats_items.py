"""Hand-computed examples of SCIENCE.md §3.1 (Cronbach's α, corrected item-total r) and the
bank-quality item analysis against assessment.stats_items."""

import math
import random
import statistics

import pytest

from assessment.scoring import stats
from assessment.scoring.stats import agreement as stats_agreement
from assessment.scoring.stats import items as stats_items
from tests.unit.worked_examples import ALPHA_ROWS, SHROUT_FLEISS, TOL, TOL3, assert_undefined

# Four persons × four statements (reverse-keyed ones already flipped). Hand-computed: item
# variances 2/3, 2, 2, 2/3 (sum 16/3); totals 7, 11, 16, 14 (variance 46/3);
# α = 4/3 · (1 − 16/46) = 20/23 = .870. Without the fourth item these are §3.1's rows (α .80).
FOUR = [(2, 1, 2, 2), (3, 3, 2, 3), (3, 4, 5, 4), (4, 4, 3, 3)]


def _survey(n: int, k: int, seed: int = 6) -> list[tuple]:
    """n respondents × k 1–5 answers sharing one trait, about one in twenty with a gap."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        trait = rng.gauss(3, 0.8)
        row = [min(5, max(1, round(trait + rng.gauss(0, 0.9)))) for _ in range(k)]
        if rng.random() < 0.05:
            row[rng.randrange(k)] = None
        rows.append(tuple(row))
    return rows


def exact_alpha(rows) -> float:
    """§3.1 the slow way: statistics.variance of each item and of the totals (exact fractions
    on integers), as the first implementation computed it."""
    data = [row for row in rows if None not in row]
    k = len(data[0])
    items = sum(statistics.variance(col) for col in zip(*data, strict=True))
    return k / (k - 1) * (1 - items / statistics.variance([sum(row) for row in data]))


def pearson_item_rest(rows, j: int) -> float:
    data = [row for row in rows if None not in row]
    return stats.pearson([row[j] for row in data], [sum(row) - row[j] for row in data]).value


# --- §3.1 Cronbach's alpha -----------------------------------------------------------------


def test_alpha_worked_example():
    # Item variances 2/3, 2, 2; totals 5, 8, 12, 11 with variance 10.
    assert statistics.variance([5, 8, 12, 11]) == pytest.approx(10)
    assert stats_items.scale_analysis(ALPHA_ROWS).alpha.value == pytest.approx(0.80, abs=TOL)


def test_alpha_does_not_depend_on_the_divisor():
    k = 3
    cols = list(zip(*ALPHA_ROWS, strict=True))
    totals = [sum(r) for r in ALPHA_ROWS]
    population = (
        k
        / (k - 1)
        * (1 - sum(statistics.pvariance(c) for c in cols) / statistics.pvariance(totals))
    )
    assert stats_items.scale_analysis(ALPHA_ROWS).alpha.value == pytest.approx(
        population, abs=1e-12
    )


@pytest.mark.parametrize(("item", "expected"), [(0, 0.632), (1, 0.904), (2, 0.546)])
def test_corrected_item_total(item, expected):
    found = stats_items.scale_analysis(ALPHA_ROWS).item_total[item].value
    assert found == pytest.approx(expected, abs=TOL3)


def test_alpha_of_shrout_fleiss_table_equals_icc_3k():
    # §3.1's cross-check: the judges taken as items give .909 = ICC(3,k).
    alpha = stats_items.scale_analysis(SHROUT_FLEISS).alpha.value
    assert alpha == pytest.approx(0.909, abs=TOL3)
    assert alpha == pytest.approx(stats_agreement.icc(SHROUT_FLEISS)["3,k"].value, abs=1e-12)


def test_alpha_uses_complete_rows_only():
    with_gap = [*ALPHA_ROWS, (5, None, 1)]
    assert stats_items.scale_analysis(with_gap).alpha.value == pytest.approx(0.80, abs=TOL)


@pytest.mark.parametrize(
    "rows",
    [
        [],  # empty input
        [(1, 2, 3)],  # one person
        [(1,), (2,), (3,)],  # one item
        [(3, 3), (3, 3), (3, 3)],  # zero variance of totals
        [(1, 5), (5, 1), (3, 3)],  # totals all 6
    ],
)
def test_alpha_undefined_is_none_with_reason(rows):
    assert_undefined(stats_items.scale_analysis(rows).alpha)


def test_item_total_undefined_for_constant_item():
    rows = [(3, 1, 2), (3, 2, 2), (3, 4, 5)]
    result = stats_items.scale_analysis(rows).item_total
    assert_undefined(result[0])
    assert result[1].defined


def test_ragged_rows_are_a_caller_error():
    with pytest.raises(ValueError):
        stats_items.scale_analysis([(1, 2), (1, 2, 3)])


@pytest.mark.parametrize(
    "rows",
    [
        ALPHA_ROWS,
        FOUR,
        [(1, 5, 2, 4, 3), (2, 4, 2, 5, 1), (5, 1, 4, 2, 2), (3, 3, 3, 3, 5), (4, 2, 5, 1, 4)],
        SHROUT_FLEISS,
        _survey(2_000, 6),
    ],
    ids=["section-3.1", "four-items", "five-by-five", "shrout-fleiss", "2000-respondents"],
)
def test_float_covariances_match_the_exact_computation(rows):
    """α, item-total r and α-if-dropped from one float covariance matrix agree to 1e-9 with
    exact-fraction variances and a Pearson r per item (the first, slow implementation)."""
    found = stats_items.scale_analysis(rows)
    assert found.alpha.value == pytest.approx(exact_alpha(rows), abs=1e-9)
    k = len(rows[0])
    expected = [pearson_item_rest(rows, j) for j in range(k)]
    assert [s.value for s in found.item_total] == pytest.approx(expected, abs=1e-9)
    # α if dropped is over the same respondents: those who answered every item of the scale.
    complete = [row for row in rows if None not in row]
    for j, without in enumerate(found.alpha_without):
        rest = [row[:j] + row[j + 1 :] for row in complete]
        assert without.value == pytest.approx(exact_alpha(rest), abs=1e-9)


# --- the whole scale at once (bank quality) ---------------------------------------------------


def test_scale_analysis_four_items():
    found = stats_items.scale_analysis(FOUR)
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
    found = stats_items.scale_analysis(ALPHA_ROWS)
    assert [s.value for s in found.alpha_without] == pytest.approx([0.8, 0.4, 6 / 7])
    # §3.1's own figures: α .80; item-total r .632, .904, .546.
    assert found.alpha.value == pytest.approx(0.80, abs=TOL)
    assert [s.value for s in found.item_total] == pytest.approx([0.632, 0.904, 0.546], abs=TOL3)


def test_scale_analysis_undefined_cases_are_none_with_a_reason():
    constant_item = stats_items.scale_analysis([(1, 3), (2, 3), (3, 3)])
    assert constant_item.alpha.defined  # α is defined while the total varies
    assert_undefined(constant_item.item_total[0])
    flat = stats_items.scale_analysis([(3, 3), (3, 3)])
    assert not flat.alpha.defined and "zero variance" in flat.alpha.reason
    two = stats_items.scale_analysis([(1, 2), (2, 3), (4, 4)])
    assert all(not s.defined for s in two.alpha_without)  # one item left: no α
    one_row = stats_items.scale_analysis([(1, 2, 3)])
    assert one_row.complete == 1 and not one_row.alpha.defined


def test_scale_analysis_uses_complete_rows_only():
    found = stats_items.scale_analysis([*FOUR, (5, None, 1, 1)])
    assert found.complete == 4
    assert found.alpha.value == pytest.approx(20 / 23)


def test_scale_analysis_of_nothing_is_undefined_not_zero():
    found = stats_items.scale_analysis([])
    assert found.complete == 0 and not found.alpha.defined and found.item_total == ()


# --- items: mean, SD and pick counts (§7: shown from 30 respondents) --------------------------


def test_item_summary():
    found = stats_items.item_summary([4, 5, None, 3])
    assert (found.n, found.mean, found.sd.value) == (3, 4.0, 1.0)
    empty = stats_items.item_summary([None])
    assert (empty.n, empty.mean, empty.sd.defined) == (0, None, False)
    one = stats_items.item_summary([2, None])
    assert (one.n, one.mean) == (1, 2.0) and not one.sd.defined


def test_pick_counts_count_only_answers_with_both_picks():
    picks = [("a", "b"), ("a", "c"), ("b", "a"), (None, "a"), ("c", None)]
    found = stats_items.pick_counts(picks, ["a", "b", "c", "d"])
    assert found.n == 3
    assert dict(found.most) == {"a": 2, "b": 1, "c": 0, "d": 0}
    assert dict(found.least) == {"a": 1, "b": 1, "c": 1, "d": 0}
    assert found.share(2) == pytest.approx(2 / 3)
    assert stats_items.pick_counts([], ["a"]).share(0) is None


def test_pick_counts_refuse_an_unknown_response():
    with pytest.raises(ValueError):
        stats_items.pick_counts([("a", "z")], ["a", "b"])
