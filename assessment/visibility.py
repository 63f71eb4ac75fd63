"""Who may see a candidate's evidence: sealed ratings keep interviewers independent.

An interviewer who has not submitted their own interview of a candidate must not see
anything that would anchor their judgement: colleagues' ratings or notes, the panel's
results, the candidate's self-assessment and scenario scores, flags, HR's decision and
its band, or the audit log's record of any of them. That holds for an HR person or an
admin on a panel too; HR and admins who are not on the panel see everything. Nor may a
sealed panellist reopen a colleague's interview, which would put its ratings in the log.

This is the one rule: pages, filters, sorts, exports and the audit log all ask it (the
comparison list through `sealing`, the same condition in SQL). Whether the name or the
candidate code is shown is blind review's rule (blind.py), asked here too so that a feature
reads both answers in one place: `candidate_view`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import literal_column

from .blind import Identity, candidate_code, is_blind
from .extensions import db
from .models import Interview, User

SEALED_MESSAGE = "Submit your own interview first: ratings stay sealed until then."
SEES_ALL_ROLES = ("admin", "hr")  # when not on the candidate's panel
NOT_ON_PANEL = (
    "You are not on this candidate's interview panel, so their ratings and scores are not "
    "shown to you. Ask HR if you should be."
)


@dataclass(frozen=True)
class CandidateView:
    """What one viewer may see of one candidate. Two viewers with equal views see the same
    scorecard, so the PDF cache keys by it (scorecard/cache.py)."""

    evidence: bool  # ratings, notes, scores, flags and anything derived from them
    names: bool  # name, e-mail and external id; else the candidate code (blind review)
    sealed_because: str = ""  # why the evidence is hidden, said to the viewer

    def identity(self, candidate: Any) -> Identity:
        """Name, e-mail and external id as this view allows them (all hidden together)."""
        if self.names:
            return Identity(candidate.name, candidate.email, candidate.external_id)
        return Identity(candidate_code(candidate), "", None)


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
    return {cid for cid in ids if not _sees(user, on_panel.get(cid))}


def _sees(viewer: Any, own_status: str | None) -> bool:
    """The seal for one candidate, given the viewer's own interview's status (None: not on
    the panel): a panellist once submitted; otherwise HR and admins, not other managers."""
    if own_status is not None:
        return own_status == "submitted"
    return viewer.role in SEES_ALL_ROLES


def may_see_evidence(user: User, candidate_id: int) -> bool:
    """A panellist (of any role) only once their own interview is submitted; otherwise HR
    and admins may, and other managers may not."""
    return candidate_id not in hidden_evidence(user, (candidate_id,))


def candidate_view(viewer: Any, candidate: Any) -> CandidateView:
    """The viewer's view of `candidate` (its position loaded): one query, for the seal."""
    mine = own_interview(viewer, candidate.id)
    evidence = _sees(viewer, None if mine is None else mine.status)
    why = "" if evidence else SEALED_MESSAGE if mine is not None else NOT_ON_PANEL
    return CandidateView(evidence, not is_blind(candidate.position, viewer), why)


def require_evidence_access(user: User, candidate_id: int) -> None:
    """403 unless the user may see this candidate's ratings, notes and scores."""
    if not may_see_evidence(user, candidate_id):
        abort(403, description=SEALED_MESSAGE)
