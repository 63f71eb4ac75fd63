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


def _keep_cutoff():
    """Files of exports finished before this are past their time (EXPORT_KEEP_HOURS)."""
    return utcnow() - timedelta(hours=current_app.config.get("EXPORT_KEEP_HOURS", KEEP_HOURS))


def _servable(job: ExportJob) -> bool:
    """Done and within its time: a file past it is never served, even before the purge."""
    too_old = job.finished_at is not None and job.finished_at < _keep_cutoff()
    return job.status == "done" and not too_old


def file_size(job: ExportJob) -> int | None:
    """The size of a done job's file, or None when it has none (never read the bytes)."""
    if not _servable(job):
        return None
    return db.session.scalar(db.select(ExportFile.size).where(ExportFile.job_id == job.id))


def file_bytes(job: ExportJob) -> bytes | None:
    if not _servable(job):
        return None
    return db.session.scalar(db.select(ExportFile.data).where(ExportFile.job_id == job.id))


def _expired():
    return db.select(ExportJob).where(
        ExportJob.file_name.is_not(None), ExportJob.finished_at < _keep_cutoff()
    )


def expired_exports() -> list[ExportJob]:
    """Finished exports whose files are past their time (`flask purge` deletes them)."""
    return list(db.session.scalars(_expired()))


def purge_old_exports() -> int:
    """Delete the files of exports finished more than EXPORT_KEEP_HOURS ago."""
    with write_transaction() as session:
        old = [job.id for job in session.scalars(_expired())]
        if old:
            session.execute(delete(ExportFile).where(ExportFile.job_id.in_(old)))
            session.execute(update(ExportJob).where(ExportJob.id.in_(old)).values(file_name=None))
    return len(old)
