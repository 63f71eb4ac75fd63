"""ExportJob: one batch export of a position's scorecards, its progress and its file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow


class ExportJob(db.Model):
    """Progress lives here, not in a process, so every web host and worker sees the same."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    paper: Mapped[str] = mapped_column(String(10), default="A4")
    candidate_ids: Mapped[list[Any] | None] = mapped_column(JSON)  # None: every candidate
    status: Mapped[str] = mapped_column(String(20), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)  # sealed for the person who asked
    file_name: Mapped[str | None] = mapped_column(String(255))  # inside the export folder
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # last sign of life
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'zip', 'csv')", name="kind"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )
