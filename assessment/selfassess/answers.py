"""The candidate's answers: consent, save one answer (with its timing), submit and lock."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..audit import record_audit
from ..comparison.refresh import ANSWER_READS, refresh_summary
from ..database import upsert, write_transaction
from ..extensions import db
from ..models import Answer, Candidate, Position, SelfAssessment, utcnow
from ..privacy.consent import consent_version

AGREE_VALUES = ("1", "2", "3", "4", "5")
MAX_PAGE_MS = 24 * 3600 * 1000  # a page left open for a day counts as a day, no more
MAX_TOTAL_MS = 10 * MAX_PAGE_MS  # stays inside a 32-bit integer column
SHOWN_SALT = "selfassess-shown"


class AnswerError(Exception):
    """An answer or a step the assessment's state or rules do not allow."""

    status = 422


class AssessmentLocked(AnswerError):
    """Submitted already: nothing changes any more."""

    status = 409


class ConsentMissing(AnswerError):
    """Answers wait for the candidate's consent on the welcome page."""

    status = 409


class IncompleteAssessment(AnswerError):
    def __init__(self, missing: Sequence[int]):
        super().__init__(f"{len(missing)} item(s) still need an answer.")
        self.missing = tuple(missing)  # 1-based item numbers


@dataclass(frozen=True)
class AnswerInput:
    """One item's answer as posted: picks or a 1-5 value, and the page's timing."""

    most: str = ""
    least: str = ""
    value: str = ""
    ms_first: int | None = None  # from the page's script: showing → first pick
    ms_page: int | None = None  # from the page's script: time on this page
    shown: str = ""  # the signed "shown at" stamp embedded in the page

    @property
    def empty(self) -> bool:
        return not (self.most or self.least or self.value)


@dataclass(frozen=True)
class Shown:
    """When this page was shown, and the time already spent on the item before it."""

    at_ms: int
    prior_ms: int | None  # None: no answer was stored when the page was shown


def now_ms() -> int:
    return int(time.time() * 1000)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SHOWN_SALT)


def sign_shown(assessment_id: int, number: int, prior: Answer | None) -> str:
    """The stamp a page carries, so a save knows when it was shown even without scripts."""
    prior_ms = None if prior is None else (prior.ms_total or 0)
    return _serializer().dumps([assessment_id, number, now_ms(), prior_ms])


def read_shown(stamp: str, assessment_id: int, number: int) -> Shown | None:
    """The stamp's content if it is ours and for this item; None otherwise (never an error)."""
    try:
        a, n, at_ms, prior_ms = _serializer().loads(stamp or "")
    except (BadSignature, ValueError, TypeError):
        return None
    if (a, n) != (assessment_id, number) or not isinstance(at_ms, int):
        return None
    return Shown(at_ms, prior_ms if isinstance(prior_ms, int) else None)


def bounded_ms(raw: Any) -> int | None:
    """A duration from a page: an integer of milliseconds within a day, else nothing."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= MAX_PAGE_MS else None


def is_answered(item: Mapping[str, Any], answer: Answer | None) -> bool:
    if answer is None:
        return False
    if item["type"] == "scenario":
        return bool(answer.most and answer.least)
    return answer.value is not None


def answers_of(assessment_id: int) -> dict[str, Answer]:
    rows = db.session.scalars(db.select(Answer).where(Answer.assessment_id == assessment_id))
    return {a.item_id: a for a in rows}


def unanswered(items: Sequence[Mapping[str, Any]], answers: Mapping[str, Answer]) -> list[int]:
    """The 1-based numbers of the items without a complete answer, in the order shown."""
    return [n for n, item in enumerate(items, 1) if not is_answered(item, answers.get(item["id"]))]


def position_title(assessment: SelfAssessment) -> str:
    return db.session.scalar(
        db.select(Position.title)
        .join(Candidate, Candidate.position_id == Position.id)
        .where(Candidate.id == assessment.candidate_id)
    )


def _locked(session, assessment_id: int) -> SelfAssessment:
    assessment = session.scalar(
        db.select(SelfAssessment).where(SelfAssessment.id == assessment_id).with_for_update()
    )
    if assessment is None:
        raise AnswerError("There is no such self-assessment.")
    return assessment


def record_consent(assessment_id: int) -> None:
    """The candidate agreed and started: recorded once; later calls change nothing."""
    with write_transaction() as session:
        assessment = _locked(session, assessment_id)
        if assessment.consented_at is None:
            assessment.consented_at = utcnow()
            assessment.consent_version = consent_version()  # the text they agreed to
            record_audit("selfassess.consent", "self_assessment", assessment.id)
        if assessment.status == "invited":
            assessment.status = "in_progress"
            refresh_summary(assessment.candidate_id)  # the list shows the status


def _checked_picks(item: Mapping[str, Any], entry: AnswerInput, complete: bool) -> dict:
    ids = {r["id"] for r in item["responses"]}
    most, least = entry.most.strip() or None, entry.least.strip() or None
    if any(pick is not None and pick not in ids for pick in (most, least)):
        raise AnswerError("Choose among the responses shown for this situation.")
    if most is not None and most == least:
        raise AnswerError(
            "The same response cannot be both the most and the least effective. "
            "Choose a different one for one of them."
        )
    if complete and (most is None) != (least is None):
        which = "least" if least is None else "most"
        raise AnswerError(f"Also choose the {which} effective response.")
    return {"most": most, "least": least, "value": None}


def _checked_value(entry: AnswerInput) -> dict:
    raw = entry.value.strip()
    if raw not in AGREE_VALUES:
        raise AnswerError("Choose how much you agree, from 1 to 5.")
    return {"most": None, "least": None, "value": int(raw)}


def _timing(entry: AnswerInput, shown: Shown | None, stored: Answer | None) -> dict:
    """Time on the item: earlier visits plus this one; the first pick is timed on first view."""
    if shown is None:  # no trustworthy stamp: keep what is known
        first = stored.ms_to_first_answer if stored else entry.ms_first
        total = stored.ms_total if stored and stored.ms_total is not None else entry.ms_page
        return {"ms_to_first_answer": first, "ms_total": total}
    page = entry.ms_page
    if page is None:  # no script: the server's clock since the page was shown
        page = min(max(now_ms() - shown.at_ms, 0), MAX_PAGE_MS)
    first = entry.ms_first
    if shown.prior_ms is not None:  # answered on an earlier view: that first pick counts
        first = stored.ms_to_first_answer if stored else None
    elif first is not None:
        page = max(page, first)
    total = min((shown.prior_ms or 0) + page, MAX_TOTAL_MS)
    return {"ms_to_first_answer": first, "ms_total": total}


def record_answer(
    assessment_id: int, number: int, entry: AnswerInput, complete: bool = True
) -> bool:
    """Save the answer to item `number` (1-based); False when there was nothing to save.

    An upsert by (assessment, item): a double post or a retry leaves one row, the latest
    wins. `complete` asks for both picks of a scenario (a page's Next); the page's script
    saves a single pick as it is made.
    """
    with write_transaction() as session:
        assessment = _locked(session, assessment_id)
        if assessment.status == "submitted":
            raise AssessmentLocked("Your answers were already sent, so nothing was changed.")
        if assessment.consented_at is None:
            raise ConsentMissing("Please read the first page and agree before answering.")
        if not 1 <= number <= len(assessment.items):
            raise AnswerError("There is no such item.")
        if entry.empty:
            return False
        item = assessment.items[number - 1]
        if item["type"] == "scenario":
            choice = _checked_picks(item, entry, complete)
        else:
            choice = _checked_value(entry)
        stored = session.scalar(
            db.select(Answer).where(
                Answer.assessment_id == assessment.id, Answer.item_id == item["id"]
            )
        )
        now = utcnow()
        values = dict(
            assessment_id=assessment.id,
            item_id=item["id"],
            position=number - 1,
            answered_at=now,
            updated_at=now,
            **choice,
            **_timing(entry, read_shown(entry.shown, assessment.id, number), stored),
        )
        update = [k for k in values if k not in ("assessment_id", "item_id", "answered_at")]
        upsert(Answer, values, keys=["assessment_id", "item_id"], update=update)
        # A repeated save (the script's pick, then Next with the same picks) changes only
        # timings the summary does not read: it is recomputed only when a read column moved.
        if stored is None or any(getattr(stored, k) != values[k] for k in ANSWER_READS):
            refresh_summary(assessment.candidate_id)
    return True


def submit_assessment(assessment_id: int) -> bool:
    """Lock the assessment once every item is answered; False when it was already sent."""
    with write_transaction() as session:
        assessment = _locked(session, assessment_id)
        if assessment.status == "submitted":
            return False
        if assessment.consented_at is None:
            raise ConsentMissing("Please read the first page and agree before answering.")
        missing = unanswered(assessment.items, answers_of(assessment.id))
        if missing:
            raise IncompleteAssessment(missing)
        assessment.status = "submitted"
        assessment.submitted_at = utcnow()
        record_audit("selfassess.submit", "self_assessment", assessment.id)
        refresh_summary(assessment.candidate_id)
    return True
