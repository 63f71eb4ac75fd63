"""Interview panels: who interviews a candidate, when, and what removing someone would lose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.orm import contains_eager, joinedload

from ..audit import record_audit
from ..comparison.refresh import refresh_summary
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Interview, Rating, User
from .panel_mail import PanelNotice
from .services import PositionError, locked_position


@dataclass(frozen=True)
class PanelChange:
    added: Sequence[str]
    removed: Sequence[str]
    notices: Sequence[PanelNotice] = ()  # whom to e-mail (panel_mail.py), after the commit


def panel_of(candidate_id: int) -> tuple[Candidate, list[Interview], list[User]] | None:
    """The candidate (with position), their interviews (with interviewer), and the people
    who can be picked: active accounts, and anyone already on the panel."""
    candidate = db.session.scalar(
        db.select(Candidate)
        .join(Candidate.position)
        .options(contains_eager(Candidate.position))
        .where(Candidate.id == candidate_id)
    )
    if candidate is None:
        return None
    interviews = list(
        db.session.scalars(
            db.select(Interview)
            .where(Interview.candidate_id == candidate_id)
            .options(joinedload(Interview.interviewer))
            .order_by(Interview.id)
        )
    )
    on_panel = [i.interviewer_id for i in interviews]
    people = db.session.scalars(
        db.select(User)
        .where(or_(User.active.is_(True), User.id.in_(on_panel)))
        .order_by(User.name, User.id)
    ).all()
    return candidate, interviews, list(people)


def _panel_record(schedule: Mapping[int, datetime | None]) -> dict[str, Any]:
    return {
        "interviewers": sorted(schedule),
        "scheduled": {str(u): w.isoformat() if w else None for u, w in sorted(schedule.items())},
    }


def _check_panel(session, picks, current, people, confirm_removal: bool) -> list[Interview]:
    """The interviews to remove; PositionError when a pick or a removal is not allowed."""
    for uid in picks:
        if uid not in people:
            raise PositionError("One of the picked accounts does not exist.")
        if uid not in current and not people[uid].active:
            raise PositionError(f"{people[uid].name}'s account is deactivated.")
    removed = [i for uid, i in current.items() if uid not in picks]
    rated = set(
        session.scalars(
            db.select(Rating.interview_id).where(Rating.interview_id.in_([i.id for i in removed]))
        )
    )
    started = [i for i in removed if i.status != "not_started" or i.id in rated]
    if started:
        names = ", ".join(people[i.interviewer_id].name for i in started)
        raise PositionError(
            f"{names} cannot be removed: their interview has started, and removing it "
            "would lose their ratings. Tick them again to keep them.",
            field="panel",
        )
    if removed and not confirm_removal:
        names = ", ".join(people[i.interviewer_id].name for i in removed)
        raise PositionError(
            f"Removing {names} deletes their interview. Tick the confirmation to remove.",
            field="confirm_removal",
        )
    return removed


def assign_panel(
    candidate_id: int, picks: Mapping[int, datetime | None], actor, confirm_removal: bool = False
) -> PanelChange:
    """Make the panel the picked interviewers (user id → scheduled time): one interview each,
    with the position's questions; only not-started interviews can be removed."""
    with write_transaction() as session:
        # Locks: a double submit waits here and then finds the first one's interviews.
        candidate = session.scalar(
            db.select(Candidate).where(Candidate.id == candidate_id).with_for_update()
        )
        if candidate is None:
            raise PositionError("There is no such candidate.")
        position = locked_position(session, candidate.position_id)
        current = {
            i.interviewer_id: i
            for i in session.scalars(
                db.select(Interview).where(Interview.candidate_id == candidate_id)
            )
        }
        people = {
            u.id: u for u in session.scalars(db.select(User).where(User.id.in_({*picks, *current})))
        }
        removed = _check_panel(session, picks, current, people, confirm_removal)
        old = _panel_record({u: i.scheduled_for for u, i in current.items()})
        old_dates = {u: i.scheduled_for for u, i in current.items()}
        _apply_panel(session, position, candidate_id, picks, current, removed)
        session.flush()  # the new interviews' ids, for their links
        notices = _notices(session, candidate, position, people, old_dates, removed)
        if picks.keys() != current.keys():  # the list counts interviews, not their dates
            refresh_summary(candidate_id)
        new = _panel_record(picks)
        if new != old:
            record_audit("panel.assign", "candidate", candidate_id, actor, old=old, new=new)
        added = [people[u].name for u in picks if u not in current]
        change = PanelChange(added, [people[i.interviewer_id].name for i in removed], notices)
    return change


def _notices(session, candidate, position, people, old_dates, removed) -> list[PanelNotice]:
    """Who is new on the panel, whose date moved, and who was taken off."""
    notices = []
    interviews = session.scalars(db.select(Interview).where(Interview.candidate_id == candidate.id))
    for interview in interviews:
        uid = interview.interviewer_id
        if uid in old_dates and old_dates[uid] == interview.scheduled_for:
            continue
        kind = "moved" if uid in old_dates else "added"
        notices.append(_notice(kind, interview, people[uid], candidate, position))
    notices += [
        _notice("removed", i, people[i.interviewer_id], candidate, position) for i in removed
    ]
    return notices


def _notice(kind: str, interview, person, candidate, position) -> PanelNotice:
    return PanelNotice(
        kind, interview.id, person.email, person.name, interview.scheduled_for,
        candidate.name, position.title,
    )  # fmt: skip


def _apply_panel(session, position, candidate_id, picks, current, removed) -> None:
    for uid, when in picks.items():
        if uid in current:
            current[uid].scheduled_for = when
            continue
        interview = Interview(
            candidate_id=candidate_id,
            interviewer_id=uid,
            bank_version=position.bank_version,
            items=list(position.questions),
            scheduled_for=when,
        )
        session.add(interview)
    if removed:
        # A bulk delete: the ORM would first load each interview's ratings to unlink them.
        session.execute(delete(Interview).where(Interview.id.in_([i.id for i in removed])))
