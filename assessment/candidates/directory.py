"""Finding a candidate among all positions' (HR and admins): by name, e-mail or external id,
or by code; a page of results in natural order of names.

Blind review holds here as on every page: a candidate of a blind position is found by their
code only, and shown by it, so a search can never confirm a hidden name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import String, bindparam, case, func, select

from ..blind import BLIND_ROLES, candidate_code, identity, is_blind
from ..extensions import db
from ..models import Candidate, Position
from ..positions.services import Page, paged
from .search_index import literal_word, matching_ids, prefix_range, search_words, typed_code
from .search_model import CandidateTerm

C, P = Candidate.__table__.c, Position.__table__.c
LINE = (C.id, C.code, C.name, C.email, C.external_id, C.position_id, C.created_at, C.withdrawn_at,
        C.erased_at, P.title, P.archived, P.blind)  # fmt: skip
CODE = bindparam("code", type_=String(), literal_execute=True)


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


@lru_cache(maxsize=64)
def _statements(words: int, names_hidden: bool, code: bool):
    """(the page's rows, their count) for this shape of search, built once: the words
    (parameters w0, h0 …) match terms, only on positions whose names the viewer may see;
    a code (parameter code) names one candidate. One IN over the union of both, so the
    database walks the indexes (an OR of the two made PostgreSQL read every candidate)."""
    coded = select(C.id).where(C.code == CODE)  # ix_candidate_code: codes repeat across positions
    if not words:
        where = C.id.in_(coded)
    else:
        named_only = ()
        if names_hidden:
            shown = select(P.id).where(P.blind.is_(False))
            named_only = (CandidateTerm.__table__.c.position_id.in_(shown),)
        ranges = [(literal_word(f"w{i}"), literal_word(f"h{i}")) for i in range(words)]
        ids = matching_ids(ranges, where=named_only)
        where = C.id.in_(ids.union(coded) if code else ids)
    rows = (
        select(*LINE)
        .select_from(Candidate.__table__.join(Position.__table__, P.id == C.position_id))
        .where(where)
        .order_by(case((C.code == CODE, 0), else_=1) if code else C.id.is_(None), C.sort_key, C.id)
    )
    return rows, select(func.count()).select_from(Candidate.__table__).where(where)


def search_candidates(query: str, viewer: Any, number: int = 1) -> Page | None:
    """Page `number` of the candidates `query` finds (None when it names nothing to look
    for): the ones its code names first, then by name in natural order."""
    words, code = search_words(query), typed_code(query)
    if not words and code is None:
        return None
    params: dict[str, Any] = {} if code is None else {"code": code}
    for i, word in enumerate(words):
        params[f"w{i}"], params[f"h{i}"] = prefix_range(word)
    rows, count = _statements(len(words), _hides_names(viewer), code is not None)
    page = paged(rows.params(params), count.params(params), number)
    return replace(page, items=[_found(row, viewer) for row in page.items])


def _found(row: Any, viewer: Any) -> Found:
    shown = identity(row, row, viewer)  # a row reads as its candidate and its position
    erased = row.erased_at is not None
    return Found(
        id=row.id,
        name=candidate_code(row) if erased else shown.name,
        email=shown.email,
        external_id=shown.external_id,
        position_id=row.position_id,
        position_title=row.title,
        closed=row.archived,
        withdrawn=row.withdrawn_at is not None,
        erased=erased,
        added=row.created_at,
        blind=is_blind(row, viewer),
    )


def count_candidates() -> int:
    return db.session.scalar(select(func.count(Candidate.id))) or 0
