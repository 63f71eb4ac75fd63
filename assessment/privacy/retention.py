"""Retention (GDPR art. 5(1)(e)): candidates whose hiring process ended long enough ago are
erased, and finished export files go after their 24 hours.

A candidate's process ended at the earliest of: they withdrew, their position was closed,
or a standing decision declined them. Candidates still in an open process (no decision,
hold, or advance on an open position) are never due.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..models import Candidate, Decision, Position, utcnow
from .erasure import erase_candidate
from .storage import scrub_freed_space

_PERIOD = re.compile(r"^\s*(\d{1,5})\s*(d|days?|w|weeks?)?\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that is not "180d", "26w" or a number of days."""


def parse_period(text: str) -> timedelta:
    """ "180d", "180", "26w" → the period."""
    found = _PERIOD.match(text or "")
    if not found or int(found.group(1)) < 1:
        raise PeriodError(f"{text!r} is not a period: write it as 180d (days) or 26w (weeks).")
    days = int(found.group(1)) * (7 if (found.group(2) or "d").lower().startswith("w") else 1)
    return timedelta(days=days)


@dataclass(frozen=True)
class Due:
    """A candidate whose process ended before the cutoff (no name: the list goes to logs)."""

    candidate_id: int
    position_title: str
    ended_at: datetime
    why: str  # "withdrew", "position closed", "declined"


def due_for_erasure(cutoff: datetime) -> list[Due]:
    """The candidates, not yet erased, whose process ended before `cutoff`, oldest first."""
    latest = (
        select(Decision.candidate_id, func.max(Decision.id).label("decision_id"))
        .group_by(Decision.candidate_id)
        .subquery()
    )
    declined = (
        select(Decision.candidate_id, Decision.created_at.label("at"))
        .join(latest, latest.c.decision_id == Decision.id)
        .where(Decision.decision == "decline")
        .subquery()
    )
    closed = and_(Position.archived.is_(True), Position.closed_at < cutoff)
    rows = db.session.execute(
        select(
            Candidate.id,
            Position.title,
            Candidate.withdrawn_at,
            Position.archived,
            Position.closed_at,
            declined.c.at,
        )  # fmt: skip
        .join(Position, Position.id == Candidate.position_id)
        .outerjoin(declined, declined.c.candidate_id == Candidate.id)
        .where(
            Candidate.erased_at.is_(None),
            or_(Candidate.withdrawn_at < cutoff, closed, declined.c.at < cutoff),
        )
    ).all()
    due = []
    for cid, title, withdrawn, archived, closed_at, declined_at in rows:
        ends = [
            (withdrawn, "withdrew"),
            (closed_at if archived else None, "position closed"),
            (declined_at, "declined"),
        ]
        ended, why = min((e for e in ends if e[0] is not None), key=lambda e: e[0])
        due.append(Due(cid, title, ended, why))
    return sorted(due, key=lambda d: (d.ended_at, d.candidate_id))


@dataclass(frozen=True)
class Purge:
    cutoff: datetime
    due: Sequence[Due]
    exports: int  # finished export files past their time
    applied: bool


def purge(older_than: timedelta, apply: bool) -> Purge:
    """List (and with `apply`, erase) the candidates due, and delete old export files."""
    from ..scorecard.job_files import expired_exports, purge_old_exports

    cutoff = utcnow() - older_than
    due = due_for_erasure(cutoff)
    exports = len(expired_exports())
    if apply:
        for item in due:
            erase_candidate(item.candidate_id, None, "retention", scrub=False)
        purge_old_exports()
        scrub_freed_space()  # once for the whole batch
    return Purge(cutoff, due, exports, apply)
