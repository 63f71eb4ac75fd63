"""Hand-computed examples of SCIENCE.md §3.3, §4 and §2.2 against assessment.scoring.stats (the
scores' reliability stepping, measurement error, bands and comparisons)."""

import statistics

import pytest

from assessment.scoring import stats
from tests.unit.worked_examples import TOL, TOL3, assert_undefined

# --- scale conversions and shared helpers --------------------------------------------------


@pytest.mark.parametrize(("m", "p"), [(1, 0), (3, 50), (4, 75), (5, 100), (3.6, 65)])
def test_scale_conversions(m, p):
    assert stats.to_100(m) == pytest.approx(p)
    assert stats.from_100(p) == pytest.approx(m)


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


@pytest.mark.parametrize(
    "values", [[4, 5, 3], [1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1], [2.5, 4.25, 1, 5, 3.75, 3.75]]
)
def test_mean_sd_in_floats_matches_the_exact_computation(values):
    mean, sd = stats.mean_sd(values)
    assert mean == pytest.approx(statistics.fmean(values), abs=1e-12)
    assert sd == pytest.approx(statistics.stdev(values), abs=1e-12)
    assert stats.mean_sd([3.5]) == (3.5, None)


def test_complete_rows_leave_out_gaps_and_refuse_ragged_rows():
    assert stats.complete_rows([(1, 2), (3, None), (4, 5)]) == [(1, 2), (4, 5)]
    with pytest.raises(ValueError):
        stats.complete_rows([(1, 2), (1, 2, 3)])


def test_ratio_is_undefined_on_a_zero_denominator():
    assert stats.ratio(1, 4).value == 0.25
    assert stats.ratio(1, 0, "no spread").reason == "no spread"


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
