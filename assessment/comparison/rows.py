"""What one line of the comparison list shows, built from a summary row (no queries).

The page has 50 lines of a dozen cells each, so numbers, bands and dates are formatted
here once, and the template only places the strings (it escapes them, as always)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from assessment.blind import is_blind, shown_email, shown_name
from assessment.models import utcnow

from .args import ListArgs
from .ties import ties_with_previous

# By the anchors a score has passed: 25, 50 and 75 on 0-100 are 2, 3 and 4 on the 1-5 scale.
HEAT = (" heat-0", " heat-1", " heat-2", " heat-3")
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
INSUFFICIENT = "insufficient evidence"


class ScoreCell(NamedTuple):  # a tuple: seven per line, 350 per page, so cheap to make
    """A score on 0-100 with its 95% band, formatted; score None is insufficient evidence."""

    score: float | None
    text: str  # "72", or "—"
    band: str  # "65–79", or ""
    css: str  # the cell's classes: its heat ("heat-0" … "heat-3" by the anchors passed)
    title: str  # the methods behind it, or why there is no score
    label: str | None = None  # the advisory label (overall only)
    tie: bool | None = None  # not reliably different from the row above, in this column


class PanelEntry(NamedTuple):
    interviewer: str
    status: str
    when: str  # "02 Mar 2026, 10:30" or "not scheduled"


@dataclass(frozen=True)
class ComparisonRow:
    candidate_id: int
    name: str  # the code under blind review
    email: str  # "" under blind review
    external_id: str | None
    sealed: bool  # the viewer's own interview is open: no scores, no flags
    overall: ScoreCell | None
    competencies: tuple[ScoreCell, ...]  # in the position's order; () when sealed
    interviews_done: int
    interviews_planned: int
    panel: tuple[PanelEntry, ...]
    self_status: str
    self_text: str
    self_progress: str  # "22 of 45" while answering, else ""
    flags: tuple[str, ...] | None  # names; None when sealed
    decision: str | None
    decided: str  # "03 Dec", or ""
    tie: bool | None = None  # not reliably different from the row above (by the sort score)


def _number(x: float | None) -> str:
    return "—" if x is None else f"{x:.0f}"


def score_cell(
    score: float | None,
    lo: float | None,
    hi: float | None,
    why: str | None,
    *,
    kind: str = "competency",
    title: str = "",
    label: str | None = None,
    tie: bool | None = None,
) -> ScoreCell:
    """`tie` None: the list is not sorted by this score; True/False: it is (see ties.py)."""
    css = kind if tie is None else f"{kind} sorted"
    if score is None:
        return ScoreCell(None, "—", "", css, why or INSUFFICIENT, tie=tie)
    if kind == "competency":
        css += HEAT[(score >= 25.0) + (score >= 50.0) + (score >= 75.0)]
    band = f"{lo:.0f}–{hi:.0f}" if lo is not None and hi is not None else ""
    return ScoreCell(score, f"{score:.0f}", band, css, title, label, tie)


def _competency(entry: Mapping[str, Any] | None, name: str, tie: bool | None) -> ScoreCell:
    if entry is None:
        return score_cell(None, None, None, None, tie=tie)
    methods = entry.get("methods") or {}
    title = (
        f"{name}: interview {_number(methods.get('interview'))} · scenarios "
        f"{_number(methods.get('scenario'))} · self-view {_number(methods.get('self'))}"
    )
    return score_cell(
        entry["score"], entry["lo"], entry["hi"], entry["reason"], title=title, tie=tie
    )


def _self_status(row: Any, now: datetime) -> str:
    lapsed = row.self_expires_at is not None and row.self_expires_at <= now
    if row.self_status in ("invited", "in_progress") and lapsed:
        return "expired"
    return row.self_status


def ranked_score(row: Any, args: ListArgs, sealed: frozenset[int]) -> tuple[float, float] | None:
    """(score, SEM) of the sorted-by score, or None when missing or sealed."""
    if row is None or row.candidate_id in sealed:
        return None
    if args.competency is None:
        score, sem = row.overall, row.overall_sem
    else:
        entry = (row.competencies or {}).get(args.competency) or {}
        score, sem = entry.get("score"), entry.get("sem")
    return None if score is None or sem is None else (score, sem)


@dataclass(frozen=True)
class _Person:
    """The candidate fields shown_name and shown_email read, from a list row."""

    id: int
    name: str
    email: str


def _panel(panel: Sequence[Any]) -> tuple[PanelEntry, ...]:
    return tuple(
        PanelEntry(
            p.interviewer,
            p.status,
            p.scheduled_for.strftime("%d %b %Y, %H:%M") if p.scheduled_for else "not scheduled",
        )
        for p in panel
    )


def _scores(row: Any, tie: bool | None, args: ListArgs, names) -> tuple[ScoreCell, tuple]:
    """The overall and the competencies; `tie` goes to the column the list is sorted by."""
    overall = score_cell(
        row.overall,
        row.overall_lo,
        row.overall_hi,
        row.reason,
        kind="overall",
        label=row.label,
        tie=tie if args.sort == "overall" else None,
    )
    entries = row.competencies or {}
    competencies = tuple(
        _competency(entries.get(c), n, tie if args.competency == c else None) for c, n in names
    )
    return overall, competencies


def make_row(row: Any, tie, panel, hidden: bool, position, viewer, names, args, now):
    """One line; `names` is [(competency id, name)] in the position's order."""
    person = _Person(row.candidate_id, row.name, row.email)
    overall, competencies = (None, ()) if hidden else _scores(row, tie, args, names)
    status = _self_status(row, now)
    progress = status in ("in_progress", "expired")
    return ComparisonRow(
        candidate_id=row.candidate_id,
        name=shown_name(person, position, viewer),
        email=shown_email(person, position, viewer) or "",
        external_id=None if is_blind(position, viewer) else row.external_id,
        sealed=hidden,
        overall=overall,
        competencies=competencies,
        interviews_done=row.interviews_done,
        interviews_planned=row.interviews_planned,
        panel=_panel(panel),
        self_status=status,
        self_text=SELF_TEXT[status],
        self_progress=f"{row.self_answered} of {row.self_total}" if progress else "",
        flags=None
        if hidden
        else tuple(FLAG_NAMES.get(c, c) for c in row.flag_codes.split(",") if c),
        decision=row.decision,
        decided=row.decided_at.strftime("%d %b") if row.decided_at else "",
        tie=tie,
    )


def make_rows(
    rows: Sequence[Any],
    previous: Any,
    panels: Mapping[int, Sequence[Any]],
    sealed: frozenset[int],
    position: Any,
    viewer: Any,
    args: ListArgs,
    names: Sequence[tuple[str, str]],
) -> list[ComparisonRow]:
    """The page's lines, each marked when not reliably different from the line above."""
    ties: list[bool | None] = [None] * len(rows)
    if args.ranked:
        scores = [ranked_score(r, args, sealed) for r in rows]
        ties = ties_with_previous(scores, ranked_score(previous, args, sealed))
    now = utcnow()
    return [
        make_row(
            row,
            tie,
            panels.get(row.candidate_id, ()),
            row.candidate_id in sealed,
            position,
            viewer,
            names,
            args,
            now,
        )
        for row, tie in zip(rows, ties, strict=True)
    ]
