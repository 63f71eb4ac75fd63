"""What the API reads and writes, as the caller may see it (blind review and the seal)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..audit import record_audit
from ..blind import identity, is_blind
from ..candidates.search_index import index_candidates
from ..comparison.refresh import fill_missing
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Decision, Interview, Position, SelfAssessment
from ..positions.csv_import import _row_problem as row_problem
from ..positions.services import codes_for, locked_position
from ..scorecard import EvidenceSealed, Scorecard, build_scorecard
from ..visibility import may_see_evidence
from .tokens import Caller

PAGE_SIZE = 100
MAX_CANDIDATES = 500  # per request: a bigger list comes in several requests


class ApiError(Exception):
    """A request the API refuses; `status` and, for bad rows, `problems` say why."""

    def __init__(self, message: str, status: int = 422, problems: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.problems = problems or []


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    page: int
    pages: int
    total: int


def _paged(query, count_query, page: int) -> tuple[list, int, int]:
    total = db.session.scalar(count_query) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return rows, pages, total


def list_positions(page: int) -> Page:
    counts = (
        db.select(Candidate.position_id, func.count(Candidate.id).label("n"))
        .group_by(Candidate.position_id)
        .subquery()
    )
    query = (
        db.select(Position, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.position_id == Position.id)
        .order_by(Position.id)
    )
    rows, pages, total = _paged(query, db.select(func.count(Position.id)), page)
    items = [position_json(position, n) for position, n in rows]
    return Page(items, page, pages, total)


def position_json(position: Position, candidates: int) -> dict[str, Any]:
    return {
        "id": position.id,
        "title": position.title,
        "kit": position.kit_id,
        "blind": position.blind,
        "archived": position.archived,
        "candidates": candidates,
        "created_at": _time(position.created_at),
    }


def get_position(position_id: int) -> Position:
    position = db.session.get(Position, position_id)
    if position is None:
        raise ApiError(f"There is no position {position_id}.", 404)
    return position


def get_candidate(candidate_id: int) -> Candidate:
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None:
        raise ApiError(f"There is no candidate {candidate_id}.", 404)
    return candidate


def list_candidates(position_id: int, page: int, caller: Caller) -> Page:
    position = get_position(position_id)
    query = db.select(Candidate).where(Candidate.position_id == position_id).order_by(Candidate.id)
    count = db.select(func.count(Candidate.id)).where(Candidate.position_id == position_id)
    rows, pages, total = _paged(query, count, page)
    items = [person_json(c, position, caller.viewer) for (c,) in rows]
    return Page(items, page, pages, total)


def person_json(candidate: Candidate, position: Position, viewer) -> dict[str, Any]:
    """Identity as the viewer may see it: under blind review the code and nothing else."""
    shown = identity(candidate, position, viewer)
    return {
        "id": candidate.id,
        "position_id": position.id,
        "name": shown.name,
        "email": shown.email or None,
        "external_id": shown.external_id,
        "blind": is_blind(position, viewer),
    }


def candidate_status(candidate_id: int, caller: Caller) -> dict[str, Any]:
    """Identity, progress, scores and the standing decision; scores and decision are null
    with "sealed": true while the caller's own interview of the candidate is open."""
    candidate = get_candidate(candidate_id)
    position = db.session.get(Position, candidate.position_id)
    body = person_json(candidate, position, caller.viewer)
    body["status"] = _progress(candidate_id)
    sealed = not may_see_evidence(caller.viewer, candidate_id)
    card = None if sealed else _card(candidate_id, caller)
    body["sealed"] = card is None
    body["scores"] = None if card is None else scores_json(card)
    body["decision"] = None if card is None else _decision(candidate_id)
    return body


def _card(candidate_id: int, caller: Caller) -> Scorecard | None:
    try:
        return build_scorecard(candidate_id, caller.viewer)
    except EvidenceSealed:
        return None


def _progress(candidate_id: int) -> dict[str, Any]:
    statuses = list(
        db.session.scalars(
            db.select(Interview.status).where(Interview.candidate_id == candidate_id)
        )
    )
    assessment = db.session.scalar(
        db.select(SelfAssessment.status)
        .where(SelfAssessment.candidate_id == candidate_id)
        .order_by(SelfAssessment.id.desc())
        .limit(1)
    )
    return {
        "interviews_planned": len(statuses),
        "interviews_submitted": statuses.count("submitted"),
        "self_assessment": assessment,  # null: never invited
    }


def scores_json(card: Scorecard) -> dict[str, Any]:
    overall = card.score.overall
    return {
        "overall": {
            "score": _round(overall.score),
            "band": [_round(v) for v in overall.band] if overall.band else None,
            "label": overall.label,
            "reason": overall.reason,
        },
        "competencies": [
            {
                "id": cs.competency,
                "name": card.competency_name(cs.competency),
                "weight": cs.weight,
                "interview": _round(cs.interview.score),
                "scenario": _round(cs.scenario.score),
                "self": _round(cs.self.score),
            }
            for cs in card.score.competencies
        ],
        "flags": [{"code": f.code, "message": f.message} for f in card.flags],
    }


def _decision(candidate_id: int) -> dict[str, Any] | None:
    decision = db.session.scalar(
        db.select(Decision)
        .where(Decision.candidate_id == candidate_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    )
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "band": decision.band,
        "decided_at": _time(decision.created_at),
    }


def add_candidates(
    position_id: int, rows: Sequence[Mapping[str, Any]], caller: Caller
) -> list[dict[str, Any]]:
    """All rows or none: ApiError listing every bad row by index."""
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_CANDIDATES:
        raise ApiError(f'"candidates" must be a list of 1 to {MAX_CANDIDATES} objects.', 400)
    try:
        with write_transaction() as session:
            position = locked_position(session, position_id)
            existing = {
                e.lower()
                for e in session.scalars(
                    db.select(Candidate.email).where(Candidate.position_id == position_id)
                )
            }
            people = _checked_rows(rows, existing)
            codes = codes_for(session, position_id, len(people))
            added = [
                Candidate(position_id=position_id, code=code, **person)
                for person, code in zip(people, codes, strict=True)
            ]
            session.add_all(added)
            session.flush()
            index_candidates(c.id for c in added)
            for candidate in added:
                new = {"name": candidate.name, "email": candidate.email, "via": "api"}
                record_audit("candidate.create", "candidate", candidate.id, caller.actor, new=new)
            fill_missing(position_id)
            return [person_json(c, position, caller.viewer) for c in added]
    except IntegrityError:
        raise ApiError("Someone added the same candidate at the same moment; retry.", 409) from None


def _checked_rows(rows, existing: set[str]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    people, problems = [], []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append({"index": index, "reason": "not an object"})
            continue
        values = [row.get(key) for key in ("name", "email", "external_id")]
        if any(v is not None and not isinstance(v, str) for v in values):
            problems.append({"index": index, "reason": "name, email and external_id are text"})
            continue
        name, email, external = (" ".join((v or "").split()) for v in values)
        problem = row_problem(name, email, external, seen, existing)
        if "\x00" in name + email + external:
            problem = "a NUL character is not allowed"
        if problem:
            problems.append({"index": index, "reason": problem})
            continue
        seen[email.lower()] = index
        people.append({"name": name, "email": email, "external_id": external or None})
    if problems:
        raise ApiError("Some candidates are not valid; none was added.", 422, problems)
    return people


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _time(moment) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"
