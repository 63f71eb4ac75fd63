"""Finding a candidate among all positions' (HR and admins): by name, e-mail or external id,
or by code; a page of results in natural order of names.

Blind review holds here as on every page: a candidate of a blind position is found by their
code only, and shown by it, so a search can never confirm a hidden name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select

from ..blind import BLIND_ROLES, candidate_code, identity, is_blind
from ..extensions import db
from ..models import Candidate, Position
from ..positions.services import Page, paged
from .search_index import code_to_id, matching_ids, prefix_range, search_words
from .search_model import CandidateTerm


@dataclass(frozen=True)
class Found:
    """One line of the results, as this viewer may see it."""

    id: int
    name: str  # under blind review: the code
    email: str
    external_id: str | None
    position_id: int
    position_title: str
    closed: bool
    withdrawn: bool
    erased: bool
    added: datetime
    blind: bool


def _hides_names(viewer: Any) -> bool:
    return getattr(viewer, "role", None) in BLIND_ROLES and not getattr(
        viewer, "reveal_names", False
    )


def _where(query: str, viewer: Any) -> list[Any]:
    """Who the search finds: a term match for each word (only on positions whose names the
    viewer may see), or the candidate a code names. Empty list: nothing is searched."""
    found = []
    words = search_words(query)
    if words:
        named_only = ()
        if _hides_names(viewer):
            seen = select(Position.id).where(Position.blind.is_(False))
            named_only = (CandidateTerm.__table__.c.position_id.in_(seen),)
        ranges = [prefix_range(word) for word in words]
        found.append(Candidate.id.in_(matching_ids(ranges, where=named_only)))
    code = code_to_id(query)
    if code is not None:
        found.append(Candidate.id == code)
    return found


def search_candidates(query: str, viewer: Any, number: int = 1) -> Page | None:
    """Page `number` of the candidates `query` finds (None when it names nothing to look
    for): the one its code names first, then by name in natural order."""
    where = _where(query, viewer)
    if not where:
        return None
    code = code_to_id(query)
    rows = (
        select(Candidate, Position.title, Position.archived, Position.blind)
        .join(Position, Position.id == Candidate.position_id)
        .where(or_(*where))
        .order_by(
            case((Candidate.id == (code or -1), 0), else_=1),
            Candidate.sort_key,
            Candidate.id,
        )
    )
    count = select(func.count(Candidate.id)).where(or_(*where))
    page = paged(rows, count, number)
    return replace(page, items=[_found(*row, viewer) for row in page.items])


def _found(candidate: Candidate, title: str, closed: bool, blind: bool, viewer: Any) -> Found:
    position = _Blind(blind)
    shown = identity(candidate, position, viewer)
    erased = candidate.erased_at is not None
    return Found(
        id=candidate.id,
        name=candidate_code(candidate.id) if erased else shown.name,
        email=shown.email,
        external_id=shown.external_id,
        position_id=candidate.position_id,
        position_title=title,
        closed=closed,
        withdrawn=candidate.withdrawn_at is not None,
        erased=erased,
        added=candidate.created_at,
        blind=is_blind(position, viewer),
    )


@dataclass(frozen=True)
class _Blind:
    blind: bool


def count_candidates() -> int:
    return db.session.scalar(select(func.count(Candidate.id))) or 0
