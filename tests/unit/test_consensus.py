"""Experts' scenario keys (assessment.fairness.consensus, pure): consensus, agreement, rules."""

import pytest

from assessment.fairness.consensus import agreement, consensus_keys, key_problem, spread
from tests.unit.worked_examples import SHROUT_FLEISS, TOL3, assert_undefined

RESPONSES = ["a", "b", "c", "d", "e", "f"]


def keyings_from(matrix):
    """Shrout & Fleiss's table read as 6 responses × 4 experts."""
    return [{r: row[j] for r, row in zip(RESPONSES, matrix, strict=True)} for j in range(4)]


def test_agreement_is_the_shrout_fleiss_icc_2():
    # SCIENCE §3.2: ICC(2,1) = .290, ICC(2,4) = .620 on the published table.
    result = agreement(keyings_from(SHROUT_FLEISS), RESPONSES)
    assert result.single.value == pytest.approx(0.290, abs=TOL3)
    assert result.mean.value == pytest.approx(0.620, abs=TOL3)
    assert (result.n, result.k) == (6, 4)


def test_agreement_needs_two_experts():
    result = agreement([{"a": 1, "b": 5}], ["a", "b"])
    assert_undefined(result.single)


def test_consensus_rounds_the_mean_half_up():
    keyings = [{"a": 1, "b": 4, "c": 3}, {"a": 2, "b": 5, "c": 3}]
    # a: 1.5 → 2; b: 4.5 → 5; c: 3.
    assert consensus_keys(keyings, ["a", "b", "c"]) == {"a": 2, "b": 5, "c": 3}
    assert spread(keyings, "a") == pytest.approx((1.5, 0.7071), abs=1e-4)


@pytest.mark.parametrize(
    ("keys", "problem"),
    [({"a": 1, "b": 5}, None), ({"a": 3, "b": 3}, "same key"), ({"a": 3, "b": 5}, "spread"),
     ({"a": 1, "b": 3}, "spread")],
)  # fmt: skip
def test_a_key_must_obey_the_bank_rules(keys, problem):
    found = key_problem(keys)
    assert (found is None) if problem is None else (problem in found)
