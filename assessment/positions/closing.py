"""Renaming a position, closing it and reopening it.

A closed position is read-only and out of the default lists (positions, home, reminders);
its pages, scorecards and exports still work. One request hook, `refuse_changes_when_closed`,
keeps it read-only: every change (a POST, PUT, PATCH or DELETE) to something of a closed
position, or to an erased candidate, is refused with 409, whatever the view, so a feature
added later is covered without a check of its own.
"""

from __future__ import annotations

from flask import abort, request

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Interview, Position, SelfAssessment, utcnow
from .services import PositionError, locked_position

TITLE_MAX = 200
ID_LIMIT = 2**31  # ids are 32-bit integers on PostgreSQL

# Changes that stay possible on a closed position (or an erased candidate): reopening it,
# exporting it, and everything privacy law asks for.
ALLOWED_WHEN_CLOSED = frozenset(
    {
        "positions.reopen",
        "exports.index",
        "privacy.erase",
        "privacy.withdraw",
    }
)
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CLOSED = "This position is closed, so nothing in it can change. Reopen it from its page first."
ERASED = "This candidate's personal data was erased, so nothing about them can change."


def rename_position(position_id: int, title: str, actor) -> Position:
    title = " ".join((title or "").split())
    if not title:
        raise PositionError("Give the position a title.", "title")
    if len(title) > TITLE_MAX:
        raise PositionError(f"Use at most {TITLE_MAX} characters.", "title")
    with write_transaction() as session:
        position = locked_position(session, position_id, share=False)
        if position.title != title:
            old, new = {"title": position.title}, {"title": title}
            record_audit("position.rename", "position", position.id, actor, old=old, new=new)
            position.title = title
    return position


def _set_closed(position_id: int, closed: bool, actor) -> bool:
    """Close or reopen; False when it already was (nothing recorded)."""
    with write_transaction() as session:
        position = locked_position(session, position_id, share=False)
        if position.archived == closed:
            return False
        position.archived = closed
        position.closed_at = utcnow() if closed else None
        action = "position.close" if closed else "position.reopen"
        record_audit(action, "position", position.id, actor, new={"closed": closed})
    return True


def close_position(position_id: int, actor) -> bool:
    return _set_closed(position_id, True, actor)


def reopen_position(position_id: int, actor) -> bool:
    return _set_closed(position_id, False, actor)


def _standing(args: dict) -> tuple[bool, bool] | None:
    """(position closed, candidate erased) for what a URL names, or None when it names
    nothing of a position (or nothing that exists: the view answers 404 then)."""
    P, C = Position, Candidate
    if any(isinstance(v, int) and not 0 < v < ID_LIMIT for v in args.values()):
        return None  # no such row; the view answers
    query = None
    if "interview_id" in args:
        query = (
            db.select(P.archived, C.erased_at)
            .join(C, C.position_id == P.id)
            .join(Interview, Interview.candidate_id == C.id)
            .where(Interview.id == args["interview_id"])
        )
    elif "candidate_id" in args:
        query = (
            db.select(P.archived, C.erased_at)
            .join(C, C.position_id == P.id)
            .where(C.id == args["candidate_id"])
        )
    elif "position_id" in args:
        query = db.select(P.archived, db.null()).where(P.id == args["position_id"])
    elif "token" in args:
        from ..selfassess.invites import hash_token

        query = (
            db.select(P.archived, C.erased_at)
            .join(C, C.position_id == P.id)
            .join(SelfAssessment, SelfAssessment.candidate_id == C.id)
            .where(SelfAssessment.token_hash == hash_token(str(args["token"])))
        )
    if query is None:
        return None
    row = db.session.execute(query).first()
    return None if row is None else (bool(row[0]), row[1] is not None)


def refuse_changes_when_closed():
    """before_request (after the access policy): 409 for a change to a closed position's
    things or to an erased candidate."""
    if request.method not in CHANGES or request.endpoint in ALLOWED_WHEN_CLOSED:
        return None
    standing = _standing(request.view_args or {})
    if standing is None:
        return None
    closed, erased = standing
    if erased:
        abort(409, description=ERASED)
    if closed:
        abort(409, description=CLOSED)
    return None
