"""Hired people's outcomes, recorded by HR: a 1-5 performance rating some months in and
whether they were still employed at twelve months. Only for candidates whose latest decision
is "advance"; every change is audited with the old and new values."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import record_audit
from ..blind import shown_name
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Decision, Interview, Position, User, utcnow
from .models import Outcome

RATING_LABELS = {
    1: "Well below expectations",
    2: "Below expectations",
    3: "Meets expectations",
    4: "Above expectations",
    5: "Well above expectations",
}
PAGE_SIZE = 50


class OutcomeError(Exception):
    """An outcome that cannot be recorded; `status` is the HTTP answer."""

    status = 422


class NotHired(OutcomeError):
    status = 409


def latest_decisions():
    """A subquery: each decided candidate's latest decision id (decisions are only added)."""
    return (
        db.select(Decision.candidate_id, db.func.max(Decision.id).label("id"))
        .group_by(Decision.candidate_id)
        .subquery()
    )


def latest_decision(session, candidate_id: int) -> str | None:
    return session.scalar(
        db.select(Decision.decision)
        .where(Decision.candidate_id == candidate_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    )


def _values(outcome: Outcome | None) -> dict | None:
    if outcome is None:
        return None
    return {
        "rating": outcome.rating,
        "rating_months": outcome.rating_months,
        "employed_12m": outcome.employed_12m,
    }


def record_outcome(
    candidate_id: int, actor: User, rating: int | None, months: int | None, employed: bool | None
) -> Outcome:
    """Create or replace a hired candidate's outcome (NotHired for anyone else)."""
    if rating is not None and rating not in RATING_LABELS:
        raise OutcomeError("A performance rating runs from 1 to 5.")
    if rating is not None and not (months and 1 <= months <= 60):
        raise OutcomeError("Say after how many months (1 to 60) the rating was given.")
    if rating is None and employed is None:
        raise OutcomeError(
            "Record a rating, whether they were still employed at 12 months, or both."
        )
    with write_transaction() as session:
        if session.get(Candidate, candidate_id) is None:
            raise OutcomeError("There is no such candidate.")
        if latest_decision(session, candidate_id) != "advance":
            raise NotHired("Outcomes are recorded for hired (advanced) candidates only.")
        outcome = session.get(Outcome, candidate_id)
        old = _values(outcome)
        if outcome is None:
            outcome = Outcome(candidate_id=candidate_id)
            session.add(outcome)
        outcome.rating, outcome.rating_months = rating, months if rating is not None else None
        outcome.employed_12m = employed
        outcome.recorded_by_id, outcome.recorded_at = actor.id, utcnow()
        record_audit(
            "outcome.record", "candidate", candidate_id, actor, old=old, new=_values(outcome)
        )
    return outcome


@dataclass(frozen=True)
class HiredRow:
    candidate_id: int
    name: str  # a code under blind review
    position: str
    outcome: Outcome | None


@dataclass(frozen=True)
class HiredPage:
    rows: tuple[HiredRow, ...]
    total: int
    with_outcome: int
    number: int
    pages: int


def hired_page(viewer: User, position_id: int | None, number: int = 1) -> HiredPage:
    """The hired (advanced) candidates, 50 a page, newest first, with their outcomes; not
    those whose evidence is sealed for the viewer (their own interview is still open)."""
    latest = latest_decisions()
    query = (
        db.select(Candidate, Position, Outcome)
        .join(latest, latest.c.candidate_id == Candidate.id)
        .join(Decision, Decision.id == latest.c.id)
        .join(Position, Position.id == Candidate.position_id)
        .outerjoin(Outcome, Outcome.candidate_id == Candidate.id)
        .where(Decision.decision == "advance", Candidate.id.not_in(_sealed_for(viewer)))
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    counted = query.with_only_columns(
        db.func.count(Candidate.id), db.func.count(Outcome.candidate_id)
    ).order_by(None)
    total, with_outcome = db.session.execute(counted).one()
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    rows = db.session.execute(
        query.order_by(Decision.id.desc()).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    )
    shown = tuple(HiredRow(c.id, shown_name(c, p, viewer), p.title, o) for c, p, o in rows)
    return HiredPage(shown, total, with_outcome, number, pages)


def outcome_of(candidate_id: int, viewer: User):
    """(candidate's shown name, position title, latest decision, outcome) or None."""
    row = db.session.execute(
        db.select(Candidate, Position)
        .join(Position, Position.id == Candidate.position_id)
        .where(Candidate.id == candidate_id)
    ).first()
    if row is None:
        return None
    candidate, position = row
    decision = latest_decision(db.session, candidate_id)
    outcome = db.session.get(Outcome, candidate_id)
    return shown_name(candidate, position, viewer), position.title, decision, outcome


def open_interviews(viewer: User, position_id: int | None = None) -> int:
    """The viewer's interviews not yet submitted (of one position, or of any): until they are,
    the seal keeps every figure built from colleagues' ratings, scores and decisions away
    (assessment/visibility.py), the reports' totals included."""
    query = (
        db.select(db.func.count(Interview.id))
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .where(Interview.interviewer_id == viewer.id, Interview.status != "submitted")
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    return db.session.scalar(query)


def _sealed_for(viewer: User):
    return db.select(Interview.candidate_id).where(
        Interview.interviewer_id == viewer.id, Interview.status != "submitted"
    )
