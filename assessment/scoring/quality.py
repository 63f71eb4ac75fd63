"""Response-quality flags of a self-assessment (SCIENCE §6): worth a look, never a score change."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.bank.model import Statement, ValidityItem

from .rounding import number

if TYPE_CHECKING:
    from assessment.scoring.evidence import ScenarioAnswer, StatementAnswer

FAST_MS = 2000  # Huang et al. (2012): under 2 s per item is faster than reading
MIN_TIMED = 5  # §7: the too-fast check needs this many timed items in a block
RUN_CAP = 10  # straight-lining threshold is min(10, ⌈n/2⌉)
INCONSISTENT_GAP = 2.0
MIN_INCONSISTENT = 2  # one inconsistent competency is too easily a real nuance
EPS = 1e-9
FLAG_CODES = (
    "disagreement",
    "self_gap",
    "too_fast_statements",
    "too_fast_scenarios",
    "straight_lining",
    "validity_failed",
    "reverse_inconsistent",
)
LOOK = "worth a look"


@dataclass(frozen=True)
class Flag:
    """What was observed, in plain words; an indicator for a person to read, never a verdict."""

    code: str
    message: str
    competency: str | None = None
    item: str | None = None


@dataclass(frozen=True)
class QualityCheck:
    """Flags raised, and the checks that could not be run with the reason (§7)."""

    flags: tuple[Flag, ...]
    not_evaluated: tuple[str, ...]


def too_fast(
    times_ms: Sequence[int | None], noun: str, code: str
) -> tuple[Flag | None, str | None]:
    """(flag, None) when at least half the timed items took under 2 s; (None, why) if unchecked."""
    timed = [t for t in times_ms if t is not None]
    if len(timed) < MIN_TIMED:
        return (
            None,
            f"too-fast check on {noun} not evaluated: {len(timed)} timed (needs {MIN_TIMED})",
        )
    fast = sum(t < FAST_MS for t in timed)
    if 2 * fast < len(timed):
        return None, None
    return Flag(code, f"{fast} of {len(timed)} {noun} answered in under 2 seconds; {LOOK}"), None


def longest_run(values: Sequence[int | None]) -> tuple[int, int]:
    """(length, start) of the longest run of identical answers; a skipped item ends a run."""
    best, best_start, run, start = 0, 0, 0, 0
    for i, value in enumerate(values):
        if value is not None and i > 0 and value == values[i - 1]:
            run += 1
        else:
            run, start = (1, i) if value is not None else (0, i)
        if run > best:
            best, best_start = run, start
    return best, best_start


def straight_line_threshold(n: int) -> int:
    # A run of 1 is no pattern; the floor only matters for toy blocks of 1–2 statements.
    return max(2, min(RUN_CAP, math.ceil(n / 2)))


def straight_lining(shown: Sequence[StatementAnswer], n: int) -> Flag | None:
    """Longest run over statements and validity items in the order shown."""
    order = sorted(
        range(len(shown)),
        key=lambda i: (shown[i].position is None, shown[i].position or 0, i),
    )
    ordered = [shown[i] for i in order]
    run, start = longest_run([a.value for a in ordered])
    if run < straight_line_threshold(n):
        return None
    value = ordered[start].value
    message = f"{run} statements in a row answered {value}, of {n} statements; {LOOK}"
    return Flag("straight_lining", message, item=ordered[start].item_id)


def validity_failures(
    validity: Sequence[ValidityItem], answers: Sequence[StatementAnswer]
) -> list[Flag]:
    """One flag per validity item answered with one of its failing answers, naming it."""
    given = {a.item_id: a.value for a in answers}
    flags = []
    for item in validity:
        value = given.get(item.id)
        if value is not None and value in item.fails_on:
            message = f'Answered {value} (on 1–5) to the validity statement "{item.text}"; {LOOK}'
            flags.append(Flag("validity_failed", message, item=item.id))
    return flags


def keyed_means(
    statements: Sequence[Statement], answers: Sequence[StatementAnswer]
) -> dict[str, tuple[float, float]]:
    """(P, Q) per competency with both kinds answered: normal mean, reverse mean after flipping."""
    given = {a.item_id: a.value for a in answers if a.value is not None}
    normal: dict[str, list[int]] = {}
    flipped: dict[str, list[int]] = {}
    for s in statements:
        if s.id in given:
            side = flipped if s.reverse else normal
            side.setdefault(s.competency, []).append(6 - given[s.id] if s.reverse else given[s.id])
    return {
        c: (statistics.fmean(normal[c]), statistics.fmean(flipped[c]))
        for c in normal
        if c in flipped
    }


def reverse_inconsistency(
    statements: Sequence[Statement], answers: Sequence[StatementAnswer]
) -> Flag | None:
    """One flag when ≥ 2 competencies have |P − Q| ≥ 2, listing each with its two means."""
    means = keyed_means(statements, answers)
    odd = {c: pq for c, pq in means.items() if abs(pq[0] - pq[1]) >= INCONSISTENT_GAP - EPS}
    if len(odd) < MIN_INCONSISTENT:
        return None
    detail = "; ".join(f"{c}: {number(p, 1)} vs {number(q, 1)}" for c, (p, q) in odd.items())
    message = (
        f"Normal and reverse-keyed statements (after flipping) differ by 2 or more points "
        f"on {len(odd)} competencies ({detail}); {LOOK}"
    )
    return Flag("reverse_inconsistent", message)


def response_flags(
    statements: Sequence[Statement],
    validity: Sequence[ValidityItem],
    scenario_answers: Sequence[ScenarioAnswer],
    statement_answers: Sequence[StatementAnswer],
) -> QualityCheck:
    """All §6 flags of one self-assessment; none of them touches a score."""
    flags: list[Flag] = []
    skipped: list[str] = []
    for times, noun, code in (
        ([a.ms for a in statement_answers], "statements", "too_fast_statements"),
        ([a.ms for a in scenario_answers], "scenario items", "too_fast_scenarios"),
    ):
        flag, why = too_fast(times, noun, code)
        flags.extend([flag] if flag else [])
        skipped.extend([why] if why else [])
    n = len(statements) + len(validity) or len(statement_answers)
    if statement_answers and (flag := straight_lining(statement_answers, n)):
        flags.append(flag)
    flags.extend(validity_failures(validity, statement_answers))
    if flag := reverse_inconsistency(statements, statement_answers):
        flags.append(flag)
    return QualityCheck(tuple(flags), tuple(skipped))
