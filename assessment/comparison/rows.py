"""One line of the comparison list, made from a summary row (no queries).

The score cells come ready from the summary row (cells.py); the rest of a line is put
together here as markup, every value from data escaped with markupsafe, and the template
places the page's lines at once (a template loop over 25 lines took longer than the rest of
the page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import escape

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
    links: Mapping[str, str]  # "candidate" and "panel" as "%d" patterns, escaped
    now: datetime


# The pieces of a line (templates/comparison/_list.html places the lines). Lines are made
# here, not by the template: 25 lines of some twenty values each took Jinja longer than the
# rest of the page. Every value from data is escaped below (names, e-mails, external ids,
# statuses, decisions, flag names); the rest are numbers and markup of ours.
SEALED_CELLS = '<td class="sealed" colspan="{}">Sealed until you submit your interview</td>'
IN_HIDING = '<span class="visually-hidden"> interviews submitted</span>'
NO_FLAGS, SEALED_FLAGS = (
    '<span class="muted">none</span>',
    '<span class="muted small">sealed</span>',
)
UNDECIDED = '<span class="muted">none yet</span>'
ANSWERING = ("in_progress", "expired")


WITHDRAWN = ' <span class="badge badge-withdrawn">withdrawn</span>'
ERASED = ' <span class="badge badge-erased">data erased</span>'


def _who(row: Any, cid: int, blind: bool) -> tuple[str, str]:
    """(the name or code, what follows it: the e-mail and external id, and whether the
    candidate withdrew or was erased)."""
    if row.erased_at is not None:
        return candidate_code(cid), ERASED
    standing = WITHDRAWN if row.withdrawn_at is not None else ""
    if blind:
        return candidate_code(cid), standing
    if not row.email:
        return escape(row.name), standing
    external = f" · <bdi>{escape(row.external_id)}</bdi>" if row.external_id else ""
    contact = f'<span class="muted small"><bdi>{escape(row.email)}</bdi>{external}</span>'
    return escape(row.name), contact + standing


def _interviews(row: Any, panel: str) -> str:
    done, planned = row.interviews_done, row.interviews_planned
    if not planned:
        return f'<a class="small" href="{panel}">Assign panel</a>'
    title = f"{done} of {planned} interviews submitted"
    return f'<a href="{panel}" title="{title}">{done}/{planned}{IN_HIDING}</a>'


def _flags(row: Any, hidden: bool) -> str:
    if hidden:
        return SEALED_FLAGS
    count = row.flag_count
    if not count:
        return NO_FLAGS
    names = escape(flag_names(count, row.flag_codes))
    return (
        f'<span class="flag-count" title="{names}">{count}</span>'
        f'<span class="visually-hidden"> {names}</span>'
    )


def _decision(row: Any) -> str:
    if not row.decision:
        return UNDECIDED
    decision = escape(row.decision)
    decided = row.decided_at.strftime("%d %b") if row.decided_at else ""
    return (
        f'<span class="decision decision-{decision}">{decision}</span>'
        f' <span class="muted small">{decided}</span>'
    )


def make_row(row: Any, tie: bool | None, lines: Lines) -> str | None:
    """One line's markup, or None when its stored cells are stale (written again first)."""
    cid = row.candidate_id
    hidden = cid in lines.sealed
    if hidden:
        cells = SEALED_CELLS.format(lines.count)
    else:
        cells = stored_cells(row.cells, lines.cells, lines.count, lines.sorted_at, tie)
        if cells is None:
            return None
    name, contact = _who(row, cid, lines.blind)
    status = _self_status(row, lines.now)
    progress = ""
    if status in ANSWERING:
        progress = f' <span class="muted small">{row.self_answered}/{row.self_total}</span>'
    tied = ' class="tied"' if tie else ""
    href, panel = lines.links["candidate"] % cid, lines.links["panel"] % cid
    return (
        f"\n    <tr{tied}>"
        f'\n      <td class="pick"><input type="checkbox" name="candidates" value="{cid}"'
        f' form="export-form" aria-label="Export {name}"></td>'
        f'\n      <td class="pick"><input type="checkbox" name="c" value="{cid}"'
        f' form="compare-form" aria-label="Compare {name}"></td>'
        f'\n      <th scope="row" class="who"><a href="{href}"><bdi>{name}</bdi></a>{contact}</th>'
        f'{cells}<td class="interviews">{_interviews(row, panel)}</td>'
        f'\n      <td><span class="badge self-{escape(status)}">{SELF_TEXT[status]}</span>'
        f"{progress}</td>"
        f'\n      <td class="flags">{_flags(row, hidden)}</td>'
        f"\n      <td>{_decision(row)}</td>"
        "\n    </tr>"
    )


def make_rows(
    rows: Sequence[Any], previous: Any, args: ListArgs, lines: Lines
) -> tuple[list[str], list[int]]:
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
