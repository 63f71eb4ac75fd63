"""The decisions on a candidate, as the scorecard shows them (recorded in review/)."""

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


def decisions_on(candidate_id: int) -> tuple[DecisionInfo, ...]:
    """Every decision on the candidate, the standing one first: one query."""
    rows = db.session.execute(
        db.select(Decision, User.name)
        .join(User, Decision.decided_by_id == User.id)
        .where(Decision.candidate_id == candidate_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
    )
    return tuple(
        DecisionInfo(
            decision.decision,
            decision.rationale,
            decision.band,
            decision.against_band_reason,
            name,
            decision.created_at,
        )
        for decision, name in rows
    )
