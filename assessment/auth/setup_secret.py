"""First-run setup: a one-time secret that only the operator can see.

Until an admin exists, /setup creates one, and whoever reaches the site first could take
it. So setup also asks for a secret made on the server: printed by `python app.py`,
written to the log when a process makes one (gunicorn's log, for instance), or made anew
with `flask --app app setup-secret`. Only its hash is stored (one row); creating the
first admin uses it up in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..database import write_transaction
from ..extensions import db
from ..models import User, utcnow
from .security_model import SetupSecret

SECRET_BYTES = 18  # 144 bits, 24 characters to paste
ROW_ID = 1  # there is one secret at most


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make_setup_secret(replace: bool = False) -> str | None:
    """A new setup secret, its hash stored; None when an admin exists, or when one exists
    already and `replace` is False (another process made it and logged it)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    try:
        with write_transaction() as session:
            if session.scalar(db.select(User.id).where(User.role == "admin").limit(1)):
                return None
            row = session.get(SetupSecret, ROW_ID, with_for_update=True)
            if row is not None and not replace:
                return None
            if row is None:
                session.add(SetupSecret(id=ROW_ID, secret_hash=_digest(secret)))
            else:
                row.secret_hash, row.created_at = _digest(secret), utcnow()
    except IntegrityError:  # another process made one at the same moment
        return None
    return secret


def use_setup_secret(session, typed: str | None) -> bool:
    """Inside the caller's write transaction: True, and the secret deleted, when `typed`
    is it; False otherwise (nothing changes then)."""
    row = session.get(SetupSecret, ROW_ID, with_for_update=True)
    if row is None or not typed:
        return False
    if not hmac.compare_digest(row.secret_hash, _digest(typed.strip())):
        return False
    session.delete(row)
    return True


def setup_link(secret: str, base_url: str) -> str:
    return f"{base_url}/setup?secret={secret}"


def log_setup_secret(secret: str) -> None:
    """Write a new secret to the log: an operator running the app under a WSGI server
    finds it there."""
    link = setup_link(secret, current_app.config["BASE_URL"])
    current_app.logger.warning(
        "No admin account yet. First-run setup secret: %s (it works once). "
        "Open %s to create the first admin.",
        secret,
        link,
    )


def announce_first_run(app: Flask) -> str | None:
    """At start: make (and log) the setup secret when there is no admin and no secret yet;
    the new secret, or None. A database without its tables yet (PostgreSQL before
    `flask db upgrade`) is left alone: the setup page makes the secret later."""
    with app.app_context():
        try:
            secret = make_setup_secret()
        except SQLAlchemyError:
            db.session.rollback()
            return None
        if secret is not None:
            log_setup_secret(secret)
        return secret
