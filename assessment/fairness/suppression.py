"""Which counts of the adverse-impact report are hidden, and why. Pure: no Flask, no database.

A group of fewer than MIN_GROUP people is hidden (primary suppression). Hiding it alone is not
enough where a total is known: the position's candidate count, a group's count over all
positions, a sex's or a race's count beside its intersections. Subtracting the shown cells
from such a total gives the hidden ones back. So, for every set of cells whose total is
known, the hidden cells of that set must be none, all of them, only empty ones, or at least
two that hide MIN_GROUP people together; otherwise the smallest shown cell is hidden too
(complementary suppression), until every set holds. The result is the same whichever page shows it.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence

from assessment.scoring.stats.fairness import MIN_GROUP

SMALL = f"fewer than {MIN_GROUP} people"
SUBTRACTION = "shown, it would let a smaller group be worked out by subtraction"

Cell = Hashable


def suppress(
    counts: Mapping[Cell, int],
    constraints: Iterable[Sequence[Cell]],
    minimum: int = MIN_GROUP,
    spare: Collection[Cell] = frozenset(),
) -> dict[Cell, str]:
    """The hidden cells with the reason for each. `counts` gives each cell's number of
    people; each constraint lists cells whose total is known (or can be worked out).
    `spare` cells matter least (e.g. "not disclosed", never compared): when a set needs one
    more cell hidden, they go first."""
    sets = [tuple(c for c in group if c in counts) for group in constraints]
    hidden = {cell: SMALL for cell, n in counts.items() if 0 < n < minimum}
    member_of: dict[Cell, list[int]] = {}
    for index, group in enumerate(sets):
        for cell in group:
            member_of.setdefault(cell, []).append(index)
    pending = set(range(len(sets)))
    while pending:
        index = pending.pop()
        extra = _next_to_hide(sets[index], counts, hidden, minimum, spare)
        if extra is not None:
            hidden[extra] = SUBTRACTION
            pending.update(member_of[extra])
            pending.add(index)
    return hidden


def _next_to_hide(
    group: Sequence[Cell],
    counts: Mapping[Cell, int],
    hidden: Mapping[Cell, str],
    minimum: int,
    spare: Collection[Cell],
) -> Cell | None:
    """The cell this set still needs hidden, or None when it is safe as it is."""
    inside = [cell for cell in group if cell in hidden]
    shown = [cell for cell in group if cell not in hidden]
    if not inside or not shown:
        return None
    people = sum(counts[c] for c in inside)
    if people == 0 or (len(inside) >= 2 and people >= minimum):
        return None  # hidden empty cells give nobody away
    # A spare cell first, then the smallest shown group (it hides the fewest figures); empty
    # cells only when nothing else is left, so a total under `minimum` is never split at all.
    order = {cell: i for i, cell in enumerate(group)}
    return min(shown, key=lambda c: (counts[c] == 0, c not in spare, counts[c], order[c]))
