"""Pure statistics for scores: reliability stepping, measurement error, bands and comparisons.

The rest of SCIENCE.md's statistics are the package's modules, on the same `Stat`:
stats.items (Cronbach's α and item analysis, §3.1), stats.raters (leniency and
disagreement per interviewer, §5), stats.agreement (ICC and panel agreement, §3.2),
stats.fairness (adverse impact, §10), stats.dif (differential item functioning) and
stats.validity (predictive validity and range restriction).
No Flask and no database in any of them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..rounding import number

Z95 = 1.96
EPS = 1e-9  # keeps thresholds such as "range ≥ 2" exact when a mean lands a hair below


@dataclass(frozen=True)
class Stat:
    """A statistic that may be undefined: then `value` is None and `reason` says why."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None


def undefined(reason: str) -> Stat:
    return Stat(None, reason)


class NotANumber(ValueError):
    """A NaN or an infinity reached a statistic: refused, never turned into a band."""


def require_finite(**values: float | None) -> None:
    """Refuse (NotANumber, naming the input) any value that is NaN or infinite; None passes,
    as "missing" is decided by the caller. NaN compares false with everything, so without
    this a NaN reliability gives an SEM of NaN, a band clamped to (100, 100) and a label."""
    for name, value in values.items():
        if value is not None and not math.isfinite(value):
            raise NotANumber(f"{name.replace('_', ' ')} is not a number ({value!r})")


# Scale conversions (§ conventions): anchor 3 is 50, anchor 4 is 75.
def to_100(m: float) -> float:
    return 100.0 * (m - 1.0) / 4.0


def from_100(p: float) -> float:
    return 1.0 + 4.0 * p / 100.0


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def ratio(num: float, den: float, why: str = "zero denominator") -> Stat:
    """num / den, undefined (with `why`) when the denominator is (numerically) zero."""
    if abs(den) < EPS:
        return undefined(why)
    return Stat(num / den)


def mean_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """Mean and sample SD (divisor n − 1; None under 2 values) in floats, two passes.

    statistics.stdev computes in exact fractions: correct, but seconds on the thousands of
    answers a bank-quality page reads. Needs at least one value.
    """
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def sample_sd(values: Sequence[float]) -> Stat:
    if len(values) < 2:
        return undefined(f"needs at least 2 values, got {len(values)}")
    return Stat(mean_sd(values)[1])


def pearson(x: Sequence[float], y: Sequence[float]) -> Stat:
    if len(x) != len(y):
        raise ValueError(f"pearson needs paired values, got {len(x)} and {len(y)}")
    if len(x) < 2:
        return undefined(f"needs at least 2 pairs, got {len(x)}")
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return undefined("zero variance: every value is the same")
    return Stat(sxy / math.sqrt(sxx * syy))


def complete_rows(rows: Sequence[Sequence[float | None]]) -> list[Sequence[float]]:
    """The rows without a gap (None); rows of different lengths are a caller's error."""
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(f"rows differ in length: {sorted(widths)}")
    return [row for row in rows if None not in row]


# --- §3.3 Spearman–Brown -----------------------------------------------------------------


def spearman_brown(r1: float, m: float) -> Stat:
    """Reliability of the mean of m raters (or parallel items) from the single-rater r1.

    Undefined for r1 < 0: with no agreement there is nothing to step up (the formula would
    give 9.0 for r1 = −0.6 and m = 3). r1 = 0 stays 0 for any m."""
    require_finite(r1=r1, m=m)
    if m <= 0:
        raise ValueError(f"m must be positive, got {m}")
    if r1 > 1:
        raise ValueError(f"a reliability cannot exceed 1, got {r1}")
    if r1 < 0:
        return undefined(f"no agreement (r1 = {number(r1, 2)}): stepping up is meaningless")
    return Stat(m * r1 / (1 + (m - 1) * r1))


def step_down(r_m: float, m: float) -> Stat:
    """Spearman–Brown backwards: the reliability of one rater (or item) from that of the
    mean of m, r1 = r_m / (m − (m − 1)·r_m). Undefined for r_m < 0, as stepping up is."""
    require_finite(r_m=r_m, m=m)
    if m <= 0:
        raise ValueError(f"m must be positive, got {m}")
    if r_m > 1:
        raise ValueError(f"a reliability cannot exceed 1, got {r_m}")
    if r_m < 0:
        return undefined(f"no agreement (r = {number(r_m, 2)}): stepping down is meaningless")
    return Stat(r_m / (m - (m - 1) * r_m))


def effective_ratings(per_rater: Sequence[int]) -> float:
    """How many parallel ratings a panel mean is worth when rater i rated q_i questions:
    k × the harmonic mean of the q_i, i.e. k² / Σ(1/q_i).

    The panel score is the mean of the raters' means; with one question's error variance
    e, rater i's mean has error e/q_i and the panel mean e·Σ(1/q_i)/k², which is the error
    of k²/Σ(1/q_i) parallel ratings. Equal counts give k·q."""
    if not per_rater or any(q <= 0 for q in per_rater):
        raise ValueError(f"every rater needs at least one rating, got {list(per_rater)}")
    return len(per_rater) ** 2 / math.fsum(1 / q for q in per_rater)


def raters_needed(r1: float, target: float) -> Stat:
    """Smallest number of raters whose mean reaches the target reliability."""
    require_finite(r1=r1, target=target)
    if not 0 < target < 1:
        return undefined(f"target must lie strictly between 0 and 1, got {target}")
    if r1 <= 0:
        return undefined(f"no number of raters helps when r1 = {r1}")
    if r1 >= target:
        return Stat(1)
    exact = target * (1 - r1) / (r1 * (1 - target))
    # Rounding first keeps an exact 4.0 from becoming 5 through float noise.
    return Stat(math.ceil(round(exact, 9)))


# --- §4 Measurement error, bands and comparisons -----------------------------------------


def sem(sd: float, r: float) -> Stat:
    """SEM = SD·√(1 − r), r clamped to [0, 1] so a negative or > 1 estimate stays meaningful.
    A NaN SD or r is refused (NotANumber), never an SEM of 0."""
    require_finite(sd=sd, reliability=r)
    if sd < 0:
        raise ValueError(f"SD cannot be negative, got {sd}")
    return Stat(sd * math.sqrt(1 - clamp(r, 0.0, 1.0)))


def band(x: float | None, sem_x: float | None, lo: float, hi: float) -> tuple[float, float] | None:
    """95% band X ± 1.96·SEM, clipped to the scale [lo, hi]; None when X or SEM is missing."""
    if x is None or sem_x is None:
        return None
    require_finite(score=x, sem=sem_x)
    half = Z95 * sem_x
    return (clamp(x - half, lo, hi), clamp(x + half, lo, hi))


def difference_threshold(sem_a: float, sem_b: float) -> float:
    """Smallest gap that counts as a reliable difference: 1.96·√(SEM_a² + SEM_b²)."""
    require_finite(sem_a=sem_a, sem_b=sem_b)
    return Z95 * math.sqrt(sem_a**2 + sem_b**2)


def difference_threshold_sd(sd: float, r_a: float, r_b: float) -> float:
    """The same threshold for a shared SD: 1.96·SD·√(2 − r_a − r_b)."""
    require_finite(sd=sd, r_a=r_a, r_b=r_b)
    return Z95 * sd * math.sqrt(2 - clamp(r_a, 0.0, 1.0) - clamp(r_b, 0.0, 1.0))


def not_reliably_different(
    xa: float | None, xb: float | None, sem_a: float | None, sem_b: float | None
) -> bool | None:
    """True when the gap lies within measurement error; None when anything is missing."""
    if None in (xa, xb, sem_a, sem_b):
        return None
    require_finite(score_a=xa, score_b=xb)
    return abs(xa - xb) < difference_threshold(sem_a, sem_b)


def not_reliably_different_sd(xa: float, xb: float, sd: float, r_a: float, r_b: float) -> bool:
    return abs(xa - xb) < difference_threshold_sd(sd, r_a, r_b)


ADVISORY_LABELS = (
    "strong evidence for",
    "evidence for",
    "strong evidence against",
    "evidence against",
    "inconclusive",
)


def advisory_label(lo: float, hi: float) -> str:
    """§4 label from a band on 0–100; the first matching row wins, never the point alone."""
    require_finite(band_low=lo, band_high=hi)
    if lo >= 75:
        return "strong evidence for"
    if lo >= 50:
        return "evidence for"
    if hi < 25:
        return "strong evidence against"
    if hi < 50:
        return "evidence against"
    return "inconclusive"


# --- §2.2 the optional rate-every-response format ----------------------------------------


def rated_item_score(ratings: Sequence[float], keys: Sequence[float]) -> Stat:
    """Later rate-every-response format (McDaniel et al. 2011): r between ratings and key."""
    r = pearson(ratings, keys)
    if not r.defined:
        return undefined(f"item invalid: {r.reason}")
    return r


def rated_items_to_100(rs: Sequence[float]) -> Stat:
    """Proposed 0–100 mapping of the rating format: 50·(1 + mean r)."""
    if not rs:
        return undefined("no valid items")
    return Stat(50 * (1 + statistics.fmean(rs)))
