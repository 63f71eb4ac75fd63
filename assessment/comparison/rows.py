"""One line of the comparison list, made from a summary row (no queries).

The score cells come ready from the summary row (cells.py); the rest of a line is the data
gathered here, laid out by the macro in templates/comparison/_line.html."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from markupsafe import Markup

from assessment.blind import candidate_code

from .args import ListArgs
from .cells import Renderer, stored_cells
from .ties import ties_with_previous

FLAG_NAMES: Mapping[str, str] = {
    "disagreement": "interviewers disagree",
    "self_gap": "self-view gap",
    "too_fast_statements": "statements too fast",
    "too_fast_scenarios": "scenarios too fast",
    "straight_lining": "straight-lining",
    "validity_failed": "validity item failed",
    "reverse_inconsistent": "inconsistent answers",
}
SELF_TEXT: Mapping[str, str] = {
    "none": "not invited",
    "invited": "invited",
    "in_progress": "in progress",
    "submitted": "submitted",
    "revoked": "link revoked",
    "expired": "link expired",
}


def _self_status(row: Any, now: datetime) -> str:
    lapsed = row.self_expires_at is not None and row.self_expires_at <= now
    if row.self_status in ("invited", "in_progress") and lapsed:
        return "expired"
    return row.self_status


def ranked_score(row: Any, sealed: frozenset[int]) -> tuple[float, float] | None:
    """(score, SEM) of the sorted-by score (the query names it rank_score, rank_sem), or
    None when missing or sealed."""
    if row is None or row.candidate_id in sealed:
        return None
    if row.rank_score is None or row.rank_sem is None:
        return None
    return row.rank_score, row.rank_sem


def flag_names(count: int, codes: str) -> str:
    """ "3 flags: interviewers disagree, self-view gap" (a kind may be raised more than once,
    e.g. disagreement on two competencies)."""
    kinds = ", ".join(FLAG_NAMES.get(c, c) for c in codes.split(",") if c)
    return f"{count} flag{'' if count == 1 else 's'}: {kinds}"


@dataclass(frozen=True)
class Lines:
    """What every line of one page shares."""

    blind: bool
    sealed: frozenset[int]
    cells: Renderer
    count: int  # cells per line: the overall and each competency
    sorted_at: int | None  # the sorted score's cell, when sorted by a score
    links: Mapping[str, str]  # "candidate" and "panel" as "%d" patterns
    now: datetime


ANSWERING = ("in_progress", "expired")  # the line shows how far the candidate got


class Line(NamedTuple):
    """What one line of the list shows; templates/comparison/_line.html lays it out."""

    id: int
    tied: bool  # not reliably different from the line above
    name: str  # the name, or the candidate's code under blind review
    email: str | None  # None under blind review
    external_id: str | None
    href: str
    panel: str
    cells: Markup | None  # the stored score cells; None when sealed for the viewer
    done: int
    planned: int
    status: str  # a key of SELF_TEXT
    progress: str | None  # "12/45" while the candidate is answering
    flags: str | None  # "3 flags: ...", "" for none, None when sealed
    flag_count: int
    decision: str | None
    decided_at: datetime | None
    sealed: bool  # the viewer's own interview is not in: nothing derived from the panel shows
    standing: str | None  # "withdrawn", "erased" (personal data erased) or None


def make_row(row: Any, tie: bool | None, lines: Lines) -> Line | None:
    """One line, or None when its stored cells are stale (written again first)."""
    cid = row.candidate_id
    hidden = cid in lines.sealed
    cells = None
    if not hidden:
        cells = stored_cells(row.cells, lines.cells, lines.count, lines.sorted_at, tie)
        if cells is None:
            return None
    status = _self_status(row, lines.now)
    count = row.flag_count or 0
    erased = row.erased_at is not None  # an erased candidate is a code for everyone
    blind = lines.blind or erased
    standing = "erased" if erased else "withdrawn" if row.withdrawn_at is not None else None
    return Line(
        id=cid,
        tied=bool(tie),
        name=candidate_code(row) if blind else row.name,
        email=None if blind else row.email,
        external_id=None if blind else row.external_id,
        href=lines.links["candidate"] % cid,
        panel=lines.links["panel"] % cid,
        cells=cells,
        done=row.interviews_done,
        planned=row.interviews_planned,
        status=status,
        progress=f"{row.self_answered}/{row.self_total}" if status in ANSWERING else None,
        flags=None if hidden else (flag_names(count, row.flag_codes) if count else ""),
        flag_count=count,
        decision=None if hidden else row.decision,
        decided_at=None if hidden else row.decided_at,
        sealed=hidden,
        standing=standing,
    )


def make_rows(
    rows: Sequence[Any], previous: Any, args: ListArgs, lines: Lines
) -> tuple[list[Line], list[int]]:
    """(the page's lines, each marked when not reliably different from the line above;
    the candidates whose stored cells are stale, whose lines are left out)."""
    ties: list[bool | None] = [None] * len(rows)
    if args.ranked:
        scores = [ranked_score(r, lines.sealed) for r in rows]
        ties = ties_with_previous(scores, ranked_score(previous, lines.sealed))
    made, stale = [], []
    for row, tie in zip(rows, ties, strict=True):
        line = make_row(row, tie, lines)
        if line is None:
            stale.append(row.candidate_id)
        else:
            made.append(line)
    return made, stale
