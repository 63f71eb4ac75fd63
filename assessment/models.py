"""SQLAlchemy models: columns and relationships only; the rules live in services."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

# Tests set this to "raise" before importing the models, so an accidental lazy load (an
# N+1 query) fails loudly instead of slowing a page down quietly.
RELATIONSHIP_LAZY = os.environ.get("ASSESSMENT_RELATIONSHIP_LAZY", "select")

# An expert (a subject-matter expert) only keys scenario items: no candidate is ever theirs.
ROLES = ("admin", "hr", "manager", "expert")
INTERVIEW_STATUSES = ("not_started", "in_progress", "submitted")
ASSESSMENT_STATUSES = ("invited", "in_progress", "submitted")


# Byte order on PostgreSQL too, as on SQLite: folded keys sort and prefix-match the same
# on both (a locale's collation ignores spaces and punctuation, and breaks prefix ranges).
SORTABLE = String(400).with_variant(String(400, collation="C"), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _rel(*args, **kwargs):
    kwargs.setdefault("lazy", RELATIONSHIP_LAZY)
    return relationship(*args, **kwargs)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login id: bumping it ends every session of this user (HARDENING §5.4).
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # IANA name (Europe/Berlin): times are shown, typed and e-mailed in it. None until the
    # first sign-in takes the browser's (assessment/account/reader.py).
    time_zone: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("role IN ('admin', 'hr', 'manager', 'expert')", name="role"),)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active


class Position(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kit_id: Mapped[str] = mapped_column(String(100))
    bank_version: Mapped[str] = mapped_column(String(40))
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    method_weights: Mapped[dict[str, float]] = mapped_column(JSON)
    # The position's own copy of its interview questions (bank snapshots, in order):
    # every candidate of the position gets the same questions, whatever the bank does later.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Closed: read-only and out of the default lists (exports still work); `closed_at` is
    # when, for the retention period (assessment/positions/closing.py keeps both in step).
    archived: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None]
    # Blind review: HR and admins see candidate codes instead of names and e-mails until a
    # person chooses to reveal them (audited). On for every new position.
    blind: Mapped[bool] = mapped_column(default=True)

    candidates: Mapped[list[Candidate]] = _rel(back_populates="position")


def _random_code() -> str:
    from .blind import unrepeated_code  # services pick one not yet used in the position

    return unrepeated_code()


class Candidate(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    external_id: Mapped[str | None] = mapped_column(String(100))
    # Blind review's code: random, so it says nothing about who came when (blind.py).
    code: Mapped[str] = mapped_column(String(12), default=_random_code)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The name folded (no case, no accents) with numbers padded, so "Person 2" sorts before
    # "Person 10" through an index; written with the search terms (candidates/search_index.py).
    sort_key: Mapped[str] = mapped_column(SORTABLE, default="", server_default="")
    withdrawn_at: Mapped[datetime | None]  # the candidate left the process
    erased_at: Mapped[datetime | None]  # personal data erased (assessment/privacy/)

    position: Mapped[Position] = _rel(back_populates="candidates")
    interviews: Mapped[list[Interview]] = _rel(back_populates="candidate")
    self_assessments: Mapped[list[SelfAssessment]] = _rel(back_populates="candidate")

    __table_args__ = (
        UniqueConstraint("position_id", "email"),
        UniqueConstraint("position_id", "code"),
        Index("ix_candidate_code", "code"),  # a code search across positions
    )


class Interview(db.Model):
    """One interviewer's interview of one candidate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    bank_version: Mapped[str] = mapped_column(String(40))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # question snapshots
    scheduled_for: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # last reminder e-mail: at most one a day
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The interviewer's overall recommendation (strong_no, no, yes, strong_yes; checked by
    # interviews/recommendation.py) and the key evidence behind it: sealed like ratings,
    # shown beside the mechanical score and never part of it.
    recommendation: Mapped[str | None] = mapped_column(String(12))
    key_evidence: Mapped[str] = mapped_column(Text, default="")
    # Issued by the server on every stored change, like Rating.version.
    recommendation_version: Mapped[int] = mapped_column(default=0)

    candidate: Mapped[Candidate] = _rel(back_populates="interviews")
    interviewer: Mapped[User] = _rel()
    ratings: Mapped[list[Rating]] = _rel(back_populates="interview")

    __table_args__ = (
        UniqueConstraint("candidate_id", "interviewer_id"),
        CheckConstraint("status IN ('not_started', 'in_progress', 'submitted')", name="status"),
    )


class Rating(db.Model):
    """An interviewer's rating of one answer: 1-5, or explicitly not covered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[int | None]
    not_covered: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Issued by the server: 1 on the first stored entry, one more on every stored change.
    # A page sends the version it last saw, so the server can tell it when its edit
    # replaced one it never saw (another tab or device); no browser clock is ever read.
    version: Mapped[int] = mapped_column(default=0)

    interview: Mapped[Interview] = _rel(back_populates="ratings")

    __table_args__ = (
        UniqueConstraint("interview_id", "question_id"),
        CheckConstraint("value IS NULL OR value BETWEEN 1 AND 5", name="value"),
    )


class SelfAssessment(db.Model):
    """A candidate's self-assessment, reached through an invite link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="invited")
    bank_version: Mapped[str] = mapped_column(String(40))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # item snapshots, in shown order
    seed: Mapped[int]  # shuffles item and response order reproducibly
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    consented_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(40))  # the text agreed to
    submitted_at: Mapped[datetime | None]
    last_item: Mapped[int | None]  # 1-based number of the item page last shown: resume there
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    candidate: Mapped[Candidate] = _rel(back_populates="self_assessments")
    answers: Mapped[list[Answer]] = _rel(back_populates="assessment")


class Answer(db.Model):
    """One answer to one self-assessment item (scenario picks, or a 1-5 agreement)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id"))
    item_id: Mapped[str] = mapped_column(String(100))
    most: Mapped[str | None] = mapped_column(String(5))
    least: Mapped[str | None] = mapped_column(String(5))
    value: Mapped[int | None]
    position: Mapped[int | None]  # where the item was shown in this candidate's order
    ms_to_first_answer: Mapped[int | None]
    ms_total: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=0)  # server-issued, as Rating.version

    assessment: Mapped[SelfAssessment] = _rel(back_populates="answers")

    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id"),
        CheckConstraint("value IS NULL OR value BETWEEN 1 AND 5", name="value"),
    )


class Decision(db.Model):
    """A person's decision on a candidate, with their rationale; the latest one stands and
    the earlier ones stay as history. Nothing is ever decided automatically."""

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    # The scores' advisory band when decided, and why the decision goes against it if so.
    band: Mapped[str | None] = mapped_column(String(100))
    against_band_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User] = _rel()

    __table_args__ = (
        CheckConstraint("decision IN ('advance', 'hold', 'decline')", name="decision"),
    )


class AuditEntry(db.Model):
    """Who changed what and when, with old and new values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
