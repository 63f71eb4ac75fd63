"""Erasing a candidate's personal data (GDPR art. 17): everything in parts.PARTS, in one
write transaction, audited by counts alone; then their export files, and on SQLite the
write-ahead log, so no copy stays on disk."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Interview, SelfAssessment
from .parts import PARTS, Subject
from .storage import scrub_freed_space

log = logging.getLogger(__name__)

# Why a candidate is erased: chosen, never typed, so the erasure's own entry holds nothing
# about the person.
REASONS: Mapping[str, str] = {
    "request": "The candidate asked for their data to be erased",
    "consent": "The candidate withdrew their consent",
    "retention": "The retention period after their process ended is over",
    "mistake": "Added by mistake",
}


class ErasureError(Exception):
    """Nothing to erase: no such candidate, or erased already."""


@dataclass(frozen=True)
class Preview:
    """What erasing a candidate removes, for the confirmation: a line per part."""

    candidate_id: int
    lines: tuple[str, ...]
    erased: bool  # erased already


def subject_of(candidate_id: int, lock: bool = False) -> Subject | None:
    query = db.select(Candidate).where(Candidate.id == candidate_id)
    candidate = db.session.scalar(query.with_for_update() if lock else query)
    if candidate is None:
        return None
    interviews = db.session.scalars(
        db.select(Interview.id).where(Interview.candidate_id == candidate_id)
    )
    assessments = db.session.scalars(
        db.select(SelfAssessment.id).where(SelfAssessment.candidate_id == candidate_id)
    )
    return Subject(
        candidate_id=candidate.id,
        position_id=candidate.position_id,
        name=candidate.name,
        email=candidate.email,
        external_id=candidate.external_id,
        interview_ids=tuple(interviews),
        assessment_ids=tuple(assessments),
    )


def erasure_preview(candidate_id: int) -> Preview | None:
    subject = subject_of(candidate_id)
    if subject is None:
        return None
    erased = db.session.scalar(db.select(Candidate.erased_at).where(Candidate.id == candidate_id))
    lines = tuple(part.describe(part.count(subject)) for part in PARTS)
    return Preview(candidate_id, lines, erased is not None)


def erase_candidate(candidate_id: int, actor, why: str, scrub: bool = True) -> dict[str, int]:
    """Erase the candidate's personal data; returns what was erased, part key → count.

    `scrub` clears the database's freed space at once; a batch (retention) does it once at
    the end instead."""
    if why not in REASONS:
        raise ErasureError("Choose why the candidate is erased.")
    files = []
    with write_transaction() as session:
        subject = subject_of(candidate_id, lock=True)
        if subject is None:
            raise ErasureError("There is no such candidate.")
        if session.scalar(db.select(Candidate.erased_at).where(Candidate.id == candidate_id)):
            raise ErasureError("This candidate's personal data is already erased.")
        counts = {}
        for part in PARTS:
            counts[part.key] = part.count(subject)
            files += part.erase(subject)
        record_audit(
            "candidate.erase", "candidate", candidate_id, actor, new={"why": why, **counts}
        )
    for path in files:  # after the commit: a failed erasure keeps its files
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not delete the export file %s", path)
    if scrub:
        scrub_freed_space()
    return counts
