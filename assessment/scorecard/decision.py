"""The standing decision on a candidate, as the scorecard shows it (recorded in review/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assessment.extensions import db
from assessment.models import Decision, User


@dataclass(frozen=True)
class DecisionInfo:
    """The latest decision: a person's, with their rationale; nothing is decided for them."""

    decision: str  # advance, hold, decline
    rationale: str
    band: str | None  # the scores' advisory band when it was decided
    against_band_reason: str | None
    decided_by: str
    decided_at: datetime


def standing_decision(candidate_id: int) -> DecisionInfo | None:
    """The latest decision on the candidate, or None: one query."""
    row = db.session.execute(
        db.select(Decision, User.name)
        .join(User, Decision.decided_by_id == User.id)
        .where(Decision.candidate_id == candidate_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    decision, name = row
    return DecisionInfo(
        decision.decision,
        decision.rationale,
        decision.band,
        decision.against_band_reason,
        name,
        decision.created_at,
    )
