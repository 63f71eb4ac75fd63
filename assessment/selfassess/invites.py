"""Invites: a long random link per self-assessment; only its hash is stored."""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from ..audit import record_audit
from ..bank_model import Bank
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, SelfAssessment, User, utcnow
from ..question_bank import current_bank

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
            bank = current_bank()
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
    return assessment, token


def revoke_invite(assessment_id: int, actor: User | None) -> None:
    with write_transaction() as session:
        assessment = session.get(SelfAssessment, assessment_id)
        if assessment is None:
            raise InviteError("There is no such invite.")
        if assessment.revoked_at is None:
            assessment.revoked_at = utcnow()
            record_audit("invite.revoke", "self_assessment", assessment.id, actor)


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
