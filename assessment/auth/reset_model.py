"""Password reset links: only a hash of each is stored, with when it expires and was used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow


class PasswordReset(db.Model):
    """A one-time link an admin (or the operator) made for a person to set a new password."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # used, or replaced by a newer link
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
