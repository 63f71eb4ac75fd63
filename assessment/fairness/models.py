"""The fairness evidence's own tables, apart from everything else: candidates' voluntary
self-identification, hired people's outcomes, experts' scenario keys and adopted keys.

SelfIdentification has no relationship to any other model, and only
`assessment/fairness/report.py` reads it (a test checks): no page about one person can load it
by accident. It is keyed by candidate id, so erasing a candidate erases it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow

from .groups import check_sql


class SelfIdentification(db.Model):
    """What a candidate chose to tell about themselves after sending the self-assessment.
    None: the question was left unanswered; "declined": "prefer not to say"."""

    __tablename__ = "self_identification"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    sex: Mapped[str | None] = mapped_column(String(20))
    race: Mapped[str | None] = mapped_column(String(20))
    age: Mapped[str | None] = mapped_column(String(20))
    disability: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = tuple(
        CheckConstraint(check_sql(d), name=d) for d in ("sex", "race", "age", "disability")
    )


class Outcome(db.Model):
    """How a hired (advanced) candidate did: a 1-5 performance rating some months in, and
    whether they were still employed at twelve months (None: not known yet)."""

    __tablename__ = "hire_outcome"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    rating: Mapped[int | None]
    rating_months: Mapped[int | None]
    employed_12m: Mapped[bool | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint(
            "rating_months IS NULL OR rating_months BETWEEN 1 AND 60", name="rating_months"
        ),
    )


class KeyingTask(db.Model):
    """One expert's independent key of one scenario item: each response rated 1-5."""

    __tablename__ = "expert_keying"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100))
    # The item's wording as the expert keyed it; a reworded item is keyed afresh.
    item_hash: Mapped[str] = mapped_column(String(64))
    item: Mapped[dict[str, Any]] = mapped_column(JSON)  # situation and responses, no keys
    expert_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    ratings: Mapped[dict[str, int] | None] = mapped_column(JSON)  # response id → 1-5
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("item_id", "item_hash", "expert_id"),)


class AdoptedKey(db.Model):
    """A consensus key an admin adopted for one scenario item. The bank on disk is never
    rewritten: new self-assessments get the adopted keys in their item snapshots (under the
    bank version named here), while every earlier snapshot keeps the keys it was scored with."""

    __tablename__ = "adopted_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), index=True)
    item_hash: Mapped[str] = mapped_column(String(64))
    keys: Mapped[dict[str, int]] = mapped_column(JSON)  # response id → 1-5
    previous: Mapped[dict[str, int]] = mapped_column(JSON)  # the keys it replaced
    experts: Mapped[int]
    bank_version: Mapped[str] = mapped_column(String(40))
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    adopted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
