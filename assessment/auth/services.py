"""Account operations: create users, check credentials, end sessions."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import ROLES, User, utcnow
from .password_policy import password_problem
from .passwords import hash_password, needs_rehash, verify_password
from .setup_secret import use_setup_secret

WRONG_SECRET = (
    "That is not the setup secret. Find it where the app was started (its output or its "
    "log), or make a new one with `flask --app app setup-secret`."
)


class AccountError(Exception):
    """A user-facing reason an account operation was refused."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def admin_exists() -> bool:
    """Cached per process once true: admins are made, and setup closes for good."""
    if current_app.extensions.get("assessment_has_admin"):
        return True
    found = db.session.scalar(db.select(User.id).where(User.role == "admin").limit(1))
    if found is not None:
        current_app.extensions["assessment_has_admin"] = True
    return found is not None


def create_user(email: str, name: str, role: str, password: str, actor: User | None = None) -> User:
    """Create an account; AccountError when the role is unknown or the e-mail taken."""
    with write_transaction() as session:
        return _add_user(session, email, name, role, password, actor)


def _add_user(session, email: str, name: str, role: str, password: str, actor) -> User:
    """create_user inside the caller's write transaction."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.", "role")
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    taken = session.scalar(db.select(User.id).where(func.lower(User.email) == email))
    if taken is not None:
        raise AccountError("An account with this e-mail already exists.", "email")
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    record_audit("create_user", "user", user.id, actor, new={"email": email, "role": role})
    return user


def create_first_admin(email: str, name: str, password: str, secret: str | None) -> User:
    """First-run setup: only while no admin exists, and only with the setup secret, which
    it uses up (both checked, and the admin made, in one transaction)."""
    with write_transaction() as session:
        if session.scalar(db.select(User.id).where(User.role == "admin").limit(1)):
            raise AccountError("Setup is already done: sign in instead.")
        if not use_setup_secret(session, secret):
            raise AccountError(WRONG_SECRET, "secret")
        return _add_user(session, email, name, "admin", password, None)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.scalar(
        db.select(User).where(func.lower(User.email) == normalise_email(email))
    )
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.active):
        return None
    with write_transaction():
        user.last_login_at = utcnow()
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session of this user, this one included (logout, demotion)."""
    with write_transaction():
        user.session_version += 1


def load_user(login_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so old cookies die."""
    user_id, _, version = login_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
