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
from typing import NamedTuple

from . import Stat, mean_sd, undefined

MIN_DIF_GROUP = 30  # §7's item minimum, for each of the two groups compared
STRATA = 5  # "thick matching": the total in fifths, so thin strata do not waste people
ALPHA = 0.05
B_LEVEL, C_LEVEL = 0.17, 0.25  # |SMD| / SD of the item score


class Scored(NamedTuple):
    """One person's item score, the stratum of their total score and their group (a tuple:
    a report builds hundreds of thousands of them)."""

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


def _by_stratum(scores: Sequence[Scored]) -> list[tuple[list[float], list[float]]]:
    """(focal scores, reference scores) per stratum that holds both groups: a stratum with one
    group only says nothing about the difference between groups."""
    strata: dict[Hashable, tuple[list[float], list[float]]] = {}
    for focal, stratum, score in scores:
        strata.setdefault(stratum, ([], []))[0 if focal else 1].append(score)
    return [pair for pair in strata.values() if pair[0] and pair[1]]


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
    return mantel_strata(_by_stratum(scores))


def mantel_strata(strata: Sequence[tuple[Sequence[float], Sequence[float]]]) -> Dif:
    """mantel_dif on scores already split: (focal, reference) item scores per stratum, each
    stratum holding both groups."""
    if not strata:
        none = undefined("no stratum of the total holds people of both groups")
        return Dif(none, None, none, none, None)
    observed = expected = variance = smd = 0.0
    n_focal = sum(len(focal) for focal, _ in strata)
    for focal, reference in strata:
        n, nf, nr = len(focal) + len(reference), len(focal), len(reference)
        f_sum, r_sum = math.fsum(focal), math.fsum(reference)
        total = f_sum + r_sum
        squares = math.fsum(x * x for x in focal) + math.fsum(x * x for x in reference)
        observed += f_sum
        expected += nf * total / n
        variance += nf * nr * (n * squares - total**2) / (n * n * (n - 1))
        smd += nf / n_focal * (f_sum / nf - r_sum / nr)  # weighted by where the focal group is
    sd = mean_sd([x for focal, reference in strata for x in (*focal, *reference)])[1]
    effect = Stat(smd / sd) if sd else undefined("every item score is the same")
    if variance <= 0:
        chi2 = undefined("no variance of the item score within the strata")
        return Dif(chi2, None, Stat(smd), effect, None)
    chi2 = (observed - expected) ** 2 / variance
    p = math.erfc(math.sqrt(chi2 / 2))  # chi-square with 1 df
    return Dif(Stat(chi2), p, Stat(smd), effect, ets_level(p, effect.value))
