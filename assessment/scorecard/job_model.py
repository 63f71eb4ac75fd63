"""ExportJob: one batch export of a position's scorecards, its progress and its file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assessment.extensions import db
from assessment.models import utcnow

EXPORT_STATUSES = ("queued", "running", "done", "failed", "cancelled")


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
    file_name: Mapped[str | None] = mapped_column(String(255))  # the download's stored name
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # last change of state
    started_at: Mapped[datetime | None]  # when a runner took it (for the time-left estimate)
    # The runner writes this every few seconds while it lives: a job whose heartbeat is
    # older than a minute has lost its runner (killed worker or web process).
    heartbeat_at: Mapped[datetime | None]
    runner: Mapped[str | None] = mapped_column(String(100))  # "host:pid", for the operator
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'zip', 'csv')", name="kind"),
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status"
        ),
    )


class ExportFile(db.Model):
    """A finished export's bytes, in the database: every host serves the download, whatever
    its disk (kept EXPORT_KEEP_HOURS, then deleted with the row)."""

    __tablename__ = "export_file"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("export_job.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
