"""Adverse-impact statistics (SCIENCE §10): selection rates, the impact ratio and the
four-fifths rule (29 CFR 1607.4(D)), Fisher's exact test, Morris & Lobsenz's (2000) Z_IR with
its interval, and the standardised mean difference d with its interval. Pure: no Flask, no DB.
Differential item functioning is stats.dif.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from . import Z95, Stat, mean_sd, undefined

FOUR_FIFTHS = Fraction(4, 5)
MIN_GROUP = 5  # §7: fewer people than this in a group are never shown
LOW_POWER = 30  # §7: under this many, a group's result is labelled "low power"
# Fisher's test adds the tables as probable as the observed one; floating-point noise in
# their probabilities is kept from deciding which (R and SciPy use the same tolerance).
_TIES = 1e-7


@dataclass(frozen=True)
class Selection:
    """One group at one stage: how many were considered and how many were selected."""

    selected: int
    applicants: int

    def __post_init__(self):
        if not 0 <= self.selected <= self.applicants:
            raise ValueError(f"selected {self.selected} of {self.applicants} applicants")

    @property
    def rate(self) -> float | None:
        return self.selected / self.applicants if self.applicants else None

    @property
    def exact_rate(self) -> Fraction | None:
        return Fraction(self.selected, self.applicants) if self.applicants else None


def impact_ratio(focal: Selection, reference: Selection) -> Stat:
    """IR = SR_focal / SR_reference (the reference being the highest-rate group)."""
    if not focal.applicants or not reference.applicants:
        return undefined("a group without applicants has no selection rate")
    if reference.selected == 0:
        return undefined("no one in the reference group was selected")
    return Stat(float(focal.exact_rate / reference.exact_rate))


def below_four_fifths(focal: Selection, reference: Selection) -> bool | None:
    """True when the focal rate is under 4/5 of the reference's, computed exactly, so that
    48 % against 60 % is exactly .80 and not flagged; None when IR is undefined."""
    if not impact_ratio(focal, reference).defined:
        return None
    return focal.exact_rate / reference.exact_rate < FOUR_FIFTHS


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(focal: Selection, reference: Selection) -> Stat:
    """Two-sided p of Fisher's exact test on the 2 × 2 table selected / not × group.

    The p adds the probabilities (hypergeometric, margins fixed) of every table no more
    probable than the observed one. Log-gamma keeps 10,000 applicants fast.
    """
    n1, n2 = focal.applicants, reference.applicants
    chosen = focal.selected + reference.selected
    if n1 == 0 or n2 == 0:
        return undefined("a group without applicants")
    lo, hi = max(0, chosen - n2), min(n1, chosen)
    total = _log_comb(n1 + n2, chosen)

    def log_p(k: int) -> float:
        return _log_comb(n1, k) + _log_comb(n2, chosen - k) - total

    observed = log_p(focal.selected) + math.log1p(_TIES)
    p = math.fsum(math.exp(lp) for k in range(lo, hi + 1) if (lp := log_p(k)) <= observed)
    return Stat(min(1.0, p))


def z_ir(focal: Selection, reference: Selection) -> Stat:
    """Morris & Lobsenz (2000): Z_IR = ln(SR_focal / SR_ref) / √((1 − SR_T)/SR_T · (1/N_f + 1/N_r)),
    SR_T the two groups' pooled rate. Undefined when a rate is 0 or everyone was selected."""
    if not focal.applicants or not reference.applicants:
        return undefined("a group without applicants")
    if focal.selected == 0 or reference.selected == 0:
        return undefined("no one selected in a group: ln(0); read Fisher's test instead")
    pooled = (focal.selected + reference.selected) / (focal.applicants + reference.applicants)
    if pooled >= 1:
        return undefined("everyone was selected")
    se = math.sqrt((1 - pooled) / pooled * (1 / focal.applicants + 1 / reference.applicants))
    return Stat(math.log(focal.rate / reference.rate) / se)


def impact_ratio_interval(focal: Selection, reference: Selection) -> tuple[float, float] | None:
    """95 % interval of IR (Morris & Lobsenz 2000): exp(ln IR ± 1.96·√(Σ (1 − SR)/(N·SR)))."""
    if not focal.selected or not reference.selected:
        return None
    var = sum((1 - g.rate) / (g.applicants * g.rate) for g in (focal, reference))
    centre, half = math.log(focal.rate / reference.rate), Z95 * math.sqrt(var)
    return math.exp(centre - half), math.exp(centre + half)


def two_sided_p(z: float) -> float:
    """Two-sided p of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


# --- standardised mean difference ---------------------------------------------------------


@dataclass(frozen=True)
class MeanDifference:
    """d = (mean of the group − mean of the others) / pooled SD, with its 95 % interval."""

    d: Stat
    interval: tuple[float, float] | None
    n_group: int
    n_others: int


def standardised_difference(group: Sequence[float], others: Sequence[float]) -> MeanDifference:
    """Cohen's d with the pooled SD (divisors n − 1) and the Hedges & Olkin (1985) interval,
    SE = √((n₁ + n₂)/(n₁·n₂) + d²/(2(n₁ + n₂))). Positive: the group scores higher."""
    n1, n2 = len(group), len(others)
    if n1 < 2 or n2 < 2:
        why = undefined(f"needs at least 2 people on each side, got {n1} and {n2}")
        return MeanDifference(why, None, n1, n2)
    (m1, s1), (m2, s2) = mean_sd(group), mean_sd(others)
    pooled = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    if pooled == 0:
        return MeanDifference(undefined("zero variance: everyone has the same score"), None, n1, n2)
    d = (m1 - m2) / pooled
    se = math.sqrt((n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2)))
    return MeanDifference(Stat(d), (d - Z95 * se, d + Z95 * se), n1, n2)
