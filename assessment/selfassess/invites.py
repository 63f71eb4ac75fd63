"""Invites: a long random link per self-assessment; only its hash is stored."""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_

from ..audit import record_audit
from ..bank.model import Bank
from ..comparison.refresh import refresh_summary
from ..database import write_transaction
from ..extensions import db
from ..fairness.adopted import keyed_bank
from ..models import Answer, Candidate, Position, SelfAssessment, User, utcnow
from ..question_bank import current_bank
from ..visibility import own_interview
from .state import assessment_state

DEFAULT_DAYS = 14
MAX_DAYS = 90
WORDS_PER_SECOND = 3.3  # an unhurried reading pace (about 200 words a minute)
CHOOSE_SECONDS = {"scenario": 20, "statement": 4, "validity": 4}


class InviteError(Exception):
    """An invite that cannot be made or used; `status` is the HTTP answer."""

    status = 422


class InviteInvalid(InviteError):
    """Unknown (404), expired or revoked (410) link."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown", "expired", "revoked"
        self.status = 404 if reason == "unknown" else 410


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: unguessable, and short enough to paste


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_link(token: str) -> str:
    """The candidate's link, from the BASE_URL setting, never from a request's Host."""
    return current_app.config["BASE_URL"].rstrip("/") + "/a/" + token


def shown_items(bank: Bank, seed: int) -> list[dict[str, Any]]:
    """Every scenario, statement and validity item, in this candidate's shuffled order.

    The responses of each scenario are shuffled too; the stored snapshot keeps the order
    shown, so it is recorded and the same on every visit.
    """
    rng = random.Random(seed)
    items = [
        *(s.snapshot() for s in bank.scenarios.values()),
        *(s.snapshot() for s in bank.statements.values()),
        *(v.snapshot() for v in bank.validity.values()),
    ]
    rng.shuffle(items)
    for item in items:
        if item["type"] == "scenario":
            rng.shuffle(item["responses"])
    return items


def estimated_minutes(items: Sequence[dict[str, Any]]) -> int:
    """Reading plus choosing time for the items, rounded up to 5 minutes."""
    seconds = 0.0
    for item in items:
        words = len(item.get("situation", item.get("text", "")).split())
        words += sum(len(r["text"].split()) for r in item.get("responses", ()))
        seconds += words / WORDS_PER_SECOND + CHOOSE_SECONDS[item["type"]]
    return max(5, 5 * math.ceil(seconds / 300))


def create_invite(
    candidate_id: int, actor: User | None, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> tuple[SelfAssessment, str]:
    """A new link for the candidate's self-assessment; returns it with the token (shown once).

    A candidate has one self-assessment: a new invite for an unfinished one replaces its
    link (the old link stops working) and keeps the answers given so far.
    """
    if not 1 <= days <= MAX_DAYS:
        raise InviteError(f"An invite lasts 1 to {MAX_DAYS} days.")
    now = now or utcnow()
    token = new_token()
    with write_transaction() as session:
        if session.get(Candidate, candidate_id) is None:
            raise InviteError("There is no such candidate.")
        assessment = session.scalar(
            db.select(SelfAssessment)
            .where(SelfAssessment.candidate_id == candidate_id)
            .order_by(SelfAssessment.id.desc())
            .limit(1)
            .with_for_update()
        )
        if assessment is not None and assessment.status == "submitted":
            raise InviteError("This candidate has already submitted their self-assessment.")
        action = "invite.renew"
        if assessment is None:
            bank = keyed_bank(current_bank())  # with any consensus key adopted (fairness/)
            seed = secrets.randbelow(2**31)
            assessment = SelfAssessment(
                candidate_id=candidate_id,
                bank_version=bank.version,
                items=shown_items(bank, seed),
                seed=seed,
                created_by_id=getattr(actor, "id", None),
            )
            session.add(assessment)
            action = "invite.create"
        assessment.token_hash = hash_token(token)
        assessment.expires_at = now + timedelta(days=days)
        assessment.revoked_at = None
        session.flush()
        record_audit(
            action,
            "self_assessment",
            assessment.id,
            actor,
            new={"expires_at": str(assessment.expires_at)},
        )
        refresh_summary(candidate_id)
    return assessment, token


def revoke_invite(assessment_id: int, actor: User | None) -> None:
    """Stop the link; the answers stay. A submitted assessment has nothing left to stop."""
    with write_transaction() as session:
        assessment = session.get(SelfAssessment, assessment_id)
        if assessment is None:
            raise InviteError("There is no such invite.")
        if assessment.status == "submitted":
            raise InviteError("The self-assessment is already submitted: there is no link to stop.")
        if assessment.revoked_at is None:
            assessment.revoked_at = utcnow()
            record_audit("invite.revoke", "self_assessment", assessment.id, actor)
            refresh_summary(assessment.candidate_id)


def find_by_token(token: str, now: datetime | None = None) -> SelfAssessment:
    """The self-assessment behind a link, or InviteInvalid saying why it cannot be used.

    A submitted assessment stays reachable (its thank-you page) until the link expires.
    """
    now = now or utcnow()
    if not token or len(token) > 100:
        raise InviteInvalid("unknown")
    assessment = db.session.scalar(
        db.select(SelfAssessment).where(SelfAssessment.token_hash == hash_token(token))
    )
    if assessment is None:
        raise InviteInvalid("unknown")
    if assessment.revoked_at is not None:
        raise InviteInvalid("revoked")
    if assessment.expires_at is not None and assessment.expires_at <= now:
        raise InviteInvalid("expired")
    return assessment


NOT_ON_PANEL = (
    "Only HR and the candidate's interview panel can invite this candidate to the "
    "self-assessment. Ask HR to add you to the panel if you should be on it."
)


def may_invite(user: User, candidate_id: int) -> bool:
    """HR and admins for any candidate; a manager only for a candidate whose panel they are on."""
    if user.role in ("admin", "hr"):
        return True
    return user.role == "manager" and own_interview(user, candidate_id) is not None


@dataclass(frozen=True)
class InviteState:
    """Where a candidate's self-assessment stands, for the staff's invite page."""

    candidate_id: int
    candidate_name: str
    candidate_email: str
    candidate_code: str  # blind review's code
    position_title: str
    blind: bool  # the position's blind review: HR and admins see a code, not the person
    state: str  # none, invited, in_progress, submitted, revoked, expired
    assessment_id: int | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    submitted_at: datetime | None = None
    answered: int = 0
    total: int = 0
    minutes: int = 0

    @property
    def active(self) -> bool:
        """The current link works (the candidate can open it now)."""
        return self.state in ("invited", "in_progress")

    @property
    def can_invite(self) -> bool:
        return self.state != "submitted"


def invite_state(candidate_id: int, now: datetime | None = None) -> InviteState | None:
    """The candidate's latest self-assessment and its link's state; None for no such candidate."""
    row = db.session.execute(
        db.select(Candidate.name, Candidate.email, Candidate.code, Position.title, Position.blind)
        .join(Position, Candidate.position_id == Position.id)
        .where(Candidate.id == candidate_id)
    ).one_or_none()
    if row is None:
        return None
    who = dict(
        candidate_id=candidate_id,
        candidate_name=row[0],
        candidate_email=row[1],
        candidate_code=row[2],
        position_title=row[3],
        blind=row[4],
    )
    assessment = db.session.scalar(
        db.select(SelfAssessment)
        .where(SelfAssessment.candidate_id == candidate_id)
        .order_by(SelfAssessment.id.desc())
        .limit(1)
    )
    if assessment is None:
        minutes = estimated_minutes(shown_items(current_bank(), 0))
        return InviteState(**who, state="none", minutes=minutes)
    answered = count_answered(assessment.id)
    return InviteState(
        **who,
        state=assessment_state(assessment, answered, now or utcnow()),
        assessment_id=assessment.id,
        expires_at=assessment.expires_at,
        revoked_at=assessment.revoked_at,
        submitted_at=assessment.submitted_at,
        answered=answered,
        total=len(assessment.items),
        minutes=estimated_minutes(assessment.items),
    )


def count_answered(assessment_id: int) -> int:
    """Items with a complete answer: a 1-5 value, or both a most and a least pick."""
    complete = or_(
        Answer.value.is_not(None), and_(Answer.most.is_not(None), Answer.least.is_not(None))
    )
    return db.session.scalar(
        db.select(func.count(Answer.id)).where(Answer.assessment_id == assessment_id, complete)
    )
