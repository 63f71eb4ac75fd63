"""Changing a candidate: correct their name, e-mail and external id; mark them withdrawn
(or back in the process). Each change in one write transaction, audited."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..audit import record_audit
from ..comparison.refresh import refresh_summary
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Position, SelfAssessment, utcnow
from .search_index import index_candidates


class CandidateError(Exception):
    """A change the rules do not allow; `field` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Standing(NamedTuple):
    """Where a candidate stands, for their page: withdrawn, erased, position closed."""

    withdrawn_at: object
    erased_at: object
    closed: bool
    blind: bool


def standing_of(candidate_id: int) -> Standing | None:
    row = db.session.execute(
        db.select(Candidate.withdrawn_at, Candidate.erased_at, Position.archived, Position.blind)
        .join(Position, Position.id == Candidate.position_id)
        .where(Candidate.id == candidate_id)
    ).first()
    return None if row is None else Standing(*row)


def get_candidate(candidate_id: int) -> tuple[Candidate, Position] | None:
    row = db.session.execute(
        db.select(Candidate, Position)
        .join(Position, Position.id == Candidate.position_id)
        .where(Candidate.id == candidate_id)
    ).first()
    return None if row is None else (row[0], row[1])


def _locked(session, candidate_id: int) -> Candidate:
    candidate = session.scalar(
        db.select(Candidate).where(Candidate.id == candidate_id).with_for_update()
    )
    if candidate is None:
        raise CandidateError("There is no such candidate.")
    return candidate


def edit_candidate(
    candidate_id: int, name: str, email: str, external_id: str | None, actor
) -> Candidate:
    """New details; CandidateError(field="email") when the position has the e-mail already."""
    name, email = " ".join(name.split()), email.strip()
    external_id = (external_id or "").strip() or None
    try:
        with write_transaction() as session:
            candidate = _locked(session, candidate_id)
            taken = session.scalar(
                db.select(Candidate.id).where(
                    Candidate.position_id == candidate.position_id,
                    func.lower(Candidate.email) == email.lower(),
                    Candidate.id != candidate.id,
                )
            )
            if taken is not None:
                raise CandidateError("Another candidate of this position has this e-mail.", "email")
            new = {"name": name, "email": email, "external_id": external_id}
            old = {key: getattr(candidate, key) for key in new}
            changed = [key for key in new if old[key] != new[key]]
            if changed:
                for key in changed:
                    setattr(candidate, key, new[key])
                record_audit(
                    "candidate.edit",
                    "candidate",
                    candidate.id,
                    actor,
                    old={key: old[key] for key in changed},
                    new={key: new[key] for key in changed},
                )
                index_candidates([candidate.id])
    except IntegrityError:  # the same e-mail given to someone else at the same moment
        raise CandidateError(
            "Another candidate of this position has this e-mail.", "email"
        ) from None
    return candidate


def withdraw_candidate(candidate_id: int, actor) -> bool:
    """The candidate left the process: their self-assessment link stops (answers kept).
    False when already withdrawn."""
    now = utcnow()
    with write_transaction() as session:
        candidate = _locked(session, candidate_id)
        if candidate.withdrawn_at is not None:
            return False
        candidate.withdrawn_at = now
        open_links = session.scalars(
            db.select(SelfAssessment).where(
                SelfAssessment.candidate_id == candidate.id,
                SelfAssessment.status != "submitted",
                SelfAssessment.revoked_at.is_(None),
            )
        )
        for assessment in open_links:
            assessment.revoked_at = now
        record_audit("candidate.withdraw", "candidate", candidate.id, actor)
        refresh_summary(candidate.id)  # the list shows the link as revoked
    return True


def reinstate_candidate(candidate_id: int, actor) -> bool:
    """Back in the process (a new invite link can be made); False when not withdrawn."""
    with write_transaction() as session:
        candidate = _locked(session, candidate_id)
        if candidate.withdrawn_at is None:
            return False
        candidate.withdrawn_at = None
        record_audit("candidate.reinstate", "candidate", candidate.id, actor)
    return True
