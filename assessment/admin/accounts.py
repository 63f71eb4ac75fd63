"""Managing people's accounts (admins): change a role, deactivate and reactivate.

A changed or deactivated account is signed out at once (its session version moves on), and
the last active admin can be neither demoted nor deactivated, so someone can always manage
the app. Every change is audited.
"""

from __future__ import annotations

from ..audit import record_audit
from ..auth.services import AccountError
from ..database import write_transaction
from ..extensions import db
from ..models import ROLES, User


class LastAdmin(AccountError):
    """The change would leave the app without an active admin."""


def list_accounts() -> list[User]:
    """Everyone, active accounts first, then by role and name."""
    query = db.select(User).order_by(User.active.desc(), User.role, User.name, User.id)
    return list(db.session.scalars(query))


def get_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _locked_account(session, user_id: int) -> User:
    """The account, and every active admin's row locked with it: two admins demoting each
    other at the same moment take turns, and the second one sees the first one's change."""
    session.execute(
        db.select(User.id).where(User.role == "admin", User.active.is_(True)).with_for_update()
    )
    user = session.scalar(db.select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise AccountError("There is no such account.")
    return user


def _keep_an_admin(session, user: User, what: str) -> None:
    if user.role != "admin" or not user.active:
        return
    others = session.scalar(
        db.select(db.func.count(User.id)).where(
            User.role == "admin", User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise LastAdmin(
            f"{user.name} is the last active admin, so they cannot be {what}: "
            "make someone else an admin first."
        )


def change_role(user_id: int, role: str, actor: User | None) -> User:
    """A new role for the account; it is signed out, so its next sign-in has the new role."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.", "role")
    with write_transaction() as session:
        user = _locked_account(session, user_id)
        if user.role == role:
            return user
        if role != "admin":
            _keep_an_admin(session, user, "given another role")
        record_audit(
            "user.role", "user", user.id, actor, old={"role": user.role}, new={"role": role}
        )
        user.role = role
        user.session_version += 1
    return user


def set_active(user_id: int, active: bool, actor: User | None) -> User:
    """Deactivate (signed out at once, and no sign-in) or reactivate an account."""
    with write_transaction() as session:
        user = _locked_account(session, user_id)
        if user.active == active:
            return user
        if not active:
            _keep_an_admin(session, user, "deactivated")
            user.session_version += 1
        user.active = active
        action = "user.reactivate" if active else "user.deactivate"
        record_audit(
            action, "user", user.id, actor, old={"active": not active}, new={"active": active}
        )
    return user
