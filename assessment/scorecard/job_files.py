"""Finished export files live in the database (export_file), so any host serves them; the
rendering itself works in a scratch folder of the host that runs it."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import delete, update

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import utcnow

from .job_model import ExportFile, ExportJob

KEEP_HOURS = 24  # finished files hold personal data: deleted after this; EXPORT_KEEP_HOURS


def scratch_dir(app: Flask | None = None) -> Path:
    """Where this host renders (EXPORT_DIR, else instance/exports); nothing stays there."""
    app = app or current_app
    return Path(app.config.get("EXPORT_DIR") or Path(app.instance_path) / "exports")


def store_file(session, job_id: int, path: Path) -> None:
    """The finished file into the caller's transaction, then off this host's disk."""
    data = path.read_bytes()
    session.add(ExportFile(job_id=job_id, data=data, size=len(data)))


def clear_scratch(path: Path) -> None:
    path.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.name + ".parts"), ignore_errors=True)


def file_size(job: ExportJob) -> int | None:
    """The size of a done job's file, or None when it has none (never read the bytes)."""
    if job.status != "done":
        return None
    return db.session.scalar(db.select(ExportFile.size).where(ExportFile.job_id == job.id))


def file_bytes(job: ExportJob) -> bytes | None:
    if job.status != "done":
        return None
    return db.session.scalar(db.select(ExportFile.data).where(ExportFile.job_id == job.id))


def purge_old_exports() -> int:
    """Delete the files of exports finished more than EXPORT_KEEP_HOURS ago."""
    hours = current_app.config.get("EXPORT_KEEP_HOURS", KEEP_HOURS)
    cutoff = utcnow() - timedelta(hours=hours)
    with write_transaction() as session:
        select_old = db.select(ExportJob.id).where(
            ExportJob.file_name.is_not(None), ExportJob.finished_at < cutoff
        )
        old = list(session.scalars(select_old))
        if old:
            session.execute(delete(ExportFile).where(ExportFile.job_id.in_(old)))
            session.execute(update(ExportJob).where(ExportJob.id.in_(old)).values(file_name=None))
    return len(old)
