"""Rater effects (SCIENCE §5, §7): interviewer scores from ratings, leniency or severity
against the other panellists, and how often an interviewer differs from one by 2 or more.
Pure: no Flask, no DB.

§7's minimum for leniency and the disagreement rate counts co-rated *candidates*, however
many (candidate, competency) pairs each adds; `leniency` applies it, and `rater_effects`
goes through `leniency`, so there is one rule.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from . import EPS, Stat, mean_sd

MIN_CORATED = 10  # §7: leniency and disagreement rate need this many co-rated candidates
LENIENCY_EFFECT = 0.5  # §5: |L| from which a rater is flagged (with |L| ≥ 2·SE)
DISAGREEMENT_GAP = 2.0  # §2.1, §5: two interviewers this far apart on 1–5 disagree


def rater_means(rows: Iterable[tuple[Hashable, Hashable, float | None]]) -> dict[Hashable, dict]:
    """{target: {rater: mean}} from (target, rater, rating) rows; None (not covered) is skipped.

    With target (candidate, competency) this is §2.1's I_ci; with (candidate, question) each
    rater's single rating of that question. Written as a plain loop: it runs over every
    rating of a position.
    """
    sums: dict[Hashable, dict[Hashable, list]] = {}
    for target, rater, value in rows:
        if value is None:
            continue
        by = sums.get(target)
        if by is None:
            by = sums[target] = {}
        acc = by.get(rater)
        if acc is None:
            by[rater] = [value, 1]
        else:
            acc[0] += value
            acc[1] += 1
    return {t: {r: total / n for r, (total, n) in by.items()} for t, by in sums.items()}


@dataclass(frozen=True)
class Leniency:
    """L (positive lenient), its SE and the flag; unpacks as (L, SE, flag)."""

    value: float | None
    se: float | None
    flag: str | None  # "lenient", "severe" or None; never set below §7's minimum
    pairs: int  # the deviations behind L
    candidates: int  # the co-rated candidates behind them: what §7's minimum counts
    reason: str | None = None  # set when nothing may be shown

    def __iter__(self) -> Iterator:
        return iter((self.value, self.se, self.flag))


def leniency(
    deviations_: Sequence[float], *, candidates: int, min_candidates: int = MIN_CORATED
) -> Leniency:
    """§5 over one rater's co-rated pairs: L = mean d, SE = SD(d)/√m for m pairs; flagged
    when |L| ≥ 0.5 and |L| ≥ 2·SE.

    `candidates` is the number of co-rated candidates the deviations come from (one adds a
    deviation per competency both scored). §7's minimum counts them: below it L and SE are
    still computed, but there is no flag and `reason` says "not enough data yet".
    """
    m = len(deviations_)
    if m == 0:
        return Leniency(None, None, None, 0, 0, "no co-rated candidates")
    if not 1 <= candidates <= m:
        raise ValueError(f"{m} deviations cannot come from {candidates} co-rated candidates")
    value, sd = mean_sd(deviations_)
    se = sd / math.sqrt(m) if sd is not None else None
    if candidates < min_candidates:
        why = f"not enough data yet ({candidates} of {min_candidates} co-rated candidates)"
        return Leniency(value, se, None, m, candidates, why)
    if se is None:
        return Leniency(value, None, None, m, candidates, "SE needs at least 2 co-rated pairs")
    flag = None
    if abs(value) >= LENIENCY_EFFECT - EPS and abs(value) >= 2 * se - EPS:
        flag = "lenient" if value > 0 else "severe"
    return Leniency(value, se, flag, m, candidates)


@dataclass(frozen=True)
class RaterEffect:
    """§5 for one interviewer over their co-rated pairs; see `reason` before showing it."""

    own_mean: float  # the rater's mean score over those pairs
    others_mean: float  # the mean of the other panellists' mean on the same pairs
    leniency: Leniency  # own_mean − others_mean, its SE and the flag
    disagreement: Stat  # share of pairs differing from someone by ≥ 2

    @property
    def candidates(self) -> int:
        return self.leniency.candidates

    @property
    def pairs(self) -> int:
        return self.leniency.pairs

    @property
    def reason(self) -> str | None:
        """Set (below §7's minimum) when neither leniency nor disagreement may be shown."""
        return self.leniency.reason


Panels = Mapping[Hashable, Mapping[Hashable, float]] | Iterable[tuple[Hashable, Mapping]]


def rater_effects(panels: Panels) -> dict[Hashable, RaterEffect]:
    """§5 for every rater from {target: {rater: score}} (or its items, one at a time), in
    one pass over the panels.

    A target somebody else scored too is co-rated; its candidate is target[0].
    d = own − mean of the others (the rater left out). A pair disagrees when the rater is
    ≥ 2 from at least one other, i.e. from the panel's lowest or highest score.
    """
    gap = DISAGREEMENT_GAP - EPS
    # Per rater: [deviations, co-rated candidates, sum of own scores, disagreeing pairs].
    found: dict[Hashable, list] = {}
    for target, scores in panels.items() if isinstance(panels, Mapping) else panels:
        n = len(scores)
        if n < 2:
            continue
        values = scores.values()
        total, lo, hi = sum(values), min(values), max(values)
        candidate = target[0]
        for rater, own in scores.items():
            tally = found.get(rater)
            if tally is None:
                tally = found[rater] = [[], set(), 0.0, 0]
            tally[0].append(own - (total - own) / (n - 1))
            tally[1].add(candidate)
            tally[2] += own
            if own - lo >= gap or hi - own >= gap:
                tally[3] += 1
    result = {}
    for rater, (devs, candidates, own_total, hits) in found.items():
        lenient = leniency(devs, candidates=len(candidates))
        own_mean = own_total / len(devs)
        result[rater] = RaterEffect(
            own_mean=own_mean,
            others_mean=own_mean - lenient.value,
            leniency=lenient,
            disagreement=Stat(hits / len(devs)),
        )
    return result
