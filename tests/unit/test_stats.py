"""Hand-computed examples of SCIENCE.md §3–§5 against assessment.stats."""

import math
import statistics

import pytest

from assessment import stats
from assessment.stats import Stat

TOL = 0.005  # SCIENCE.md conventions
TOL3 = 0.0005  # where the document gives three decimals
TOL4 = 0.00005  # where it gives four

# SCIENCE §3.1: four persons × three items.
ALPHA_ROWS = [(2, 1, 2), (3, 3, 2), (3, 4, 5), (4, 4, 3)]

# Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater
# reliability. Psychological Bulletin, 86(2), 420–428, Table 2: 6 targets × 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def assert_undefined(stat: Stat) -> None:
    assert stat.value is None
    assert stat.reason
    assert not stat.defined


# --- scale conversions -------------------------------------------------------------------


@pytest.mark.parametrize(("m", "p"), [(1, 0), (3, 50), (4, 75), (5, 100), (3.6, 65)])
def test_scale_conversions(m, p):
    assert stats.to_100(m) == pytest.approx(p)
    assert stats.from_100(p) == pytest.approx(m)


# --- §3.1 Cronbach's alpha -----------------------------------------------------------------


def test_alpha_worked_example():
    # Item variances 2/3, 2, 2; totals 5, 8, 12, 11 with variance 10.
    assert statistics.variance([5, 8, 12, 11]) == pytest.approx(10)
    assert stats.cronbach_alpha(ALPHA_ROWS).value == pytest.approx(0.80, abs=TOL)


def test_alpha_does_not_depend_on_the_divisor():
    k = 3
    cols = list(zip(*ALPHA_ROWS, strict=True))
    totals = [sum(r) for r in ALPHA_ROWS]
    population = (
        k
        / (k - 1)
        * (1 - sum(statistics.pvariance(c) for c in cols) / statistics.pvariance(totals))
    )
    assert stats.cronbach_alpha(ALPHA_ROWS).value == pytest.approx(population, abs=1e-12)


@pytest.mark.parametrize(("item", "expected"), [(0, 0.632), (1, 0.904), (2, 0.546)])
def test_corrected_item_total(item, expected):
    assert stats.corrected_item_total(ALPHA_ROWS)[item].value == pytest.approx(expected, abs=TOL3)


def test_alpha_of_shrout_fleiss_table_equals_icc_3k():
    alpha = stats.cronbach_alpha(SHROUT_FLEISS).value
    assert alpha == pytest.approx(0.909, abs=TOL3)
    assert alpha == pytest.approx(stats.icc(SHROUT_FLEISS)["3,k"].value, abs=1e-12)


def test_alpha_uses_complete_rows_only():
    with_gap = [*ALPHA_ROWS, (5, None, 1)]
    assert stats.cronbach_alpha(with_gap).value == pytest.approx(0.80, abs=TOL)


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
    assert_undefined(stats.cronbach_alpha(rows))


def test_item_total_undefined_for_constant_item():
    rows = [(3, 1, 2), (3, 2, 2), (3, 4, 5)]
    result = stats.corrected_item_total(rows)
    assert_undefined(result[0])
    assert result[1].defined


def test_ragged_rows_are_a_caller_error():
    with pytest.raises(ValueError):
        stats.cronbach_alpha([(1, 2), (1, 2, 3)])


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
    assert stats.icc(SHROUT_FLEISS)[name].value == pytest.approx(expected, abs=tol)


@pytest.mark.parametrize(
    ("name", "published"),
    [("1,1", 0.17), ("2,1", 0.29), ("3,1", 0.71), ("1,k", 0.44), ("2,k", 0.62), ("3,k", 0.91)],
)
def test_icc_matches_published_two_decimals(name, published):
    assert stats.icc(SHROUT_FLEISS)[name].value == pytest.approx(published, abs=TOL)


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
    result = stats.icc(matrix)
    assert set(result) >= set(stats.ICC_FORMS)
    for form in stats.ICC_FORMS:
        assert_undefined(result[form])


def test_icc_needs_a_complete_matrix():
    with pytest.raises(ValueError):
        stats.icc([[1, 2], [3, None]])


def test_negative_icc_is_shown_as_is_and_labelled_poor():
    value = stats.icc([[1, 5], [5, 1], [2, 4]])["1,1"].value
    assert value < 0
    assert stats.icc_label(value) == "poor"


@pytest.mark.parametrize(
    ("value", "label"),
    [
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
    assert stats.icc_label(value) == label


# --- §3.3 Spearman–Brown ---------------------------------------------------------------------


@pytest.mark.parametrize(("m", "expected"), [(1, 0.44), (2, 0.611), (3, 0.702), (5.09, 0.80)])
def test_spearman_brown(m, expected):
    assert stats.spearman_brown(0.44, m).value == pytest.approx(expected, abs=TOL3)


@pytest.mark.parametrize(
    ("r1", "target", "needed"),
    [(0.44, 0.80, 6), (0.5, 0.8, 4), (0.44, 0.44, 1), (0.9, 0.8, 1)],
)
def test_raters_needed(r1, target, needed):
    assert stats.raters_needed(r1, target).value == needed


@pytest.mark.parametrize(("r1", "target"), [(0.0, 0.8), (-0.2, 0.8), (0.44, 1.0)])
def test_raters_needed_undefined(r1, target):
    assert_undefined(stats.raters_needed(r1, target))


@pytest.mark.parametrize("form", ["1", "2", "3"])
def test_stepping_icc_single_to_four_gives_icc_k(form):
    result = stats.icc(SHROUT_FLEISS)
    stepped = stats.spearman_brown(result[f"{form},1"].value, 4).value
    assert stepped == pytest.approx(result[f"{form},k"].value, abs=1e-12)


def test_stepping_290_gives_620():
    assert stats.spearman_brown(0.290, 4).value == pytest.approx(0.620, abs=TOL)


def test_spearman_brown_zero_denominator_is_undefined():
    assert_undefined(stats.spearman_brown(-1.0, 2))


# --- §4 SEM, bands, comparisons, labels --------------------------------------------------


def test_sem_with_local_reliability_on_1_to_5():
    sem = stats.sem(0.80, 0.74).value
    assert sem == pytest.approx(0.408, abs=TOL3)
    assert stats.band(3.6, sem, 1, 5) == pytest.approx((2.80, 4.40), abs=TOL)


def test_sem_three_interviewers_on_defaults():
    r = stats.spearman_brown(0.44, 3).value
    assert r == pytest.approx(0.702, abs=TOL3)
    sem = stats.sem(0.8, r).value
    assert sem == pytest.approx(0.437, abs=TOL3)
    assert stats.band(3.6, sem, 1, 5) == pytest.approx((2.74, 4.46), abs=TOL)


def test_sem_two_interviewers_on_defaults():
    r = stats.spearman_brown(0.44, 2).value
    assert r == pytest.approx(0.611, abs=TOL3)
    assert 1.96 * stats.sem(0.8, r).value == pytest.approx(0.98, abs=TOL)


def test_sem_on_0_to_100():
    sem = stats.sem(20, 0.75).value
    assert sem == pytest.approx(10)
    assert stats.band(60, sem, 0, 100) == pytest.approx((40.4, 79.6))


@pytest.mark.parametrize(("r", "expected"), [(-0.3, 20.0), (0.0, 20.0), (1.0, 0.0), (1.4, 0.0)])
def test_sem_clamps_r(r, expected):
    assert stats.sem(20, r).value == pytest.approx(expected)


def test_band_is_clipped_to_the_scale():
    assert stats.band(95, 10, 0, 100) == pytest.approx((75.4, 100.0))
    assert stats.band(1.2, 0.5, 1, 5) == pytest.approx((1.0, 2.18))
    assert stats.band(None, 10, 0, 100) is None
    assert stats.band(50, None, 0, 100) is None


def test_not_reliably_different_threshold_local():
    threshold = stats.difference_threshold_sd(0.8, 0.74, 0.74)
    assert threshold == pytest.approx(1.13, abs=TOL)
    assert stats.not_reliably_different_sd(3.0, 4.0, 0.8, 0.74, 0.74) is True
    assert stats.not_reliably_different_sd(3.0, 4.2, 0.8, 0.74, 0.74) is False


def test_not_reliably_different_threshold_three_vs_two_interviewers():
    r3 = stats.spearman_brown(0.44, 3).value
    r2 = stats.spearman_brown(0.44, 2).value
    assert stats.difference_threshold_sd(0.8, r3, r2) == pytest.approx(1.30, abs=TOL)


def test_sem_form_equals_sd_form_for_a_shared_sd():
    sem_a, sem_b = stats.sem(0.8, 0.702).value, stats.sem(0.8, 0.611).value
    assert stats.difference_threshold(sem_a, sem_b) == pytest.approx(
        stats.difference_threshold_sd(0.8, 0.702, 0.611), abs=1e-12
    )
    sem74 = stats.sem(0.8, 0.74).value
    assert stats.not_reliably_different(3.0, 4.0, sem74, sem74) is True
    assert stats.not_reliably_different(3.0, 4.2, sem74, sem74) is False
    assert stats.not_reliably_different(3.0, None, sem74, sem74) is None


@pytest.mark.parametrize(
    ("lo", "hi", "label"),
    [
        (75, 95, "strong evidence for"),
        (74.9, 95, "evidence for"),
        (50, 60, "evidence for"),
        (56.8, 80.7, "evidence for"),
        (49.9, 60, "inconclusive"),
        (10, 24.9, "strong evidence against"),
        (10, 25, "evidence against"),
        (30, 49.9, "evidence against"),
        (20, 50, "inconclusive"),
        (0, 100, "inconclusive"),
    ],
)
def test_advisory_label(lo, hi, label):
    assert stats.advisory_label(lo, hi) == label
    assert label in stats.ADVISORY_LABELS


# --- §5 Rater effects -------------------------------------------------------------------------

LENIENCY_TABLE = [(4, [3, 3]), (5, [4]), (3, [3, 2]), (4, [4, 4])]


def test_deviation_leaves_the_rater_out():
    assert stats.deviations(LENIENCY_TABLE) == pytest.approx([1.0, 1.0, 0.5, 0.0])
    assert stats.deviation(4, []) is None  # not co-rated


def test_leniency_four_candidates_not_enough_data():
    result = stats.leniency(stats.deviations(LENIENCY_TABLE))
    assert result.value == pytest.approx(0.625)
    assert result.flag is None
    assert result.reason == "not enough data yet (4 of 10 co-rated candidates)"


def test_leniency_flag_case():
    value, se, flag = stats.leniency([1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1])
    assert value == pytest.approx(0.65, abs=TOL)
    assert se * math.sqrt(10) == pytest.approx(0.412, abs=TOL3)  # SD(d)
    assert se == pytest.approx(0.130, abs=TOL3)
    assert flag == "lenient"


def test_leniency_severe_mirror():
    assert stats.leniency([-d for d in [1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1]]).flag == "severe"


@pytest.mark.parametrize(
    "devs",
    [
        [0.4] * 12,  # consistent but small
        [2, -1, 2, -1, 2, -1, 2, -1, 2, -1],  # L = .5 but SE .5: could be chance
    ],
)
def test_leniency_not_flagged(devs):
    result = stats.leniency(devs)
    assert result.flag is None
    assert result.reason is None


def test_leniency_without_pairs_is_undefined():
    result = stats.leniency([])
    assert result.value is None
    assert result.reason


def test_disagreement_rate():
    pairs = [(4, [2, 4]), (3, [3]), (5, [4, 4]), (1, [3]), (2, [])]
    assert stats.disagreement_rate(pairs).value == pytest.approx(0.5)  # 2 of 4 co-rated
    assert_undefined(stats.disagreement_rate([(3, [])]))


# --- §2.2 optional rating format (Pearson) -------------------------------------------------

KEY = [5, 2, 4, 1, 3]
RATINGS = [5, 4, 5, 3, 4]


def test_rated_item_score_example():
    assert stats.rated_item_score(RATINGS, KEY).value == pytest.approx(0.945, abs=TOL3)


def test_rated_item_distances():
    raw = sum((x - k) ** 2 for x, k in zip(RATINGS, KEY, strict=True))
    elevation = len(KEY) * (statistics.fmean(RATINGS) - statistics.fmean(KEY)) ** 2
    assert (raw, elevation) == pytest.approx((10, 7.2))

    def z(v):
        return [(x - statistics.fmean(v)) / statistics.pstdev(v) for x in v]

    distance = sum((a - b) ** 2 for a, b in zip(z(RATINGS), z(KEY), strict=True))
    r = stats.rated_item_score(RATINGS, KEY).value
    assert distance == pytest.approx(2 * len(KEY) * (1 - r))


def test_rated_item_identical_ratings_is_invalid_not_zero():
    assert_undefined(stats.rated_item_score([4, 4, 4, 4, 4], KEY))


def test_rated_items_to_100():
    assert stats.rated_items_to_100([0.945, 0.5]).value == pytest.approx(50 * (1 + 0.7225))
    assert_undefined(stats.rated_items_to_100([]))


def test_pearson_edge_cases():
    assert_undefined(stats.pearson([1], [2]))
    with pytest.raises(ValueError):
        stats.pearson([1, 2], [1])
    assert stats.pearson([1, 2, 3], [3, 2, 1]).value == pytest.approx(-1)


def test_sample_sd():
    assert stats.sample_sd([1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1]).value == pytest.approx(
        0.412, abs=TOL3
    )
    assert_undefined(stats.sample_sd([3]))
