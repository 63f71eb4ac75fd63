"""What one line of the comparison list shows, built from a summary row (no queries).

The score cells come ready from the summary row (cells.py); the rest of a line is a few
short strings made here, so the template places each line in one pass without calling a
macro, a filter or url_for per cell (it escapes every string, as always)."""

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


class ComparisonRow(NamedTuple):  # a tuple: 25 a page, made faster than a dataclass
    candidate_id: int
    name: str  # the code under blind review
    email: str  # "" under blind review
    external_id: str | None
    href: str  # the candidate's page
    panel_href: str  # their panel
    cells: Markup | None  # the overall's and the competencies' cells; None when sealed
    interviews: str  # "2/3", or "" without a panel
    interviews_title: str  # "2 of 3 interviews submitted"
    self_status: str  # none, invited, in_progress, submitted, revoked or expired
    self_text: str
    self_progress: str  # "22/45" while answering, else ""
    flags: int | None  # how many; None when sealed
    flag_names: str  # "3 flags: interviewers disagree, self-view gap"
    decision: str | None
    decided: str  # "03 Dec", or ""
    tie: bool | None = None  # not reliably different from the row above (by the sort score)


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


def make_row(row: Any, tie: bool | None, lines: Lines):
    """One ComparisonRow, or None when its stored cells are stale (written again first)."""
    cid = row.candidate_id
    hidden = cid in lines.sealed
    cells = None
    if not hidden:
        cells = stored_cells(row.cells, lines.cells, lines.count, lines.sorted_at, tie)
        if cells is None:
            return None
    status = _self_status(row, lines.now)
    done, planned = row.interviews_done, row.interviews_planned
    answering = status in ("in_progress", "expired")
    flagged = not hidden and row.flag_count
    return ComparisonRow(
        candidate_id=cid,
        name=candidate_code(cid) if lines.blind else row.name,
        email="" if lines.blind else row.email,
        external_id=None if lines.blind else row.external_id,
        href=lines.links["candidate"] % cid,
        panel_href=lines.links["panel"] % cid,
        cells=cells,
        interviews=f"{done}/{planned}" if planned else "",
        interviews_title=f"{done} of {planned} interviews submitted" if planned else "",
        self_status=status,
        self_text=SELF_TEXT[status],
        self_progress=f"{row.self_answered}/{row.self_total}" if answering else "",
        flags=None if hidden else row.flag_count,
        flag_names=flag_names(row.flag_count, row.flag_codes) if flagged else "",
        decision=row.decision,
        decided=row.decided_at.strftime("%d %b") if row.decided_at else "",
        tie=tie,
    )


def make_rows(
    rows: Sequence[Any], previous: Any, args: ListArgs, lines: Lines
) -> tuple[list[ComparisonRow], list[int]]:
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
