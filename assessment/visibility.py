"""What a viewer may see of a candidate: the seal on evidence, and names under blind review.

An interviewer who has not submitted their own interview of a candidate must not see
anything that would anchor their judgement: colleagues' ratings or notes, the panel's
results, or the candidate's self-assessment and scenario scores. That holds for an HR
person on a panel too; HR and admins who are not on the panel see everything. Whether
the name or the candidate code is shown is blind review's rule (blind.py), asked here so
that a feature reads both answers in one place: `candidate_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort

from .blind import Identity, candidate_code, is_blind
from .extensions import db
from .models import Interview, User

SEALED = "Submit your own interview first: ratings stay sealed until then."
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
        return Identity(candidate_code(candidate.id), "", None)


def own_interview(user: User, candidate_id: int) -> Interview | None:
    return db.session.scalar(
        db.select(Interview).where(
            Interview.candidate_id == candidate_id, Interview.interviewer_id == user.id
        )
    )


def _may_see(user: Any, mine: Interview | None) -> bool:
    """A panellist (of any role) only once their own interview is submitted; otherwise HR
    and admins may, and other managers may not."""
    if mine is not None:
        return mine.status == "submitted"
    return user.role in ("admin", "hr")


def may_see_evidence(user: User, candidate_id: int) -> bool:
    return _may_see(user, own_interview(user, candidate_id))


def candidate_view(viewer: Any, candidate: Any) -> CandidateView:
    """The viewer's view of `candidate` (its position loaded): one query, for the seal."""
    mine = own_interview(viewer, candidate.id)
    evidence = _may_see(viewer, mine)
    why = "" if evidence else SEALED if mine is not None else NOT_ON_PANEL
    return CandidateView(evidence, not is_blind(candidate.position, viewer), why)


def require_evidence_access(user: User, candidate_id: int) -> None:
    """403 unless the user may see this candidate's ratings, notes and scores."""
    if not may_see_evidence(user, candidate_id):
        abort(403, description=SEALED)
