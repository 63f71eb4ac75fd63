"""ScorecardPdf: a rendered scorecard, kept for as long as what it shows stays the same."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow


class ScorecardPdf(db.Model):
    """In the database, so every app host and export worker shares one cache. Erasing a
    candidate deletes their rows by candidate_id (privacy/parts.py), and the foreign key
    cascades if the candidate row goes."""

    __tablename__ = "scorecard_pdf"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # cache.card_key
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]  # len(pdf), so the cache's total is a cheap sum
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # evict the oldest
