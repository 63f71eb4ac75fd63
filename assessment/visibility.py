"""Who may see a candidate's evidence: sealed ratings keep interviewers independent.

An interviewer who has not submitted their own interview of a candidate must not see
anything that would anchor their judgement: colleagues' ratings or notes, the panel's
results, the candidate's self-assessment and scenario scores, flags, HR's decision and
its band, or the audit log's record of any of them. That holds for an HR person or an
admin on a panel too; HR and admins who are not on the panel see everything. Nor may a
sealed panellist reopen a colleague's interview, which would put its ratings in the log.

This is the one rule: pages, filters, sorts, exports and the audit log all ask it (the
comparison list through `sealing`, the same condition in SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort
from sqlalchemy import literal_column

from .extensions import db
from .models import Interview, User

SEALED_MESSAGE = "Submit your own interview first: ratings stay sealed until then."
SEES_ALL_ROLES = ("admin", "hr")  # when not on the candidate's panel


def own_interview(user: User, candidate_id: int) -> Interview | None:
    return db.session.scalar(
        db.select(Interview).where(
            Interview.candidate_id == candidate_id, Interview.interviewer_id == user.id
        )
    )


def sealing(interviewer_id: Any) -> tuple[Any, ...]:
    """SQL conditions on Interview for the interviews that seal their candidate for this
    interviewer: their own, not yet submitted. (The status is written into the statement,
    so a plan made for it stays good.)"""
    return (
        Interview.interviewer_id == interviewer_id,
        Interview.status != literal_column("'submitted'"),
    )


def hidden_evidence(user: User, candidate_ids: Iterable[int]) -> set[int]:
    """Of these candidates, those whose evidence `user` may not see (one query): where they
    are on the panel and have not submitted; for a manager, also where they are not on it."""
    ids = set(candidate_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        db.select(Interview.candidate_id, Interview.status).where(
            Interview.interviewer_id == user.id, Interview.candidate_id.in_(ids)
        )
    ).all()
    on_panel = {cid: status for cid, status in rows}
    hidden = {cid for cid, status in on_panel.items() if status != "submitted"}
    if user.role not in SEES_ALL_ROLES:
        hidden |= ids - on_panel.keys()
    return hidden


def may_see_evidence(user: User, candidate_id: int) -> bool:
    """A panellist (of any role) only once their own interview is submitted; otherwise HR
    and admins may, and other managers may not."""
    return candidate_id not in hidden_evidence(user, (candidate_id,))


def require_evidence_access(user: User, candidate_id: int) -> None:
    """403 unless the user may see this candidate's ratings, notes and scores."""
    if not may_see_evidence(user, candidate_id):
        abort(403, description=SEALED_MESSAGE)
