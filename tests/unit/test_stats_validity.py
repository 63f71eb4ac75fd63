"""Hand-computed predictive-validity statistics against assessment.scoring.stats.validity:
correlation intervals, Thorndike's case II and validity weights."""

import pytest

from assessment.scoring.stats import validity
from tests.unit.worked_examples import TOL4, assert_undefined


def test_correlation_interval_through_fisher_z():
    # r = .5, n = 30: atanh .5 = .549306 ± 1.96/√27 = .377199 → tanh → [.1704, .7290].
    assert validity.correlation_interval(0.5, 30) == pytest.approx((0.1704, 0.7290), abs=TOL4)
    assert validity.correlation_interval(0.5, 3) is None
    assert validity.correlation_interval(1.0, 30) is None


@pytest.mark.parametrize(
    ("r", "u", "expected"), [(0.3, 1.5, 0.4266), (0.3, 1.0, 0.3), (-0.2, 2.0, -0.3780)]
)
def test_thorndike_case_ii(r, u, expected):
    # .3 × 1.5 / √(1 − .09 + .09 × 2.25) = .45 / 1.05475 = .4266; u = 1 changes nothing;
    # −.2 × 2 / √(1 − .04 + .04 × 4) = −.4 / 1.05830 = −.3780.
    assert validity.thorndike_ii(r, u).value == pytest.approx(expected, abs=TOL4)


def test_thorndike_refuses_a_meaningless_spread_ratio():
    assert_undefined(validity.thorndike_ii(0.3, 0))


def test_validity_worked_example():
    # Hired: scores 1…5, outcomes 2, 1, 4, 3, 5 → r = .8 (Σxy − n·x̄ȳ = 8 over 10).
    # Applicants 0…6: SD √(28/6) = 2.1602; hired SD √2.5 = 1.5811; u = 1.3663.
    # Corrected: .8 × 1.3663 / √(1 − .64 + .64 × 1.8667) = 1.0930 / 1.2469 = .8766.
    result = validity.validity([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [0, 1, 2, 3, 4, 5, 6])
    assert result.n == 5
    assert result.r.value == pytest.approx(0.8)
    assert result.u.value == pytest.approx(1.3663, abs=TOL4)
    assert result.corrected.value == pytest.approx(0.8766, abs=TOL4)
    # atanh .8 = 1.0986 ± 1.96/√2 → [−.2797, .9862]; each end corrected the same way.
    assert result.interval == pytest.approx((-0.2797, 0.9862), abs=TOL4)
    lo, hi = result.corrected_interval
    assert lo == pytest.approx(validity.thorndike_ii(result.interval[0], result.u.value).value)
    assert hi == pytest.approx(validity.thorndike_ii(result.interval[1], result.u.value).value)


def test_validity_undefined_without_spread():
    result = validity.validity([3, 3, 3], [1, 2, 3], [1, 2, 3, 4])
    assert_undefined(result.r)
    assert_undefined(result.corrected)
    assert result.corrected_interval is None


def test_validity_weights_follow_positive_validities():
    weights = validity.validity_weights({"a": 0.3, "b": 0.1, "c": -0.2, "d": None})
    assert weights == pytest.approx({"a": 0.75, "b": 0.25, "c": 0.0, "d": 0.0})
    scaled = validity.validity_weights({"a": 0.3, "b": 0.1}, total=8)
    assert scaled == pytest.approx({"a": 6, "b": 2})
    assert validity.validity_weights({"a": -0.1, "b": None}) == {}
