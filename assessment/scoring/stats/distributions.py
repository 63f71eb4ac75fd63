"""The F distribution's cumulative probability and quantiles, for confidence intervals.

Pure Python (no SciPy): the regularized incomplete beta function by its continued fraction
(modified Lentz), and quantiles by bisection, which is slow but sure and plenty fast for
the handful of intervals a page shows. Degrees of freedom may be fractional: the interval
of ICC(2,1) uses Satterthwaite's approximate df (McGraw & Wong 1996).
"""

from __future__ import annotations

import math

_TINY = 1e-300
_ITERATIONS = 500


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (Numerical Recipes' betacf, Lentz's method)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _ITERATIONS):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b), for a, b > 0."""
    if not (a > 0 and b > 0) or math.isnan(x):
        raise ValueError(f"beta_cdf needs a, b > 0 and a number x, got {x}, {a}, {b}")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(a, b, x) / a
    return 1.0 - front * _continued_fraction(b, a, 1.0 - x) / b


def f_cdf(f: float, d1: float, d2: float) -> float:
    """P(F ≤ f) for F with (d1, d2) degrees of freedom."""
    if f <= 0:
        return 0.0
    return beta_cdf(d1 * f / (d1 * f + d2), d1 / 2.0, d2 / 2.0)


def f_quantile(p: float, d1: float, d2: float) -> float:
    """The f with P(F ≤ f) = p, for 0 < p < 1 and positive (possibly fractional) df."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"a quantile needs 0 < p < 1, got {p}")
    if not (d1 > 0 and d2 > 0) or math.isinf(d1) or math.isinf(d2):
        raise ValueError(f"degrees of freedom must be positive and finite, got {d1}, {d2}")
    lo, hi = 0.0, 1.0  # bisection on x = d1·f / (d1·f + d2), which lies in (0, 1)
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if beta_cdf(mid, d1 / 2.0, d2 / 2.0) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-16:
            break
    x = (lo + hi) / 2.0
    return d2 * x / (d1 * (1.0 - x))
