"""A person's own password: change it, or set a new one through a one-time reset link.

A reset link is made by an admin (or printed for the operator), shown once and e-mailed when
SMTP is set; only a SHA-256 of its token is stored, with when it expires and was used. Every
new password follows the password policy and ends the person's other sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, update

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..mail import MailError, mail_configured, send_mail
from ..models import User, utcnow
from .password_policy import password_problem
from .passwords import hash_password, verify_password
from .reset_model import PasswordReset
from .services import AccountError, normalise_email

RESET_HOURS = 24  # how long a reset link works; PASSWORD_RESET_HOURS


class ResetInvalid(Exception):
    """A reset link that cannot be used: unknown (404), or expired or used (410)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown", "expired", "used", "inactive"
        self.status = 404 if reason == "unknown" else 410


@dataclass(frozen=True)
class ResetLink:
    user: User
    url: str  # shown once: only its hash is stored
    expires_at: datetime
    mailed: bool = False
    mail_problem: str | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_url(token: str) -> str:
    """From BASE_URL, never from a request's Host (HARDENING §5.5)."""
    return current_app.config["BASE_URL"].rstrip("/") + "/reset/" + token


def _set_password(user: User, password: str) -> None:
    """The new hash, and every session of the person ended (their cookies carry the old
    session version)."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = hash_password(password)
    user.session_version += 1


def make_reset_link(user_id: int, actor: User | None) -> ResetLink:
    """A new one-time link for the person; their earlier unused links stop working."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config.get("PASSWORD_RESET_HOURS", RESET_HOURS)
    now = utcnow()
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError("There is no such account.")
        if not user.active:
            raise AccountError("This account is deactivated: reactivate it first.")
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        expires = now + timedelta(hours=hours)
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=_hash(token),
                expires_at=expires,
                created_by_id=getattr(actor, "id", None),
            )
        )
        record_audit("user.reset_link", "user", user.id, actor, new={"expires_at": str(expires)})
    return ResetLink(user, reset_url(token), expires)


def mail_reset_link(link: ResetLink, sender: User | None) -> ResetLink:
    """E-mail the link when SMTP is configured; the result says whether it went."""
    if not mail_configured():
        return link
    who = sender.name if sender else "The hiring assessment's administrator"
    body = (
        f"Hello {link.user.name},\n\n{who} made a link for you to set a new password:\n\n"
        f"    {link.url}\n\nIt works once, until {link.expires_at:%d %B %Y, %H:%M} (UTC). "
        "If you did not expect it, tell your administrator.\n"
    )
    try:
        send_mail(link.user.email, "Set a new password", body)
    except MailError as error:
        return ResetLink(link.user, link.url, link.expires_at, False, str(error))
    return ResetLink(link.user, link.url, link.expires_at, True)


def find_reset(token: str) -> tuple[PasswordReset, User]:
    """The link's row and its person, or ResetInvalid saying why it cannot be used."""
    found = db.session.execute(
        db.select(PasswordReset, User)
        .join(User, User.id == PasswordReset.user_id)
        .where(PasswordReset.token_hash == _hash(token or ""))
    ).first()
    if found is None:
        raise ResetInvalid("unknown")
    reset, user = found
    if reset.used_at is not None:
        raise ResetInvalid("used")
    if reset.expires_at <= utcnow():
        raise ResetInvalid("expired")
    if not user.active:
        raise ResetInvalid("inactive")
    return reset, user


def reset_password(token: str, password: str) -> User:
    """Set the password through a link, once; AccountError for a password the policy
    refuses (the link still works then), ResetInvalid for a link that does not."""
    with write_transaction() as session:
        reset, user = find_reset(token)
        locked = session.scalar(
            db.select(PasswordReset).where(PasswordReset.id == reset.id).with_for_update()
        )
        if locked.used_at is not None:  # used a moment ago, in another request
            raise ResetInvalid("used")
        _set_password(user, password)
        locked.used_at = utcnow()
        record_audit("user.password_reset", "user", user.id, user)
    return user


def change_password(user_id: int, current: str, password: str) -> User:
    """A signed-in person's new password; AccountError(field) when the current one is
    wrong or the new one is refused."""
    with write_transaction() as session:
        user = session.get(User, user_id)
        if not verify_password(user.password_hash, current):
            raise AccountError("This is not your current password.", "current_password")
        if current == password:
            raise AccountError("Choose a password different from the current one.", "password")
        _set_password(user, password)
        record_audit("user.password_change", "user", user.id, user)
    return user


def set_password(email: str, password: str) -> User:
    """The operator's command: a new password for an account, every session ended."""
    with write_transaction() as session:
        user = session.scalar(
            db.select(User).where(func.lower(User.email) == normalise_email(email))
        )
        if user is None:
            raise AccountError(f"There is no account with the e-mail {email}.")
        _set_password(user, password)
        record_audit("user.password_set", "user", user.id, None)
    return user
