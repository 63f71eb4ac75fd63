"""ApiToken: a bearer token for the JSON API, stored as its SHA-256 only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow

SCOPES = ("read", "write")


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the token's start, to tell tokens apart
    scope: Mapped[str] = mapped_column(String(10))
    # The admin it acts for; None: made on the command line, acts as the system viewer.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope"),)
