"""The error and the reliability of a weighted composite whose parts' errors correlate.

A composite C = Σ w_i·X_i of parts with errors e_i has error variance
    Var(E_C) = Σ_i Σ_j w_i·w_j·ρ_ij·SEM_i·SEM_j      (ρ_ii = 1)
where ρ_ij is the correlation between the errors of parts i and j. With every ρ_ij = 0
for i ≠ j this is Σ w_i²·SEM_i², the error term of Mosier's (1943) composite reliability.
Mosier assumes uncorrelated errors; one interviewer's ratings of several competencies
share that interviewer's general impression (halo), so their errors correlate and the
composite's error is larger than Mosier's term. The reliability then is
    r_C = 1 − Var(E_C) / Var(C),   Var(C) = Σ_i Σ_j w_i·w_j·R_ij·SD_i·SD_j
with R_ij the observed correlations between the parts (R_ii = 1): Mosier's formula with
the error covariances added. Pure: no Flask, no DB.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from . import Stat, require_finite, undefined

Correlation = Callable[[int, int], float]  # (i, j), i ≠ j → a correlation


def _quadratic(weights: Sequence[float], scales: Sequence[float], corr: Correlation) -> float:
    """Σ_i Σ_j w_i·w_j·c_ij·s_i·s_j, with c_ii = 1."""
    n = len(weights)
    total = math.fsum((weights[i] * scales[i]) ** 2 for i in range(n))
    cross = math.fsum(
        2 * weights[i] * weights[j] * corr(i, j) * scales[i] * scales[j]
        for i in range(n)
        for j in range(i + 1, n)
    )
    return total + cross


def _checked(weights, scales, corr: Correlation, what: str) -> None:
    if len(weights) != len(scales):
        raise ValueError(f"{len(weights)} weights for {len(scales)} {what}")
    for i, (w, s) in enumerate(zip(weights, scales, strict=True)):
        require_finite(weight=w, **{what[:-1]: s})
        if w < 0 or s < 0:
            raise ValueError(f"part {i}: weights and {what} cannot be negative")
    for i in range(len(weights)):
        for j in range(i + 1, len(weights)):
            rho = corr(i, j)
            require_finite(correlation=rho)
            if not -1.0 <= rho <= 1.0:
                raise ValueError(f"a correlation lies in [−1, 1], got {rho} for parts {i}, {j}")


def composite_sem(
    weights: Sequence[float], sems: Sequence[float], error_corr: Correlation
) -> float:
    """The SEM of Σ w_i·X_i (weights as given; divide them by their sum for a weighted mean)
    when part i has SEM sems[i] and the errors of i and j correlate error_corr(i, j)."""
    _checked(weights, sems, error_corr, "sems")
    return math.sqrt(max(0.0, _quadratic(weights, sems, error_corr)))


def composite_reliability(
    weights: Sequence[float],
    sds: Sequence[float],
    reliabilities: Sequence[float],
    observed_corr: Correlation,
    error_corr: Correlation,
) -> Stat:
    """Mosier's composite reliability with correlated errors: 1 − Var(E_C)/Var(C), each
    part's SEM being SD_i·√(1 − r_i). Undefined when the composite does not vary."""
    _checked(weights, sds, observed_corr, "sds")
    for r in reliabilities:
        require_finite(reliability=r)
    sems = [
        sd * math.sqrt(1 - max(0.0, min(1.0, r))) for sd, r in zip(sds, reliabilities, strict=True)
    ]
    total = _quadratic(weights, sds, observed_corr)
    if total <= 0:
        return undefined("the composite does not vary")
    return Stat(1 - composite_sem(weights, sems, error_corr) ** 2 / total)
