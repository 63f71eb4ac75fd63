"""Selection rates by group (SCIENCE §10), per position and over all positions: counts, the
impact ratio against the highest-rate group with the four-fifths flag, Fisher's exact test and
Z_IR; sex × race/ethnicity intersections laid out as NYC Local Law 144 asks. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assessment.scoring.stats import Stat
from assessment.scoring.stats import fairness as stats

from .groups import codes, group_label
from .people import ALL, Person
from .suppression import suppress

UNDISCLOSED = "undisclosed"
INTERSECTION = "sex_race"
TABLES = ("sex", "race", INTERSECTION, "age", "disability")
TITLES = {
    "sex": "Sex",
    "race": "Race or ethnicity",
    INTERSECTION: "Sex × race or ethnicity",
    "age": "Age",
    "disability": "Disability",
}


def table_groups(table: str) -> list[str]:
    """The groups of a table in the report's order (Local Law 144: race, then sex within)."""
    if table == INTERSECTION:
        return [f"{race}+{sex}" for race in codes("race") for sex in codes("sex")]
    return list(codes(table))


def table_label(table: str, group: str) -> str:
    if group == UNDISCLOSED:
        return "Not disclosed"
    if table == INTERSECTION:
        race, sex = group.split("+")
        return f"{group_label('race', race)}, {group_label('sex', sex)}"
    return group_label(table, group)


def group_of(person: Person, table: str) -> str:
    if table == INTERSECTION:
        race, sex = person.groups.get("race"), person.groups.get("sex")
        return f"{race}+{sex}" if race and sex else UNDISCLOSED
    return person.groups.get(table) or UNDISCLOSED


Cell = tuple  # (scope, table, group)


def count_cells(people: Iterable[Person], positions: Sequence[int]) -> dict[Cell, list[int]]:
    """[candidates, selected] per (scope, table, group) over people with a final decision."""
    cells = {
        (scope, table, group): [0, 0]
        for scope in (*positions, ALL)
        for table in TABLES
        for group in (*table_groups(table), UNDISCLOSED)
    }
    for person in people:
        if not person.decided:
            continue
        for scope in (person.position_id, ALL):
            for table in TABLES:
                cell = cells[(scope, table, group_of(person, table))]
                cell[0] += 1
                cell[1] += person.selected
    return cells


def constraints(positions: Sequence[int]) -> list[list[Cell]]:
    """Every set of cells whose total is known or can be worked out (suppression.py)."""
    sets = []
    for scope in (*positions, ALL):
        for table in TABLES:
            sets.append([(scope, table, g) for g in (*table_groups(table), UNDISCLOSED)])
        for sex in codes("sex"):
            row = [(scope, INTERSECTION, f"{race}+{sex}") for race in codes("race")]
            sets.append([*row, (scope, "sex", sex)])
        for race in codes("race"):
            column = [(scope, INTERSECTION, f"{race}+{sex}") for sex in codes("sex")]
            sets.append([*column, (scope, "race", race)])
    for table in TABLES:
        for group in (*table_groups(table), UNDISCLOSED):
            sets.append([*((p, table, group) for p in positions), (ALL, table, group)])
    return sets


def hidden_cells(cells: dict[Cell, list[int]], positions: Sequence[int]) -> dict[Cell, str]:
    counts = {cell: n for cell, (n, _) in cells.items()}
    spare = {cell for cell in cells if cell[2] == UNDISCLOSED}  # never compared anyway
    return suppress(counts, constraints(positions), spare=spare)


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    candidates: int | None  # None: hidden (see `hidden`)
    selected: int | None
    hidden: str | None = None
    reference: bool = False
    ratio: Stat | None = None  # against the highest-rate group
    interval: tuple[float, float] | None = None
    flagged: bool | None = None  # below four-fifths
    fisher: Stat | None = None
    z: Stat | None = None

    @property
    def rate(self) -> float | None:
        return self.selected / self.candidates if self.candidates else None

    @property
    def low_power(self) -> bool:
        return self.candidates is not None and self.candidates < stats.LOW_POWER

    @property
    def z_p(self) -> float | None:
        return stats.two_sided_p(self.z.value) if self.z and self.z.defined else None


@dataclass(frozen=True)
class SelectionTable:
    table: str
    title: str
    rows: tuple[GroupRow, ...]
    undisclosed: GroupRow
    reference: GroupRow | None  # None: fewer than two groups can be compared

    @property
    def compared(self) -> bool:
        return self.reference is not None


def _row(scope, table, group, cells, hidden) -> GroupRow:
    n, selected = cells[(scope, table, group)]
    label = table_label(table, group)
    reason = hidden.get((scope, table, group))
    if reason:
        return GroupRow(group, label, None, None, hidden=reason)
    return GroupRow(group, label, n, selected)


def _compare(row: GroupRow, reference: GroupRow) -> GroupRow:
    focal = stats.Selection(row.selected, row.candidates)
    ref = stats.Selection(reference.selected, reference.candidates)
    return replace(
        row,
        reference=row is reference,
        ratio=stats.impact_ratio(focal, ref),
        interval=None if row is reference else stats.impact_ratio_interval(focal, ref),
        flagged=None if row is reference else stats.below_four_fifths(focal, ref),
        fisher=None if row is reference else stats.fisher_exact(focal, ref),
        z=None if row is reference else stats.z_ir(focal, ref),
    )


def selection_table(scope, table: str, cells, hidden) -> SelectionTable:
    """One table of one scope; groups that are hidden or empty are listed but not compared."""
    rows = [_row(scope, table, g, cells, hidden) for g in table_groups(table)]
    comparable = [r for r in rows if r.candidates and r.candidates >= stats.MIN_GROUP]
    reference = None
    if len(comparable) >= 2 and any(r.selected for r in comparable):
        reference = max(comparable, key=lambda r: (r.rate, r.candidates))
        rows = [_compare(r, reference) if r in comparable else r for r in rows]
        reference = next(r for r in rows if r.reference)
    if table == INTERSECTION:  # Local Law 144 lists the intersections that have people
        rows = [r for r in rows if r.candidates != 0]
    undisclosed = _row(scope, table, UNDISCLOSED, cells, hidden)
    return SelectionTable(table, TITLES[table], tuple(rows), undisclosed, reference)
