"""F-based 95 % confidence intervals: the ICCs' (McGraw & Wong 1996) and α's (Feldt 1965).

An interval is a (low, high) pair, or None when the mean squares cannot give one (no
variance in the errors, or fewer than 2 × 2 scores). The average forms' bounds are the
single forms' bounds stepped up by Spearman–Brown, which is the same as McGraw & Wong's
own formulas for them. Bounds are clipped to [−1, 1], where an ICC or α can be read.
Pure: no Flask, no DB.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .distributions import f_quantile

LEVEL = 0.95
Interval = tuple[float, float]


def _clip(lo: float, hi: float) -> Interval:
    return (max(-1.0, min(1.0, lo)), max(-1.0, min(1.0, hi)))


def _step_up(r: float, k: int) -> float:
    """Spearman–Brown for a bound; a bound at or past the pole (r ≤ −1/(k − 1)) is −∞."""
    den = 1 + (k - 1) * r
    return k * r / den if den > 0 else -math.inf


def _from_f(f_low: float, f_high: float, k: int) -> dict[str, Interval]:
    """Case 1 and 3 intervals from the F bounds: single (F − 1)/(F + k − 1), mean 1 − 1/F."""
    single = ((f_low - 1) / (f_low + k - 1), (f_high - 1) / (f_high + k - 1))
    return {"1": _clip(*single), "k": _clip(*(_step_up(b, k) for b in single))}


def _f_bounds(f_obs: float, df1: float, df2: float) -> tuple[float, float]:
    upper_tail = (1 + LEVEL) / 2
    return f_obs / f_quantile(upper_tail, df1, df2), f_obs * f_quantile(upper_tail, df2, df1)


def _agreement(ms: Mapping[str, float], rho: float, n: int, k: int) -> Interval | None:
    """ICC(2,1)'s interval (McGraw & Wong 1996, case 2A) with Satterthwaite's df."""
    msr, msc, mse = ms["MSR"], ms["MSC"], ms["MSE"]
    if rho >= 1 or mse <= 0:
        return None
    a = k * rho / (n * (1 - rho))
    b = 1 + k * rho * (n - 1) / (n * (1 - rho))
    den = (a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1))
    if den <= 0:
        return None
    v = (a * msc + b * mse) ** 2 / den
    upper_tail = (1 + LEVEL) / 2
    f_star, f_lower = f_quantile(upper_tail, n - 1, v), f_quantile(upper_tail, v, n - 1)
    spread = k * msc + (k * n - k - n) * mse
    lo = n * (msr - f_star * mse) / (f_star * spread + n * msr)
    hi = n * (f_lower * msr - mse) / (spread + n * f_lower * msr)
    return _clip(lo, hi)


def icc_intervals(
    ms: Mapping[str, float], icc21: float | None, n: int, k: int
) -> dict[str, Interval | None]:
    """95 % intervals of the six Shrout & Fleiss ICCs from their mean squares (icc()'s MSR,
    MSC, MSE, MSW) and the ICC(2,1) point estimate; each None when undefined."""
    found: dict[str, Interval | None] = dict.fromkeys(("1,1", "1,k", "2,1", "2,k", "3,1", "3,k"))
    if n < 2 or k < 2 or any(not math.isfinite(v) for v in ms.values()):
        return found
    if ms["MSW"] > 0:
        one = _from_f(*_f_bounds(ms["MSR"] / ms["MSW"], n - 1, n * (k - 1)), k)
        found["1,1"], found["1,k"] = one["1"], one["k"]
    if ms["MSE"] > 0:
        three = _from_f(*_f_bounds(ms["MSR"] / ms["MSE"], n - 1, (n - 1) * (k - 1)), k)
        found["3,1"], found["3,k"] = three["1"], three["k"]
        if icc21 is not None:
            two = _agreement(ms, icc21, n, k)
            if two is not None:
                found["2,1"] = two
                found["2,k"] = _clip(*(_step_up(b, k) for b in two))
    return found


def alpha_interval(alpha: float, n: int, k: int) -> Interval | None:
    """Feldt's (1965) 95 % interval of Cronbach's α over n complete rows of k items."""
    if n < 2 or k < 2 or not math.isfinite(alpha):
        return None
    df1, df2 = n - 1, (n - 1) * (k - 1)
    upper_tail = (1 + LEVEL) / 2
    lo = 1 - (1 - alpha) * f_quantile(upper_tail, df1, df2)
    hi = 1 - (1 - alpha) * f_quantile(1 - upper_tail, df1, df2)
    return (max(-1.0, lo), min(1.0, hi)) if lo <= 1 else None
