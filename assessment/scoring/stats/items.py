"""Item analysis (SCIENCE §3.1, §7): Cronbach's α, corrected item-total r, α if an item were
dropped, an item's mean and SD, and a scenario item's pick counts. Pure: no Flask, no DB.

Every scale figure comes from one covariance matrix of the complete rows, in floats: a bank
answered by thousands stays quick, and α, item-total r and α-if-dropped agree by construction.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import EPS, Stat, complete_rows, mean_sd, sample_sd, undefined
from .intervals import Interval, alpha_interval

MIN_ALPHA_RESPONDENTS = 100  # §7: complete respondents behind α and item-total r
MIN_ITEM_RESPONDENTS = 30  # §7: respondents behind an item's mean, SD and pick rates


def covariances(data: Sequence[Sequence[float]]) -> list[list[float]]:
    """The k × k sample covariance matrix (divisor n − 1) of complete rows (n ≥ 2)."""
    n = len(data)
    columns = []
    for column in zip(*data, strict=True):
        mean = math.fsum(column) / n
        columns.append([v - mean for v in column])
    k = len(columns)
    cov = [[0.0] * k for _ in range(k)]
    for a in range(k):
        for b in range(a, k):
            cov[a][b] = cov[b][a] = math.fsum(map(operator.mul, columns[a], columns[b])) / (n - 1)
    return cov


def _alpha_of(cov: Sequence[Sequence[float]], items: Sequence[int]) -> Stat:
    """§3.1's α of the items `items` from their covariances: Σ s_j² over s_T² = ΣΣ cov."""
    k = len(items)
    if k < 2:
        return undefined(f"needs at least 2 items, got {k}")
    total = math.fsum(cov[a][b] for a in items for b in items)
    if abs(total) < EPS:
        return undefined("zero variance of the total scores")
    return Stat(k / (k - 1) * (1 - math.fsum(cov[a][a] for a in items) / total))


def _item_rest(cov: Sequence[Sequence[float]], j: int) -> Stat:
    """Corrected item-total r: item j against the sum of the other items."""
    rest = [b for b in range(len(cov)) if b != j]
    var_j = cov[j][j]
    var_rest = math.fsum(cov[a][b] for a in rest for b in rest)
    if abs(var_j) < EPS or abs(var_rest) < EPS:
        return undefined("zero variance: every value is the same")
    return Stat(math.fsum(cov[j][b] for b in rest) / math.sqrt(var_j * var_rest))


@dataclass(frozen=True)
class ScaleAnalysis:
    """§3.1 for one scale (persons × items, reverse-keyed items already flipped)."""

    complete: int  # rows with every item answered: the n behind the numbers below
    alpha: Stat
    item_total: tuple[Stat, ...]  # corrected item-total r per item
    alpha_without: tuple[Stat, ...]  # α if the item were dropped

    @property
    def enough(self) -> bool:
        """§7: enough complete respondents to show α, item-total r and α-if-dropped."""
        return self.complete >= MIN_ALPHA_RESPONDENTS

    @property
    def interval(self) -> Interval | None:
        """α's 95 % interval (Feldt 1965), None when α is undefined."""
        if not self.alpha.defined:
            return None
        return alpha_interval(self.alpha.value, self.complete, len(self.item_total))


def enough_for_item(respondents: int) -> bool:
    """§7: enough respondents to show an item's mean, SD and pick counts."""
    return respondents >= MIN_ITEM_RESPONDENTS


def scale_analysis(rows: Sequence[Sequence[float | None]]) -> ScaleAnalysis:
    """α (Cronbach 1951), corrected item-total r and α-if-dropped of a scale, over its
    complete rows (rows with a gap are left out)."""
    data = complete_rows(rows)
    k = len(rows[0]) if rows else 0
    if len(data) < 2 or k < 2:
        why = undefined(
            f"needs at least 2 complete rows and 2 items, got {len(data)} rows × {k} items"
        )
        return ScaleAnalysis(len(data), why, (why,) * k, (why,) * k)
    cov = covariances(data)
    return ScaleAnalysis(
        complete=len(data),
        alpha=_alpha_of(cov, range(k)),
        item_total=tuple(_item_rest(cov, j) for j in range(k)),
        alpha_without=tuple(_alpha_of(cov, [b for b in range(k) if b != j]) for j in range(k)),
    )


@dataclass(frozen=True)
class ItemSummary:
    """An item's n, mean and SD (sample); mean None when nobody answered it."""

    n: int
    mean: float | None
    sd: Stat


def item_summary(values: Iterable[float | None]) -> ItemSummary:
    given = [v for v in values if v is not None]
    return ItemSummary(len(given), mean_sd(given)[0] if given else None, sample_sd(given))


@dataclass(frozen=True)
class PickCounts:
    """How often each response of a scenario item was picked as MOST and as LEAST."""

    n: int  # respondents who made both picks
    most: Mapping[str, int]
    least: Mapping[str, int]

    def share(self, count: int) -> float | None:
        return count / self.n if self.n else None


def pick_counts(
    picks: Iterable[tuple[str | None, str | None]], responses: Sequence[str]
) -> PickCounts:
    """Counts over answers with both picks (an item is answered only then, §2.2)."""
    most = dict.fromkeys(responses, 0)
    least = dict.fromkeys(responses, 0)
    n = 0
    for m, lst in picks:
        if m is None or lst is None:
            continue
        if m not in most or lst not in least:
            raise ValueError(f"unknown response picked: {m!r} / {lst!r}")
        n += 1
        most[m] += 1
        least[lst] += 1
    return PickCounts(n, most, least)
