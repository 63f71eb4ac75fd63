"""Local figures kept current: computed again when due, and the summaries they band re-banded.

The submit services call these inside their write transaction, after the submission, so a
new figure and the summaries it changes commit together with the evidence that moved it.
"""

from __future__ import annotations

from sqlalchemy import select

from assessment.extensions import db
from assessment.insights.local_figures import bank_scope, position_scope, update_figures
from assessment.models import Candidate, Position, SelfAssessment

from .recombine import recombine_position, recombine_version


def interview_submitted(candidate_id: int) -> None:
    """After an interview of this candidate was submitted or reopened: the position's
    interview figures, when due."""
    position_id = db.session.scalar(
        select(Candidate.position_id).where(Candidate.id == candidate_id)
    )
    if position_id is not None and update_figures(position_scope(position_id)):
        recombine_position(position_id)


def self_assessment_submitted(version: str) -> None:
    """After a self-assessment of this bank version was submitted: its figures, when due."""
    if update_figures(bank_scope(version)):
        recombine_version(version)


def compute_all_figures() -> int:
    """Every position's and every answered bank version's figures, now (before a rebuild
    of every summary); returns how many scopes."""
    positions = db.session.scalars(select(Position.id)).all()
    versions = db.session.scalars(
        select(SelfAssessment.bank_version).where(SelfAssessment.status == "submitted").distinct()
    ).all()
    for pid in positions:
        update_figures(position_scope(pid), force=True)
    for version in versions:
        update_figures(bank_scope(version), force=True)
    return len(positions) + len(versions)
