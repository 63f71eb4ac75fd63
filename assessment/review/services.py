"""Decisions on candidates and the blind-review switch of a position, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..audit import record_audit
from ..comparison.refresh import refresh_summary
from ..database import write_transaction
from ..extensions import db
from ..models import AuditEntry, Decision, Position, User
from ..scorecard import build_scorecard
from ..webhooks.events import emit_event
from .rules import (
    DECISIONS,
    RATIONALE_MAX,
    REASON_MAX,
    against_message,
    band_text,
    goes_against,
)

NAMES_ACTIONS = ("position.reveal_names", "position.hide_names")


class ReviewError(Exception):
    """A change the rules refuse; `field` names the form field it is about, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- decisions ------------------------------------------------------------------------


def _clean(text: str | None, limit: int, what: str, field: str) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise ReviewError(f"{what} is limited to {limit} characters.", field)
    return text or None


def record_decision(
    candidate_id: int,
    user: User,
    decision: str,
    rationale: str | None,
    against_band_reason: str | None = None,
) -> Decision:
    """A person's decision with their rationale; it stands until a later one.

    The scores' advisory band is read now, as this user sees it, and kept with the decision.
    A decision against the band needs `against_band_reason` (ReviewError otherwise).
    CandidateNotFound or EvidenceSealed when the user may not see the candidate's evidence.
    """
    if decision not in DECISIONS:
        raise ReviewError("Choose advance, hold or decline.", "decision")
    rationale = _clean(rationale, RATIONALE_MAX, "The rationale", "rationale")
    if not rationale:
        raise ReviewError("Write the rationale for this decision: it is kept with it.", "rationale")
    reason = _clean(against_band_reason, REASON_MAX, "The reason", "against_band_reason")
    with write_transaction() as session:
        card = build_scorecard(candidate_id, user)
        band = band_text(card.score.overall.label)
        against = goes_against(decision, band)
        if against and not reason:
            raise ReviewError(against_message(decision, band), "against_band_reason")
        previous = session.scalar(
            db.select(Decision.decision)
            .where(Decision.candidate_id == candidate_id)
            .order_by(Decision.created_at.desc(), Decision.id.desc())
            .limit(1)
        )
        row = Decision(
            candidate_id=candidate_id,
            decided_by_id=user.id,
            decision=decision,
            rationale=rationale,
            band=band,
            against_band_reason=reason if against else None,
        )
        session.add(row)
        session.flush()
        record_audit(
            "decision.record",
            "candidate",
            candidate_id,
            user,
            old={"decision": previous} if previous else None,
            new={
                "decision_id": row.id,
                "decision": decision,
                "band": band,
                "against_band_reason": row.against_band_reason,
            },
            reason=rationale,
        )
        refresh_summary(candidate_id)  # the position list shows the decision
        decided = {"candidate_id": candidate_id, "decision": decision, "band": band,
                   "decided_at": row.created_at.isoformat(timespec="seconds") + "Z"}  # fmt: skip
        emit_event("decision.recorded", candidate_id, decided)
    return row


# --- blind review ---------------------------------------------------------------------


def _switch_names(position_id: int, user: User, blind: bool, reason: str | None) -> bool:
    """Set the position's blind flag; False when it was already so (nothing recorded)."""
    reason = _clean(reason, REASON_MAX, "The reason", "reason")
    with write_transaction() as session:
        position = session.scalar(
            db.select(Position).where(Position.id == position_id).with_for_update()
        )
        if position is None:
            raise ReviewError("There is no such position.")
        if position.blind == blind:
            return False
        position.blind = blind
        record_audit(
            NAMES_ACTIONS[0] if not blind else NAMES_ACTIONS[1],
            "position",
            position_id,
            user,
            old={"blind": not blind},
            new={"blind": blind},
            reason=reason,
        )
    return True


def reveal_names(position_id: int, user: User, reason: str | None = None) -> bool:
    """Show this position's candidates' names to HR and admins (audited, with the reason)."""
    return _switch_names(position_id, user, False, reason)


def hide_names(position_id: int, user: User, reason: str | None = None) -> bool:
    """Back to candidate codes for HR and admins (audited)."""
    return _switch_names(position_id, user, True, reason)


@dataclass(frozen=True)
class NamesEvent:
    """One reveal or hide of a position's names, as the audit log holds it."""

    at: datetime
    revealed: bool
    by: str
    reason: str | None


def names_history(position_id: int, limit: int = 20) -> list[NamesEvent]:
    """Who revealed or hid the position's names, and when, newest first (one query)."""
    rows = db.session.execute(
        db.select(AuditEntry.at, AuditEntry.action, AuditEntry.reason, User.name)
        .outerjoin(User, AuditEntry.user_id == User.id)
        .where(
            AuditEntry.entity == "position",
            AuditEntry.entity_id == position_id,
            AuditEntry.action.in_(NAMES_ACTIONS),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
    return [
        NamesEvent(at, action == NAMES_ACTIONS[0], name or "someone no longer here", reason)
        for at, action, reason, name in rows
    ]
