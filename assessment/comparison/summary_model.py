"""The per-candidate summary rows the comparison list sorts and shows (DESIGN rule 10).

They are a cache of what `scoring.score_candidate` makes of ALL of a candidate's evidence,
refreshed in the same transaction as every save that changes it (refresh.py). Only the
comparison list reads them, and it hides a candidate's scores from a viewer whose own
interview of that candidate is still open. `cells` holds the row's score cells as the list
shows them (cells.py), so a page of the list formats nothing per score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import Candidate, utcnow

# Orders for the status columns, so they sort in a meaningful order through an index.
SELF_RANKS = {"none": 0, "revoked": 1, "invited": 2, "in_progress": 3, "submitted": 4}
DECISION_RANKS = {None: 0, "decline": 1, "hold": 2, "advance": 3}


class CandidateSummary(db.Model):
    """One candidate's scores, statuses, flags and latest decision, for sorting and listing."""

    __tablename__ = "candidate_summary"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    # The overall on 0-100 with its 95% band; None is "insufficient evidence" (`reason`).
    overall: Mapped[float | None] = mapped_column(Float)
    overall_sem: Mapped[float | None] = mapped_column(Float)
    overall_lo: Mapped[float | None] = mapped_column(Float)
    overall_hi: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(200))
    default_reliability: Mapped[bool] = mapped_column(default=True)
    # competency id → {"score", "sem", "lo", "hi", "reason" (the methods combined),
    #   "parts": {method: [score, sem]} (on the common scale, as shown),
    #   "evidence": {method: [raw score, ratings behind it] or [None, None]},
    #   "flags": [code, ...] (the interviewers' disagreement: the rest is recomputed)}
    competencies: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The bank version of the self-assessment scored (None: none submitted): its local
    # figures (insights/local_figures.py) band the self-view and scenario parts.
    assessment_version: Mapped[str | None] = mapped_column(String(40))
    # The overall's and each competency's cell, rendered by cells.py (tagged with its version)
    cells: Mapped[str | None] = mapped_column(Text)
    interviews_done: Mapped[int] = mapped_column(default=0)  # submitted
    interviews_planned: Mapped[int] = mapped_column(default=0)  # the whole panel
    self_status: Mapped[str] = mapped_column(String(20), default="none")
    self_rank: Mapped[int] = mapped_column(default=0)
    self_answered: Mapped[int] = mapped_column(default=0)
    self_total: Mapped[int] = mapped_column(default=0)
    self_expires_at: Mapped[datetime | None]
    flag_count: Mapped[int] = mapped_column(default=0)
    flag_codes: Mapped[str] = mapped_column(String(300), default="")  # ",code,code,"
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_rank: Mapped[int] = mapped_column(default=0)
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_candidate_summary_position_id", "position_id", "candidate_id"),
        Index("ix_candidate_summary_overall", "position_id", "overall", "candidate_id"),
        Index(
            "ix_candidate_summary_interviews",
            "position_id",
            "interviews_done",
            "interviews_planned",
            "candidate_id",
        ),
        Index("ix_candidate_summary_self_rank", "position_id", "self_rank", "candidate_id"),
        Index("ix_candidate_summary_flag_count", "position_id", "flag_count", "candidate_id"),
        Index("ix_candidate_summary_decision", "position_id", "decision_rank", "candidate_id"),
        Index("ix_candidate_summary_assessment_version", "assessment_version"),
    )


class CompetencySummary(db.Model):
    """A candidate's combined score on one competency of the position, to sort by it."""

    __tablename__ = "candidate_competency_score"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(100), primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    score: Mapped[float | None] = mapped_column(Float)
    sem: Mapped[float | None] = mapped_column(Float)  # for the "not reliably different" marks

    __table_args__ = (
        Index(
            "ix_candidate_competency_score_sort",
            "position_id",
            "competency",
            "score",
            "candidate_id",
        ),
    )


# The list sorted by name walks this index (in natural order: the folded, number-padded
# sort key) instead of sorting every candidate.
Index("ix_candidate_position_id_sort_key", Candidate.position_id, Candidate.sort_key, Candidate.id)
# The position's newest candidate in one step: has every candidate a summary row yet?
Index("ix_candidate_position_id_id", Candidate.position_id, Candidate.id)
