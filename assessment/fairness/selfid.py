"""Voluntary self-identification: recorded only after the self-assessment is sent, never
required, withdrawn on request. No audit entry, log line or page ever names the answers:
they are written here and read, as totals, by report.py alone."""

from __future__ import annotations

from collections.abc import Mapping

from ..database import write_transaction
from ..extensions import db
from ..models import SelfAssessment
from .groups import DECLINED, DIMENSIONS, codes
from .models import SelfIdentification


class SelfIdError(Exception):
    """A step the self-assessment's state does not allow (409)."""

    status = 409


def _sent(session, assessment_id: int) -> SelfAssessment:
    assessment = session.get(SelfAssessment, assessment_id)
    if assessment is None or assessment.status != "submitted":
        raise SelfIdError("These questions open once your self-assessment is sent.")
    return assessment


def has_answered(candidate_id: int) -> bool:
    """Whether a row exists: the page offers the form or the withdrawal, nothing more."""
    found = db.session.scalar(
        db.select(SelfIdentification.candidate_id).where(
            SelfIdentification.candidate_id == candidate_id
        )
    )
    return found is not None


def clean_answers(raw: Mapping[str, str | None]) -> dict[str, str | None]:
    """Each question's code, "declined", or None when left blank; unknown values refused."""
    answers = {}
    for dimension in DIMENSIONS:
        value = (raw.get(dimension) or "").strip() or None
        if value is not None and value not in (*codes(dimension), DECLINED):
            raise ValueError(f"{dimension}: {value!r} is not one of the choices")
        answers[dimension] = value
    return answers


def record_self_identification(assessment_id: int, raw: Mapping[str, str | None]) -> bool:
    """Store the answers once; False when every question was left blank (nothing stored).
    A second send changes nothing: answers are withdrawn first, never overwritten unseen."""
    answers = clean_answers(raw)
    if all(value is None for value in answers.values()):
        return False
    with write_transaction() as session:
        assessment = _sent(session, assessment_id)
        if session.get(SelfIdentification, assessment.candidate_id) is None:
            session.add(SelfIdentification(candidate_id=assessment.candidate_id, **answers))
    return True


def withdraw_self_identification(assessment_id: int) -> None:
    """Delete the candidate's answers; withdrawing twice is harmless."""
    with write_transaction() as session:
        assessment = _sent(session, assessment_id)
        session.execute(
            db.delete(SelfIdentification).where(
                SelfIdentification.candidate_id == assessment.candidate_id
            )
        )


def erase_self_identification(candidate_id: int) -> None:
    """Erasure's part (privacy/parts.py), in the caller's transaction: never counted, so the
    erasure's confirmation does not tell whether the candidate answered."""
    db.session.execute(
        db.delete(SelfIdentification).where(SelfIdentification.candidate_id == candidate_id)
    )
