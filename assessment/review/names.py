"""Blind review in templates: a candidate's name as the signed-in viewer may see it.

For pages that hold a candidate id but not the scorecard (the invite pages, the panel
page): `candidate_identity(id)` reads the candidate and their position's blind flag once
per request and applies assessment/blind.py's rule for the current user.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import g
from flask_login import current_user

from ..blind import Identity, identity, is_blind
from ..extensions import db
from ..models import Candidate, Position


def candidate_identity(candidate_id: int) -> Identity | None:
    """Name, e-mail and external id as the current user may see them; None if no candidate."""
    cache = g.setdefault("candidate_identities", {})
    if candidate_id not in cache:
        row = db.session.execute(
            db.select(
                Candidate.id, Candidate.name, Candidate.email, Candidate.external_id, Position.blind
            )
            .join(Position, Candidate.position_id == Position.id)
            .where(Candidate.id == candidate_id)
        ).one_or_none()
        shown = None
        if row is not None:
            shown = identity(row, SimpleNamespace(blind=row.blind), current_user)
        cache[candidate_id] = shown
    return cache[candidate_id]


def shows_codes(position) -> bool:
    """True when the current user sees this position's candidates as codes."""
    return is_blind(position, current_user)
