"""Who may see a candidate's evidence: sealed ratings keep interviewers independent.

An interviewer who has not submitted their own interview of a candidate must not see
anything that would anchor their judgement: colleagues' ratings or notes, the panel's
results, or the candidate's self-assessment and scenario scores. That holds for an HR
person on a panel too; HR and admins who are not on the panel see everything.
"""

from __future__ import annotations

from flask import abort

from .extensions import db
from .models import Interview, User


def own_interview(user: User, candidate_id: int) -> Interview | None:
    return db.session.scalar(
        db.select(Interview).where(
            Interview.candidate_id == candidate_id, Interview.interviewer_id == user.id
        )
    )


def may_see_evidence(user: User, candidate_id: int) -> bool:
    """A panellist (of any role) only once their own interview is submitted; otherwise HR
    and admins may, and other managers may not."""
    mine = own_interview(user, candidate_id)
    if mine is not None:
        return mine.status == "submitted"
    return user.role in ("admin", "hr")


def require_evidence_access(user: User, candidate_id: int) -> None:
    """403 unless the user may see this candidate's ratings, notes and scores."""
    if not may_see_evidence(user, candidate_id):
        abort(403, description="Submit your own interview first: ratings stay sealed until then.")
