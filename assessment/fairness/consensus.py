"""Scenario keys from subject-matter experts: the consensus key, how well the experts agree
(Shrout & Fleiss ICCs, SCIENCE §3.2) and whether a key obeys the bank's rules. Pure."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.scoring.stats import Stat, mean_sd, undefined
from assessment.scoring.stats.agreement import icc

MIN_EXPERTS = 3  # independent keys before a consensus is shown or may be adopted

Keys = Mapping[str, int]  # response id → 1-5


def consensus_keys(keyings: Sequence[Keys], responses: Sequence[str]) -> dict[str, int]:
    """Each response's mean expert rating, rounded half up (3.5 → 4)."""
    return {r: math.floor(statistics.fmean(k[r] for k in keyings) + 0.5) for r in responses}


def key_problem(keys: Keys) -> str | None:
    """The bank loader's rules for a scenario key (bank/items.py), or None when it obeys them."""
    values = list(keys.values())
    if max(values) == min(values):
        return "every response has the same key, so the item could not be scored"
    if min(values) > 2 or max(values) < 4:
        return "the keys must spread: one response keyed 2 or lower and one 4 or higher"
    return None


@dataclass(frozen=True)
class Agreement:
    """ICC(2,1): how far one expert's key can be trusted (absolute agreement); ICC(2,k): the
    reliability of the experts' mean, the consensus. n responses × k experts."""

    single: Stat
    mean: Stat
    n: int
    k: int


def agreement(keyings: Sequence[Keys], responses: Sequence[str]) -> Agreement:
    matrix = [[k[r] for k in keyings] for r in responses]
    if len(keyings) < 2:
        why = undefined(f"needs at least 2 experts' keys, got {len(keyings)}")
        return Agreement(why, why, len(responses), len(keyings))
    result = icc(matrix)
    return Agreement(result["2,1"], result["2,k"], len(responses), len(keyings))


def spread(keyings: Sequence[Keys], response: str) -> tuple[float, float | None]:
    """The mean and SD of the experts' ratings of one response."""
    return mean_sd([float(k[response]) for k in keyings])
