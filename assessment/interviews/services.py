"""Interview changes: save entries, submit, reopen, revise after the debrief."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..audit import record_audit
from ..comparison.figures_refresh import interview_submitted
from ..comparison.refresh import refresh_summary
from ..database import write_transaction
from ..extensions import db
from ..models import Interview, Rating, User, utcnow
from ..visibility import may_see_evidence
from ..webhooks.events import emit_event
from .entries import (
    NOTES_MAX,
    InterviewError,
    RatingInput,
    Stored,
    parse_value,
    store_rating,
    store_recommendation,
)
from .recommendation import RECOMMENDATION_ID, recommendation_problems

__all__ = ["NOTES_MAX", "InterviewError", "RatingInput", "parse_value"]

REASON_MAX = 2000
EXTREMES = (1, 5)


class InterviewLocked(InterviewError):
    status = 409


class NotYours(InterviewError):
    status = 403


class IncompleteInterview(InterviewError):
    def __init__(self, problems: Sequence[tuple[str, str]]):
        super().__init__(f"{len(problems)} problem(s) to fix before submitting")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class SaveResult:
    stored: tuple[Stored, ...]  # one per entry, in order
    answered: int
    total: int
    status: str

    @property
    def stale(self) -> tuple[Stored, ...]:
        """Entries not stored because another tab or device changed them since the page
        was loaded (only for a whole form; an autosave's later arrival always wins)."""
        return tuple(s for s in self.stored if s.replaced is not None and not s.changed)


def rating_problem(value: int | None, not_covered: bool, notes: str) -> str | None:
    """Why this entry cannot be submitted, or None when it can."""
    if value is None and not not_covered:
        return "Rate this answer, or mark it “not covered”."
    if value in EXTREMES and not notes.strip():
        return f"A rating of {value} needs a note with the evidence you heard."
    return None


def entry_problem(entry: RatingInput) -> str | None:
    """What a just-saved rating still needs (a note on a 1 or 5); an unrated one is not
    nagged about while it is being typed."""
    if entry.question_id == RECOMMENDATION_ID:
        return None
    value, not_covered = parse_value(entry.value)
    if value is None and not not_covered:
        return None
    return rating_problem(value, not_covered, entry.notes)


def interview_problems(
    interview: Interview, ratings: Mapping[str, Rating]
) -> list[tuple[str, str]]:
    """(question id or "recommendation", problem) for everything not ready to submit."""
    problems = []
    for item in interview.items:
        rating = ratings.get(item["id"])
        if rating is None:
            problems.append((item["id"], "Rate this answer, or mark it “not covered”."))
            continue
        problem = rating_problem(rating.value, rating.not_covered, rating.notes)
        if problem:
            problems.append((item["id"], problem))
    for problem in recommendation_problems(interview.recommendation, interview.key_evidence):
        problems.append((RECOMMENDATION_ID, problem))
    return problems


def _locked_interview(session, interview_id: int, user: User) -> Interview:
    """The user's own interview, its row locked for this transaction (FOR UPDATE)."""
    interview = session.scalar(
        db.select(Interview).where(Interview.id == interview_id).with_for_update()
    )
    if interview is None:
        raise InterviewError("There is no such interview.")
    if interview.interviewer_id != user.id:
        raise NotYours("This is another interviewer's interview.")
    return interview


def _ratings(session, interview_id: int) -> dict[str, Rating]:
    rows = session.scalars(db.select(Rating).where(Rating.interview_id == interview_id))
    return {r.question_id: r for r in rows}


def _store(session, interview: Interview, entry: RatingInput, stale_wins: bool) -> Stored:
    if entry.question_id == RECOMMENDATION_ID:
        return store_recommendation(interview, entry, stale_wins)
    return store_rating(session, interview, entry, stale_wins)


def record_ratings(
    interview_id: int, user: User, entries: Sequence[RatingInput], stale_wins: bool = True
) -> SaveResult:
    """Save entries as typed (drafts may be incomplete); idempotent per question.

    Each stored change gets a version from the server; the later save to arrive wins
    (stale_wins=False keeps stored entries that changed since a whole form was loaded).
    The first save starts the interview.
    """
    with write_transaction() as session:
        interview = _locked_interview(session, interview_id, user)
        if interview.status == "submitted":
            raise InterviewLocked("This interview is submitted and locked.")
        stored = tuple(_store(session, interview, e, stale_wins) for e in entries)
        session.flush()
        started = interview.status == "not_started" and any(s.changed for s in stored)
        if started:
            interview.status = "in_progress"
            interview.started_at = utcnow()
        after = _scores(session, interview.id)
        answered = sum(1 for _q, value, not_covered in after if value is not None or not_covered)
        result = SaveResult(stored, answered, len(interview.items), interview.status)
        # A draft's ratings count nowhere until it is submitted (scorecard.build), so an
        # autosave changes no score: the summary row is recomputed only when the status
        # moved (the list shows the interview as started).
        if started:
            refresh_summary(interview.candidate_id)
    return result


def _scores(session, interview_id: int) -> set[tuple[str, int | None, bool]]:
    """(question, value, not covered) of each stored rating."""
    rows = session.execute(
        db.select(Rating.question_id, Rating.value, Rating.not_covered).where(
            Rating.interview_id == interview_id
        )
    )
    return {tuple(row) for row in rows}


def submit_interview(interview_id: int, user: User) -> None:
    """Lock the interview once every question has a rating (or "not covered")."""
    now = utcnow()
    with write_transaction() as session:
        interview = _locked_interview(session, interview_id, user)
        if interview.status == "submitted":
            return  # a double click: already done, nothing to do
        ratings = _ratings(session, interview.id)
        problems = interview_problems(interview, ratings)
        if problems:
            raise IncompleteInterview(problems)
        reopened = interview.submitted_at is not None
        interview.status = "submitted"
        interview.submitted_at = now
        new = {"status": "submitted"}
        if reopened:
            new["ratings"] = _rating_facts(ratings)
            new["recommendation"] = [interview.recommendation, interview.key_evidence]
        record_audit("interview.submit", "interview", interview.id, user, new=new)
        refresh_summary(interview.candidate_id)
        interview_submitted(interview.candidate_id)  # local figures, when due
        emit_event("interview.submitted", interview.candidate_id, _submitted(interview))


def _submitted(interview: Interview) -> dict:
    """The webhook's payload: ids and the time, no rating (webhooks/events.py)."""
    return {
        "candidate_id": interview.candidate_id,
        "interview_id": interview.id,
        "interviewer_id": interview.interviewer_id,
        "submitted_at": interview.submitted_at.isoformat(timespec="seconds") + "Z",
    }


def _rating_facts(ratings: Mapping[str, Rating]) -> dict[str, dict]:
    return {
        qid: {"value": r.value, "not_covered": r.not_covered, "notes": r.notes}
        for qid, r in sorted(ratings.items())
    }


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InterviewError("Give a reason: it is kept in the audit log.")
    if len(reason) > REASON_MAX:
        raise InterviewError(f"A reason is limited to {REASON_MAX} characters.")
    return reason


def reopen_interview(interview_id: int, actor: User, reason: str | None) -> None:
    """HR: let the interviewer change a submitted interview again; the old values are kept."""
    reason = _clean_reason(reason)
    with write_transaction() as session:
        interview = session.scalar(
            db.select(Interview).where(Interview.id == interview_id).with_for_update()
        )
        if interview is None:
            raise InterviewError("There is no such interview.")
        if not may_see_evidence(actor, interview.candidate_id):
            # Reopening writes the ratings into the audit log: not for a sealed panellist.
            raise NotYours("Submit your own interview of this candidate first, then reopen.")
        if interview.status != "submitted":
            raise InterviewLocked("Only a submitted interview can be reopened.")
        # submitted_at stays: status in_progress with a submit time means "reopened".
        interview.status = "in_progress"
        old = {"status": "submitted", "ratings": _rating_facts(_ratings(session, interview.id))}
        record_audit(
            "interview.reopen",
            "interview",
            interview.id,
            actor,
            old=old,
            new={"status": "in_progress"},
            reason=reason,
        )
        refresh_summary(interview.candidate_id)


def panel_submitted(session, candidate_id: int) -> bool:
    """Has every panellist of this candidate submitted (and is there a panel at all)?"""
    statuses = session.scalars(
        db.select(Interview.status).where(Interview.candidate_id == candidate_id)
    ).all()
    return bool(statuses) and all(s == "submitted" for s in statuses)


def revise_rating(interview_id: int, user: User, entry: RatingInput, reason: str | None) -> None:
    """After the debrief: change one's own submitted rating, with a reason for the audit log."""
    reason = _clean_reason(reason)
    with write_transaction() as session:
        interview = _locked_interview(session, interview_id, user)
        if interview.status != "submitted" or not panel_submitted(session, interview.candidate_id):
            raise InterviewLocked("Ratings are revised in the debrief, once the panel is done.")
        value, not_covered = parse_value(entry.value)
        notes = entry.notes or ""
        problem = rating_problem(value, not_covered, notes)
        if problem:
            raise InterviewError(problem)
        before = _ratings(session, interview.id).get(entry.question_id)
        old = _rating_facts({entry.question_id: before}) if before else None
        store_rating(session, interview, entry)
        record_audit(
            "rating.revise",
            "interview",
            interview.id,
            user,
            old=old,
            new={entry.question_id: {"value": value, "not_covered": not_covered, "notes": notes}},
            reason=reason,
        )
        refresh_summary(interview.candidate_id)
