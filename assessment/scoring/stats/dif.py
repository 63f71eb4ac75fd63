"""Differential item functioning of a scenario item (SCIENCE §10): Mantel's (1963) extension of
the Mantel–Haenszel test to item scores with several steps, matched on the total score, with
Dorans & Schmitt's standardised mean difference and ETS's A/B/C classes for such items
(Zwick, Thayer & Mazzeo 1997). Pure: no Flask, no DB.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from . import Stat, mean_sd, undefined

MIN_DIF_GROUP = 30  # §7's item minimum, for each of the two groups compared
STRATA = 5  # "thick matching": the total in fifths, so thin strata do not waste people
ALPHA = 0.05
B_LEVEL, C_LEVEL = 0.17, 0.25  # |SMD| / SD of the item score


@dataclass(frozen=True)
class Scored:
    """One person's item score, the stratum of their total score and their group."""

    focal: bool
    stratum: Hashable
    score: float


@dataclass(frozen=True)
class Dif:
    chi2: Stat  # Mantel's chi-square, 1 df
    p: float | None
    smd: Stat  # focal − reference at equal totals, in item-score units
    effect: Stat  # SMD / SD of the item score
    level: str | None  # "A" negligible, "B" moderate, "C" large; None when undefined

    @property
    def flagged(self) -> bool:
        return self.level == "C"


def quantile_strata(totals: Sequence[float], k: int = STRATA) -> list[int]:
    """Each total's stratum, 0 … k − 1, cut at the k-quantiles; equal totals share one."""
    ordered = sorted(totals)
    n = len(ordered)
    cuts = sorted({ordered[min(n - 1, (n * j) // k)] for j in range(1, k)}) if n else []
    return [bisect.bisect_right(cuts, t) for t in totals]


def _by_stratum(scores: Sequence[Scored]) -> dict[Hashable, list[Scored]]:
    strata: dict[Hashable, list[Scored]] = {}
    for s in scores:
        strata.setdefault(s.stratum, []).append(s)
    # A stratum with one group only says nothing about the difference between groups.
    return {k: v for k, v in strata.items() if 0 < sum(s.focal for s in v) < len(v)}


def ets_level(p: float | None, effect: float | None) -> str | None:
    """C: p < .05 and |SMD/SD| > .25; B: p < .05 and > .17; A otherwise."""
    if p is None or effect is None:
        return None
    if p < ALPHA and abs(effect) > C_LEVEL:
        return "C"
    if p < ALPHA and abs(effect) > B_LEVEL:
        return "B"
    return "A"


def mantel_dif(scores: Sequence[Scored]) -> Dif:
    """Mantel's chi-square Σ(F − E)²/ΣV over the strata holding both groups, and the SMD."""
    strata = _by_stratum(scores)
    used = [s for group in strata.values() for s in group]
    observed = expected = variance = smd = 0.0
    n_focal = sum(s.focal for s in used)
    for group in strata.values():
        n = len(group)
        focal = [s.score for s in group if s.focal]
        reference = [s.score for s in group if not s.focal]
        total, squares = math.fsum(s.score for s in group), math.fsum(s.score**2 for s in group)
        observed += math.fsum(focal)
        expected += len(focal) * total / n
        variance += len(focal) * len(reference) * (n * squares - total**2) / (n * n * (n - 1))
        gap = math.fsum(focal) / len(focal) - math.fsum(reference) / len(reference)
        smd += len(focal) / n_focal * gap  # weighted by where the focal group stands
    if not used:
        none = undefined("no stratum of the total holds people of both groups")
        return Dif(none, None, none, none, None)
    sd = mean_sd([s.score for s in used])[1]
    effect = Stat(smd / sd) if sd else undefined("every item score is the same")
    if variance <= 0:
        chi2 = undefined("no variance of the item score within the strata")
        return Dif(chi2, None, Stat(smd), effect, None)
    chi2 = (observed - expected) ** 2 / variance
    p = math.erfc(math.sqrt(chi2 / 2))  # chi-square with 1 df
    return Dif(Stat(chi2), p, Stat(smd), effect, ets_level(p, effect.value))
