"""Predictive validity (SCIENCE §1, §7): a score's correlation with a later outcome, its 95 %
interval, Thorndike's case II correction for range restriction, and validity weights.
Pure: no Flask, no DB.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import Z95, Stat, pearson, sample_sd, undefined

MIN_OUTCOMES = 30  # hired people with an outcome before any validity is shown


def correlation_interval(r: float, n: int) -> tuple[float, float] | None:
    """95 % interval through Fisher's z: tanh(atanh r ± 1.96/√(n − 3)); None under 4 pairs."""
    if n < 4 or not -1 < r < 1:
        return None
    z, half = math.atanh(r), Z95 / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def thorndike_ii(r: float, u: float) -> Stat:
    """Thorndike's (1949) case II: r·u / √(1 − r² + r²·u²), u = SD of applicants over SD of
    those selected (the predictor's unrestricted over its restricted spread)."""
    if u <= 0:
        return undefined("the spread ratio must be positive")
    return Stat(r * u / math.sqrt(1 - r * r + r * r * u * u))


@dataclass(frozen=True)
class Validity:
    """One predictor against one outcome among the hired, raw and corrected."""

    n: int
    r: Stat
    interval: tuple[float, float] | None
    u: Stat  # SD among all candidates with the score / SD among those hired
    corrected: Stat
    corrected_interval: tuple[float, float] | None


def validity(
    predictor: Sequence[float], outcome: Sequence[float], applicants: Sequence[float]
) -> Validity:
    """r between the hired people's scores and outcomes, and r corrected with the spread of
    the same score among every candidate who has it. The corrected interval is the raw one
    corrected the same way (the correction rises with r, so the ends stay the ends)."""
    n = len(predictor)
    r = pearson(predictor, outcome)
    interval = correlation_interval(r.value, n) if r.defined else None
    restricted, unrestricted = sample_sd(predictor), sample_sd(applicants)
    if not (restricted.defined and unrestricted.defined) or not restricted.value:
        u = undefined("no spread of the score among those hired or among all candidates")
    else:
        u = Stat(unrestricted.value / restricted.value)
    if not (r.defined and u.defined):
        return Validity(n, r, interval, u, undefined(r.reason or u.reason), None)
    corrected = thorndike_ii(r.value, u.value)
    ends = None
    if interval:
        ends = tuple(thorndike_ii(end, u.value).value for end in interval)
    return Validity(n, r, interval, u, corrected, ends)


def validity_weights(
    validities: Mapping[str, float | None], total: float = 1.0
) -> dict[str, float]:
    """Weights proportional to each predictor's validity, negatives and unknowns at 0, scaled
    to `total`: with small samples such weights hold up better than regression weights
    (Dawes 1979; Bobko, Roth & Buster 2007). Empty when no validity is positive."""
    positive = {k: max(0.0, v) if v is not None else 0.0 for k, v in validities.items()}
    whole = math.fsum(positive.values())
    if whole <= 0:
        return {}
    return {k: total * v / whole for k, v in positive.items()}
