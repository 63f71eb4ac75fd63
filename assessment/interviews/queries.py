"""What the interview pages read, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Candidate, Interview, Position, Rating, User
from ..question_bank import current_bank


@dataclass(frozen=True)
class CompetencyGroup:
    id: str
    name: str
    items: tuple[Mapping[str, Any], ...]


def _with_candidate_and_position():
    return (
        db.select(Interview)
        .join(Interview.candidate)
        .join(Candidate.position)
        .options(contains_eager(Interview.candidate).contains_eager(Candidate.position))
    )


def my_interviews(user: User) -> list[Interview]:
    """The user's interviews: open ones first (earliest date first), then submitted; none
    of a closed position (positions/closing.py)."""
    query = _with_candidate_and_position().where(
        Interview.interviewer_id == user.id, Position.archived.is_(False)
    )
    rows = db.session.scalars(query).all()
    open_ = sorted(
        (i for i in rows if i.status != "submitted"),
        key=lambda i: (i.scheduled_for is None, i.scheduled_for or i.created_at, i.id),
    )
    done = sorted(
        (i for i in rows if i.status == "submitted"), key=lambda i: i.submitted_at, reverse=True
    )
    return open_ + done


def own_interview_or_403(interview_id: int, user: User) -> Interview:
    """The interview with its candidate and position, if it is the user's own."""
    interview = db.session.scalar(
        _with_candidate_and_position().where(Interview.id == interview_id)
    )
    if interview is None:
        abort(404)
    if interview.interviewer_id != user.id:
        abort(403, description="This is another interviewer's interview; ratings stay sealed.")
    return interview


def ratings_of(interview_id: int) -> dict[str, Rating]:
    rows = db.session.scalars(db.select(Rating).where(Rating.interview_id == interview_id))
    return {r.question_id: r for r in rows}


def group_by_competency(items: Sequence[Mapping[str, Any]]) -> list[CompetencyGroup]:
    """The questions in their order, grouped under their competency's name."""
    names = current_bank().competency_names
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item["competency"], []).append(item)
    return [CompetencyGroup(c, names.get(c, c), tuple(qs)) for c, qs in groups.items()]


def position_of(interview: Interview) -> Position:
    return interview.candidate.position


def by_disagreement(blocks):
    """Competencies by the panel's spread, biggest first; those with no spread (yet) last."""

    def key(block):
        spread = block.score.interview.spread
        return (spread is None, -(spread or 0.0))

    return sorted(blocks, key=key)
