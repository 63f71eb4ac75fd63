"""Score differences between groups: the standardised mean difference d of each part (each
competency × method, and the overall) with its 95 % interval, and a Mantel–Haenszel DIF check
of each scenario item. Pure. Counts are never shown here: a group appears when it has at
least MIN_GROUP people with the score (MIN_DIF_GROUP for DIF), and so do the others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.scoring.stats import dif as dif_stats
from assessment.scoring.stats import fairness as stats

from .groups import DIMENSIONS, codes, group_label
from .people import Person


@dataclass(frozen=True)
class GroupDifferences:
    group: str
    label: str
    by_part: tuple[stats.MeanDifference | None, ...]  # None: too few with that score
    low_power: bool  # fewer than LOW_POWER people of the group have any of the scores


@dataclass(frozen=True)
class DifferenceTable:
    dimension: str
    groups: tuple[GroupDifferences, ...]  # only groups with enough people
    too_few: tuple[str, ...]  # labels of the groups left out


def _d(people: Sequence[Person], dimension: str, group: str, part: str):
    mine = [p.parts[part] for p in people if part in p.parts and p.groups.get(dimension) == group]
    rest = [
        p.parts[part]
        for p in people
        if part in p.parts and p.groups.get(dimension) not in (None, group)
    ]
    if min(len(mine), len(rest)) < stats.MIN_GROUP:
        return None
    return stats.standardised_difference(mine, rest)


def difference_tables(
    people: Sequence[Person], parts: Sequence[str]
) -> tuple[DifferenceTable, ...]:
    """Per dimension, each group against everyone else who disclosed in that dimension."""
    tables = []
    for dimension in DIMENSIONS:
        shown, too_few = [], []
        for group in codes(dimension):
            by_part = tuple(_d(people, dimension, group, part) for part in parts)
            label = group_label(dimension, group)
            if not any(by_part):
                too_few.append(label)
                continue
            most = max(d.n_group for d in by_part if d)
            shown.append(GroupDifferences(group, label, by_part, most < stats.LOW_POWER))
        tables.append(DifferenceTable(dimension, tuple(shown), tuple(too_few)))
    return tuple(tables)


@dataclass(frozen=True)
class ItemDif:
    item_id: str
    by_group: tuple[dif_stats.Dif | None, ...]  # in the order of DifTable.groups


@dataclass(frozen=True)
class DifTable:
    groups: tuple[tuple[str, str], ...]  # (dimension, group) with enough people on both sides
    labels: tuple[str, ...]
    items: tuple[ItemDif, ...]
    too_few: tuple[str, ...]

    @property
    def flagged(self) -> int:
        return sum(1 for item in self.items for d in item.by_group if d and d.flagged)


def _matched(people: Sequence[Person], dimension: str) -> list[tuple[Person, int]]:
    """The people who answered this question, each with the stratum of their total scenario
    score (the mean of their item scores, cut in fifths): the matching variable of DIF."""
    disclosed = [p for p in people if p.groups.get(dimension)]
    totals = [sum(p.items.values()) / len(p.items) for p in disclosed]
    return list(zip(disclosed, dif_stats.quantile_strata(totals), strict=True))


def _dif(matched: Sequence[tuple[Person, int]], dimension: str, group: str, item: str):
    return dif_stats.mantel_dif(
        [
            dif_stats.Scored(p.groups[dimension] == group, stratum, p.items[item])
            for p, stratum in matched
            if item in p.items
        ]
    )


def dif_table(people: Sequence[Person], items: Sequence[str]) -> DifTable:
    """Each group against the rest of its dimension, where both have MIN_DIF_GROUP people."""
    answered = [p for p in people if p.items]
    groups, too_few = [], []
    for dimension in DIMENSIONS:
        for group in codes(dimension):
            mine = sum(1 for p in answered if p.groups.get(dimension) == group)
            rest = sum(1 for p in answered if p.groups.get(dimension) not in (None, group))
            if min(mine, rest) >= dif_stats.MIN_DIF_GROUP:
                groups.append((dimension, group))
            else:
                too_few.append(group_label(dimension, group))
    matched = {d: _matched(answered, d) for d in {d for d, _ in groups}}
    rows = tuple(
        ItemDif(item, tuple(_dif(matched[d], d, g, item) for d, g in groups)) for item in items
    )
    labels = tuple(group_label(d, g) for d, g in groups)
    return DifTable(tuple(groups), labels, rows, tuple(too_few))
