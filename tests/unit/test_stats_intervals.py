"""F quantiles against printed tables, the ICCs' 95 % intervals (McGraw & Wong 1996) on the
Shrout & Fleiss table, Feldt's interval of α (SCIENCE §7's figures), and the halo estimate."""

import pytest

from assessment.scoring.stats import agreement as stats_agreement
from assessment.scoring.stats.distributions import f_cdf, f_quantile
from assessment.scoring.stats.halo import rater_error_correlation
from assessment.scoring.stats.intervals import alpha_interval, icc_intervals
from tests.unit.worked_examples import SHROUT_FLEISS, assert_undefined


@pytest.mark.parametrize(
    ("p", "d1", "d2", "expected"),
    [
        (0.975, 5, 15, 3.5764),  # F tables
        (0.95, 1, 10, 4.9646),  # = t(.975, 10)² = 2.2281²
        (0.95, 1, 15, 4.5431),  # = 2.1314²
        (0.99, 2, 20, 5.8489),
    ],
)
def test_f_quantiles_match_the_tables(p, d1, d2, expected):
    assert f_quantile(p, d1, d2) == pytest.approx(expected, abs=1e-4)
    assert f_cdf(f_quantile(p, d1, d2), d1, d2) == pytest.approx(p, abs=1e-12)


def test_fractional_degrees_of_freedom():
    lo, hi = f_quantile(0.975, 5, 15), f_quantile(0.975, 5, 16)
    assert lo > f_quantile(0.975, 5, 15.5) > hi


@pytest.mark.parametrize("bad", [0, 1, -0.1, float("nan")])
def test_f_quantile_refuses_a_probability_outside_0_1(bad):
    with pytest.raises(ValueError):
        f_quantile(bad, 5, 15)


# Shrout & Fleiss's 6 × 4 table: the intervals R's psych::ICC prints for it (and SCIENCE
# §3.2's "about [.02, .76]" for ICC(2,1)).
SF_INTERVALS = {
    "1,1": (-0.13, 0.72),
    "1,k": (-0.88, 0.91),
    "2,1": (0.02, 0.76),
    "2,k": (0.07, 0.93),
    "3,1": (0.34, 0.95),
    "3,k": (0.68, 0.99),
}


@pytest.mark.parametrize("form", list(SF_INTERVALS))
def test_icc_intervals_on_the_shrout_fleiss_table(form):
    found = stats_agreement.icc(SHROUT_FLEISS)
    bounds = stats_agreement.intervals(SHROUT_FLEISS, found)
    assert bounds[form] == pytest.approx(SF_INTERVALS[form], abs=0.005)
    assert bounds[form][0] <= found[form].value <= bounds[form][1]


def test_panel_agreement_carries_its_intervals():
    panels = {
        f"c{i}": [(r, v, i * 10 + j) for j, (r, v) in enumerate(zip("WXYZ", row, strict=True))]
        for i, row in enumerate(SHROUT_FLEISS)
    }
    found = stats_agreement.panel_agreement(panels, min_candidates=6)
    assert found.single_interval == pytest.approx((0.02, 0.76), abs=0.005)
    assert found.mean_interval == pytest.approx((0.07, 0.93), abs=0.005)
    assert found.consistency_interval == pytest.approx((0.34, 0.95), abs=0.005)


def test_no_interval_without_error_variance():
    ms = {"MSR": 2.0, "MSC": 0.0, "MSE": 0.0, "MSW": 0.0}
    assert icc_intervals(ms, 1.0, 5, 2) == dict.fromkeys(SF_INTERVALS)


@pytest.mark.parametrize(("n", "expected"), [(30, (0.56, 0.87)), (100, (0.66, 0.82))])
def test_feldt_interval_of_alpha(n, expected):
    # SCIENCE §7: 4 items, α = .75
    assert alpha_interval(0.75, n, 4) == pytest.approx(expected, abs=0.005)


def test_alpha_interval_undefined_on_too_little():
    assert alpha_interval(0.75, 1, 4) is None
    assert alpha_interval(float("nan"), 50, 4) is None


# --- halo: the correlation of interviewers' errors across competencies ----------------------


def test_rater_error_correlation_by_hand():
    panels = {
        1: {"X": {"a": 4, "b": 4}, "Y": {"a": 2, "b": 3}},  # deviations X (1, .5), Y (−1, −.5)
        2: {"X": {"a": 3, "b": 2}, "Y": {"a": 3, "b": 4}},  # X (0, −1), Y (0, 1)
        3: {"X": {"a": 5, "b": 5}, "Y": {"a": 3, "b": 4}},  # X (1, .5), Y (−1, −.5)
    }
    # Σxy = 2, Σx² = 4, Σy² = 3 → r = 2/√12 = .5774
    found, n = rater_error_correlation(panels, min_candidates=3)
    assert found.value == pytest.approx(2 / 12**0.5)
    assert n == 3


def test_rater_error_correlation_needs_enough_candidates():
    panels = {1: {"X": {"a": 4, "b": 4}, "Y": {"a": 2, "b": 3}}, 2: {"X": {"a": 3}}}
    found, n = rater_error_correlation(panels)
    assert_undefined(found)
    assert n == 1
    assert found.reason == "not enough data yet (1 of 30 candidates)"
