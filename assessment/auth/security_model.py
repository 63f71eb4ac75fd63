"""Tables of sign-in security: failed sign-in counters (without Redis) and the setup secret."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class LoginCounter(db.Model):
    """Failed sign-ins of one account or one client address in the current window.

    The key is a hash ("account:…" or "address:…"): what someone typed as an e-mail is
    never stored. Rows are updated by one atomic upsert, so every process counts alike.
    """

    __tablename__ = "login_counter"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int]
    window_ends: Mapped[datetime] = mapped_column(index=True)


class SetupSecret(db.Model):
    """The first-run setup secret's hash: one row (id 1) at most, deleted when used."""

    __tablename__ = "setup_secret"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
