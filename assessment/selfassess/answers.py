"""The candidate's answers: consent, save one answer (with its timing), submit and lock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..audit import record_audit
from ..comparison.figures_refresh import self_assessment_submitted
from ..comparison.refresh import ANSWER_READS, refresh_summary
from ..database import upsert, write_transaction
from ..extensions import db
from ..models import Answer, Candidate, Position, SelfAssessment, utcnow
from ..privacy.consent import consent_version
from ..webhooks.events import emit_event
from .timing import bounded_ms, read_shown, sign_shown, timing

__all__ = ["bounded_ms", "read_shown", "sign_shown"]  # the pages' own imports

AGREE_VALUES = ("1", "2", "3", "4", "5")


class AnswerError(Exception):
    """An answer or a step the assessment's state or rules do not allow."""

    status = 422


class AssessmentLocked(AnswerError):
    """Submitted already: nothing changes any more."""

    status = 409


class ConsentMissing(AnswerError):
    """Answers wait for the candidate's consent on the welcome page."""

    status = 409


class MalformedAnswer(AnswerError):
    """A post no page of ours sends (a version that is no number, JSON nested too deep)."""

    status = 400


class StaleAnswer(AnswerError):
    """A page's Next posted picks for an answer that another tab changed since the page was
    shown: the stored answer stays, and the page shows it (a form cannot say what it edited)."""

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
    base: int | None = None  # the answer's version the page saw (None: it does not say)

    @property
    def empty(self) -> bool:
        return not (self.most or self.least or self.value)


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


@dataclass(frozen=True)
class SavedAnswer:
    """What a save stored: the answer's version (issued by the server) and the stored
    picks it replaced without the page having seen them (another tab), if any."""

    version: int
    replaced: dict[str, Any] | None = None


def picks_of(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"most": None, "least": None, "value": None}
    return {"most": answer.most, "least": answer.least, "value": answer.value}


def _versioned(stored: Answer | None, choice: dict, base: int | None, stale_wins: bool):
    """(version to store, what it replaces unseen); StaleAnswer for a stale form post."""
    if stored is None:
        return 1, None
    if picks_of(stored) == choice:
        return stored.version, None  # a retry or a repeated Next: nothing new
    unseen = base is not None and base != stored.version
    if unseen and not stale_wins:
        raise StaleAnswer(
            "This answer was changed in another tab or window after this page was shown. "
            "The answer now stored is shown: choose again if you want to change it."
        )
    return stored.version + 1, picks_of(stored) if unseen else None


def record_answer(
    assessment_id: int, number: int, entry: AnswerInput, complete: bool = True,
    stale_wins: bool = False,
) -> SavedAnswer | None:  # fmt: skip
    """Save the answer to item `number` (1-based); None when there was nothing to save.

    An upsert by (assessment, item) under a version the server issues: a double post or a
    retry leaves one row, and the later save to arrive wins (the page's script, with
    stale_wins; a form's Next keeps an answer another tab changed since the page was
    shown). `complete` asks for both picks of a scenario; the script saves single picks.
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
            return None
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
        version, replaced = _versioned(stored, choice, entry.base, stale_wins)
        now = utcnow()
        values = dict(
            assessment_id=assessment.id,
            item_id=item["id"],
            position=number - 1,
            answered_at=now,
            updated_at=now,
            version=version,
            **choice,
            **timing(entry, read_shown(entry.shown, assessment.id, number), stored),
        )
        update = [k for k in values if k not in ("assessment_id", "item_id", "answered_at")]
        upsert(Answer, values, keys=["assessment_id", "item_id"], update=update)
        # A repeated save (the script's pick, then Next with the same picks) changes only
        # timings the summary does not read: it is recomputed only when a read column moved.
        if stored is None or any(getattr(stored, k) != values[k] for k in ANSWER_READS):
            refresh_summary(assessment.candidate_id)
    return SavedAnswer(version, replaced)


def record_seen(assessment_id: int, number: int) -> None:
    """Remember the item page last shown, so the link resumes there (one UPDATE, and only
    when it moved)."""
    with write_transaction() as session:
        session.execute(
            db.update(SelfAssessment)
            .where(
                SelfAssessment.id == assessment_id,
                SelfAssessment.status != "submitted",
                (SelfAssessment.last_item.is_(None)) | (SelfAssessment.last_item != number),
            )
            .values(last_item=number)
        )


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
        self_assessment_submitted(assessment.bank_version)  # local figures, when due
        submitted = assessment.submitted_at.isoformat(timespec="seconds") + "Z"
        emit_event(
            "self_assessment.submitted",
            assessment.candidate_id,
            {"candidate_id": assessment.candidate_id, "self_assessment_id": assessment.id,
             "submitted_at": submitted},
        )  # fmt: skip
    return True
