"""One interviewer entry (a rating, or the overall recommendation) stored under a version
the server issues, so the order of edits never depends on a browser's clock."""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from ..models import Interview, Rating, utcnow
from .recommendation import RECOMMENDATION_ID, RecommendationError, check_recommendation

NOTES_MAX = 20_000  # a long interview's notes fit; longer is refused, never cut
VERSION_MAX = 2**31 - 1  # the column is a 32-bit integer


class InterviewError(Exception):
    """A change the interview's state or rules do not allow; `status` is the HTTP answer."""

    status = 422


@dataclass(frozen=True)
class RatingInput:
    """One entry as typed: value "1"–"5", "nc" (not covered) or "" (none yet), and notes.

    `base` is the version the page last saw (None: it does not say, as a form without
    scripts). For the recommendation the value is its key and the notes its key evidence.
    """

    question_id: str
    value: str
    notes: str
    base: int | None = None


@dataclass(frozen=True)
class Entry:
    """What is stored for one question, as a page shows it."""

    value: str  # "1"-"5", "nc" or ""
    notes: str
    version: int


@dataclass(frozen=True)
class Stored:
    """The outcome of one save: the entry's version now, and what the save replaced
    without having seen it (another tab's or device's edit), or None."""

    question_id: str
    version: int
    replaced: Entry | None = None
    changed: bool = False


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


def value_text(value: int | None, not_covered: bool) -> str:
    return "nc" if not_covered else ("" if value is None else str(value))


def check_notes(notes: str) -> str:
    if len(notes) > NOTES_MAX:
        raise InterviewError(
            f"Notes are limited to {NOTES_MAX:,} characters; these have {len(notes):,}. "
            "Nothing was cut: shorten them to save."
        )
    return notes


def rating_entry(row: Rating) -> Entry:
    return Entry(value_text(row.value, row.not_covered), row.notes or "", row.version)


def recommendation_entry(interview: Interview) -> Entry:
    return Entry(
        interview.recommendation or "",
        interview.key_evidence or "",
        interview.recommendation_version,
    )


def _outcome(qid: str, before: Entry | None, after: Entry, base: int | None) -> Stored:
    """Unchanged content keeps its version (a retry stores nothing new); a change bumps it
    and names what it replaced when the page had not seen the stored version."""
    if before is not None and (before.value, before.notes) == (after.value, after.notes):
        return Stored(qid, before.version)
    version = (before.version if before else 0) + 1
    unseen = before is not None and base is not None and base != before.version
    return Stored(qid, version, before if unseen and before.version else None, changed=True)


def store_rating(session, interview: Interview, entry: RatingInput, stale_wins=True) -> Stored:
    """Store one rating in the caller's transaction (the interview row is locked FOR UPDATE,
    so saves of one interview run one after another: the later one to arrive wins).

    With stale_wins False (a whole form posted without scripts, which cannot say what was
    edited) an entry based on an older version is not stored: Stored.changed stays False
    and `replaced` holds the stored entry, for the page to show beside the typed one.
    """
    if entry.question_id not in {item["id"] for item in interview.items}:
        raise InterviewError(f"{entry.question_id!r} is not a question of this interview.")
    value, not_covered = parse_value(entry.value)
    notes = check_notes(entry.notes or "")
    row = session.scalar(
        db.select(Rating).where(
            Rating.interview_id == interview.id, Rating.question_id == entry.question_id
        )
    )
    before = rating_entry(row) if row is not None else None
    after = Entry(value_text(value, not_covered), notes, 0)
    if row is None and after.value == "" and not notes:
        return Stored(entry.question_id, 0)  # nothing typed, nothing stored
    outcome = _outcome(entry.question_id, before, after, entry.base)
    if not outcome.changed:
        return outcome
    if outcome.replaced and not stale_wins:
        return Stored(entry.question_id, before.version, before)
    if row is None:
        row = Rating(interview_id=interview.id, question_id=entry.question_id)
        session.add(row)
    row.value, row.not_covered, row.notes = value, not_covered, notes
    row.version, row.updated_at = outcome.version, utcnow()
    return outcome


def store_recommendation(interview: Interview, entry: RatingInput, stale_wins=True) -> Stored:
    """The overall recommendation and its key evidence, versioned like a rating."""
    try:
        key, evidence = check_recommendation(entry.value, entry.notes)
    except RecommendationError as error:
        raise InterviewError(str(error)) from error
    before = recommendation_entry(interview)
    if before.version == 0 and not key and not evidence:
        return Stored(RECOMMENDATION_ID, 0)
    outcome = _outcome(RECOMMENDATION_ID, before, Entry(key or "", evidence, 0), entry.base)
    if not outcome.changed:
        return outcome
    if outcome.replaced and not stale_wins:
        return Stored(RECOMMENDATION_ID, before.version, before)
    interview.recommendation, interview.key_evidence = key, evidence
    interview.recommendation_version = outcome.version
    return outcome


class MalformedEntry(InterviewError):
    """A request no page of ours sends (a version that is not a number, a missing field)."""

    status = 400


def parse_version(raw: str | None) -> int | None:
    """The version a page sends: a whole number 0..VERSION_MAX, or absent (None)."""
    if raw is None or raw == "":
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or int(raw) > VERSION_MAX:
        raise MalformedEntry("The entry's version is not a whole number the server issued.")
    return int(raw)
