"""The candidate search index: one row per word a candidate can be found by."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db

# Byte order on PostgreSQL as on SQLite, so a prefix is an index range on both.
TERM = String(254).with_variant(String(254, collation="C"), "postgresql")


class CandidateTerm(db.Model):
    """A folded word of a candidate's name, e-mail or external id (search_index.py).

    A search for "mül" is an index range over `term` ("mul" ≤ term < "mum"), on every
    candidate or on one position's: never a scan of the candidates."""

    __tablename__ = "candidate_term"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    term: Mapped[str] = mapped_column(TERM, primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))

    __table_args__ = (
        Index("ix_candidate_term_term", "term", "candidate_id"),
        Index("ix_candidate_term_position", "position_id", "term", "candidate_id"),
    )
