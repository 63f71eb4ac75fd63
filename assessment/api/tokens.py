"""API tokens: made by admins (or the command line), stored as SHA-256, scoped, revocable.

Whom a token acts as: a token made by an admin on the Integrations page acts for that admin
(it sees what they see: codes on blind positions, sealed candidates stay sealed while the
admin's own interview is open, and it stops working when the admin is deactivated or no
longer an admin). A token made with `flask api-token create` acts as the system viewer: an
admin on no panel, which sees every submitted rating and codes on blind positions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import User, utcnow
from ..scorecard.viewers import SYSTEM_VIEWER
from .models import SCOPES, ApiToken

PREFIX = "hat_"  # "hiring assessment token": a leaked one is easy to find in a log or repo
NAME_MAX = 100
USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


class TokenError(Exception):
    """A token cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Caller:
    """Who an API request acts as: the token, the viewer the blind and seal rules read,
    and the actor recorded in the audit log (None for the system viewer)."""

    token_id: int
    token_name: str
    scope: str
    viewer: Any
    actor: User | None

    def may(self, scope: str) -> bool:
        return scope == "read" or self.scope == "write"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str, scope: str, actor: User | None) -> tuple[ApiToken, str]:
    """A new token; returns the row and the token itself (shown once, never stored)."""
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise TokenError(f"Give the token a name of 1 to {NAME_MAX} characters.")
    if scope not in SCOPES:
        raise TokenError("The scope is read or write.")
    token = PREFIX + secrets.token_urlsafe(32)
    with write_transaction() as session:
        row = ApiToken(
            name=name,
            scope=scope,
            token_hash=hash_token(token),
            prefix=token[:12],
            created_by_id=getattr(actor, "id", None),
        )
        session.add(row)
        session.flush()
        record_audit(
            "api_token.create", "api_token", row.id, actor, new={"name": name, "scope": scope}
        )
    return row, token


def revoke_token(token_id: int, actor: User | None) -> bool:
    """Stop a token at once; False when it was already revoked or does not exist."""
    with write_transaction() as session:
        done = session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        ).rowcount
        if done:
            record_audit("api_token.revoke", "api_token", token_id, actor)
    return bool(done)


def list_tokens() -> list[tuple[ApiToken, str | None]]:
    """Every token, newest first, with the name of the admin it acts for (None: system)."""
    rows = db.session.execute(
        db.select(ApiToken, User.name)
        .outerjoin(User, ApiToken.created_by_id == User.id)
        .order_by(ApiToken.id.desc())
    )
    return [(token, name) for token, name in rows]


def bearer_token(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def authenticate(header: str | None) -> Caller | None:
    """The caller for an Authorization header, or None (unknown, revoked, or its admin is
    no longer an active admin)."""
    token = bearer_token(header)
    if not token:
        return None
    row = db.session.scalar(
        db.select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    actor = None
    if row.created_by_id is not None:
        actor = db.session.get(User, row.created_by_id)
        if actor is None or not actor.active or actor.role != "admin":
            return None
    _mark_used(row)
    viewer = actor if actor is not None else SYSTEM_VIEWER
    return Caller(row.id, row.name, row.scope, viewer, actor)


def _mark_used(row: ApiToken) -> None:
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < USED_EVERY:
        return
    token_id = row.id
    with write_transaction() as session:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
