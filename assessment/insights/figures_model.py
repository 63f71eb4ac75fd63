"""The stored local figures: what this company's data says about reliability and spread.

One row per scope: "position:<id>" (the interview's figures, from the position's submitted
interviews) or "bank:<version>" (the self-assessment's, from every submitted
self-assessment of that bank version). local_figures.py computes them when enough new
evidence has come in since the last time; scoring reads them (scoring.figures.Figures).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow


class LocalFigures(db.Model):
    __tablename__ = "local_figures"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    # {"r1": [[competency, method, value, n, basis]], "norms": [[competency, method, mean,
    #  sd, n]], "error_corr": [[method, value, n, basis]]}: only what met SCIENCE §7
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    basis: Mapped[int] = mapped_column(default=0)  # submissions behind them
    next_at: Mapped[int] = mapped_column(default=0)  # computed again from this many
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


def position_scope(position_id: int) -> str:
    return f"position:{position_id}"


def bank_scope(version: str) -> str:
    return f"bank:{version}"
