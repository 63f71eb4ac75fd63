"""Interview changes: save a rating, submit, reopen, revise after the debrief."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..audit import record_audit
from ..comparison.refresh import refresh_summary
from ..database import upsert, write_transaction
from ..extensions import db
from ..models import Interview, Rating, User, utcnow
from ..visibility import may_see_evidence

NOTES_MAX = 5000
REASON_MAX = 2000
EXTREMES = (1, 5)


class InterviewError(Exception):
    """A change the interview's state or rules do not allow; `status` is the HTTP answer."""

    status = 422


class InterviewLocked(InterviewError):
    status = 409


class NotYours(InterviewError):
    status = 403


class IncompleteInterview(InterviewError):
    def __init__(self, problems: Sequence[tuple[str, str]]):
        super().__init__(f"{len(problems)} question(s) need attention before submitting")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class RatingInput:
    """One question's entry as typed: value "1"–"5", "nc" (not covered) or "" (none yet)."""

    question_id: str
    value: str
    notes: str
    edited_ms: int | None = None


@dataclass(frozen=True)
class SaveResult:
    applied: bool  # False: a newer edit was already stored, and it stays
    answered: int
    total: int
    status: str


def now_ms() -> int:
    return int(time.time() * 1000)


def parse_value(raw: str | None) -> tuple[int | None, bool]:
    """(value, not_covered) from a form value; InterviewError on anything else."""
    raw = (raw or "").strip().lower()
    if raw == "":
        return None, False
    if raw == "nc":
        return None, True
    if raw in ("1", "2", "3", "4", "5"):
        return int(raw), False
    raise InterviewError("A rating is 1 to 5, or “not covered”.")


def rating_problem(value: int | None, not_covered: bool, notes: str) -> str | None:
    """Why this entry cannot be submitted, or None when it can."""
    if value is None and not not_covered:
        return "Rate this answer, or mark it “not covered”."
    if value in EXTREMES and not notes.strip():
        return f"A rating of {value} needs a note with the evidence you heard."
    return None


def interview_problems(
    items: Iterable[Mapping], ratings: Mapping[str, Rating]
) -> list[tuple[str, str]]:
    """(question id, problem) for every question that is not ready to submit."""
    problems = []
    for item in items:
        rating = ratings.get(item["id"])
        if rating is None:
            problems.append((item["id"], "Rate this answer, or mark it “not covered”."))
            continue
        problem = rating_problem(rating.value, rating.not_covered, rating.notes)
        if problem:
            problems.append((item["id"], problem))
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


def _check_entry(interview: Interview, entry: RatingInput) -> tuple[int | None, bool, str]:
    if entry.question_id not in {item["id"] for item in interview.items}:
        raise InterviewError(f"{entry.question_id!r} is not a question of this interview.")
    notes = entry.notes or ""
    if len(notes) > NOTES_MAX:
        raise InterviewError(f"Notes are limited to {NOTES_MAX} characters.")
    value, not_covered = parse_value(entry.value)
    return value, not_covered, notes


def _edit_time(session, interview_id: int, question_id: str, page_ms: int | None) -> int:
    """The edit's time: the page's clock (bounded), or after the stored edit for a form post."""
    server = now_ms()
    if page_ms is not None:
        return min(page_ms, server + 60_000)  # a clock running ahead cannot pin a row
    stored = session.scalar(
        db.select(Rating.edited_ms).where(
            Rating.interview_id == interview_id, Rating.question_id == question_id
        )
    )
    return max(server, (stored or 0) + 1)


def _store(interview: Interview, entry: RatingInput, now: datetime) -> bool:
    value, not_covered, notes = _check_entry(interview, entry)
    edited_ms = _edit_time(db.session, interview.id, entry.question_id, entry.edited_ms)
    values = dict(
        interview_id=interview.id,
        question_id=entry.question_id,
        value=value,
        not_covered=not_covered,
        notes=notes,
        updated_at=now,
        edited_ms=edited_ms,
    )
    result = upsert(
        Rating,
        values,
        keys=("interview_id", "question_id"),
        update=("value", "not_covered", "notes", "updated_at", "edited_ms"),
        newer_than="edited_ms",
    )
    return result.first() is not None


def record_ratings(interview_id: int, user: User, entries: Sequence[RatingInput]) -> SaveResult:
    """Save entries as typed (drafts may be incomplete); idempotent per question.

    The latest edit wins by its edit time, so a retried or reordered save never makes a
    second row nor undoes a newer entry. The first save starts the interview.
    """
    now = utcnow()
    with write_transaction() as session:
        interview = _locked_interview(session, interview_id, user)
        if interview.status == "submitted":
            raise InterviewLocked("This interview is submitted and locked.")
        before = _scores(session, interview.id)
        applied = [_store(interview, entry, now) for entry in entries]
        started = interview.status == "not_started"
        if started:
            interview.status = "in_progress"
            interview.started_at = now
        after = _scores(session, interview.id)
        answered = sum(1 for _q, value, not_covered in after if value is not None or not_covered)
        result = SaveResult(all(applied), answered, len(interview.items), interview.status)
        # Most autosaves only change notes, which no score or list cell reads: the
        # candidate's summary row is recomputed only when a rating or the status moved.
        if started or after != before:
            refresh_summary(interview.candidate_id)
    return result


def _scores(session, interview_id: int) -> set[tuple[str, int | None, bool]]:
    """(question, value, not covered) of each stored rating, read as plain rows (not ORM
    objects, which the session would keep from before an upsert)."""
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
        problems = interview_problems(interview.items, ratings)
        if problems:
            raise IncompleteInterview(problems)
        reopened = interview.submitted_at is not None
        interview.status = "submitted"
        interview.submitted_at = now
        new = {"status": "submitted"}
        if reopened:
            new["ratings"] = _rating_facts(ratings)
        record_audit("interview.submit", "interview", interview.id, user, new=new)
        refresh_summary(interview.candidate_id)


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
    now = utcnow()
    with write_transaction() as session:
        interview = _locked_interview(session, interview_id, user)
        if interview.status != "submitted" or not panel_submitted(session, interview.candidate_id):
            raise InterviewLocked("Ratings are revised in the debrief, once the panel is done.")
        value, not_covered, notes = _check_entry(interview, entry)
        problem = rating_problem(value, not_covered, notes)
        if problem:
            raise InterviewError(problem)
        before = _ratings(session, interview.id).get(entry.question_id)
        old = _rating_facts({entry.question_id: before}) if before else None
        _store(interview, entry, now)
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
