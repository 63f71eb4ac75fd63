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


def _by_part(
    people: Sequence[Person], dimension: str, parts: Sequence[str]
) -> list[dict[str, list[float]]]:
    """For each part, in order: everyone's score by their answer to one question (the
    undisclosed left out), in one pass over the people."""
    result: dict[str, dict[str, list[float]]] = {part: {} for part in parts}
    for person in people:
        group = person.groups.get(dimension)
        if not group:
            continue
        for part, score in person.parts.items():
            if part in result:
                result[part].setdefault(group, []).append(score)
    return [result[part] for part in parts]


def _d(scores: dict[str, list[float]], group: str) -> stats.MeanDifference | None:
    mine = scores.get(group, [])
    rest = [x for other, xs in scores.items() if other != group for x in xs]
    if min(len(mine), len(rest)) < stats.MIN_GROUP:
        return None
    return stats.standardised_difference(mine, rest)


def difference_tables(
    people: Sequence[Person], parts: Sequence[str]
) -> tuple[DifferenceTable, ...]:
    """Per dimension, each group against everyone else who disclosed in that dimension."""
    tables = []
    for dimension in DIMENSIONS:
        by_part = _by_part(people, dimension, parts)
        shown, too_few = [], []
        for group in codes(dimension):
            ds = tuple(_d(scores, group) for scores in by_part)
            label = group_label(dimension, group)
            if not any(ds):
                too_few.append(label)
                continue
            most = max(d.n_group for d in ds if d)
            shown.append(GroupDifferences(group, label, ds, most < stats.LOW_POWER))
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


def _strata(people: Sequence[Person], dimension: str) -> list[tuple[str, int, dict]]:
    """(group, stratum, item scores) of each person who answered this question; the stratum
    is that of their total scenario score (the mean of their item scores, cut in fifths),
    the matching variable of DIF."""
    disclosed = [(p.groups[dimension], dict(p.items)) for p in people if p.groups.get(dimension)]
    totals = [sum(items.values()) / len(items) for _, items in disclosed]
    strata = dif_stats.quantile_strata(totals)
    return [(g, stratum, items) for (g, items), stratum in zip(disclosed, strata, strict=True)]


def _item_difs(matched, groups: Sequence[str], item: str) -> list[dif_stats.Dif]:
    """One item's DIF for each group against the rest of its question, from one pass."""
    cells: dict[int, dict[str, list[float]]] = {}
    for g, stratum, items in matched:
        if item in items:
            cells.setdefault(stratum, {}).setdefault(g, []).append(items[item])
    results = []
    for group in groups:
        split = []
        for by_group in cells.values():
            rest = [x for other, xs in by_group.items() if other != group for x in xs]
            if by_group.get(group) and rest:
                split.append((by_group[group], rest))
        results.append(dif_stats.mantel_strata(split))
    return results


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
    by_item: dict[str, list] = {item: [] for item in items}
    for dimension in dict.fromkeys(d for d, _ in groups):
        matched = _strata(answered, dimension)
        mine = [g for d, g in groups if d == dimension]
        for item in items:
            by_item[item] += _item_difs(matched, mine, item)
    rows = tuple(ItemDif(item, tuple(by_item[item])) for item in items)
    labels = tuple(group_label(d, g) for d, g in groups)
    return DifTable(tuple(groups), labels, rows, tuple(too_few))
