"""Background exports: an RQ job when REDIS_URL is set, else a thread; progress in the database.

A runner claims the job, beats a heartbeat while it renders (job_life.py), stops when the job
is cancelled, and stores the finished file in the database (job_files.py), so any host
serves the download and nothing is lost with the runner's disk.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, update

from assessment.audit import record_audit
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import utcnow

from .export import KINDS, candidate_ids_for, export_scorecards
from .files import PAPERS
from .job_files import clear_scratch, purge_old_exports, scratch_dir, store_file
from .job_life import ACTIVE, Cancelled, Heartbeat, mark_lost_exports, runner_name
from .job_model import ExportJob
from .viewers import ExportError

QUEUE = "exports"
HOURLY_LIMIT = 20  # exports per person per hour (HARDENING §5.2); EXPORT_HOURLY_LIMIT
PROGRESS_EVERY = 0.5  # seconds between progress writes

log = logging.getLogger(__name__)


class ExportRefused(Exception):
    """Too many exports; `status` is the HTTP status that fits (429)."""

    status = 429


class ExportBusy(Exception):
    """The person already has an export under way: `job` is it."""

    def __init__(self, job: ExportJob):
        super().__init__("You already have an export under way; it is shown below.")
        self.job = job


def get_export(job_id: int) -> ExportJob | None:
    return db.session.get(ExportJob, job_id)


def recent_exports(position_id: int, user, limit: int = 10) -> list[ExportJob]:
    query = (
        db.select(ExportJob)
        .where(ExportJob.position_id == position_id, ExportJob.created_by_id == user.id)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def start_export(
    position_id: int, kind: str, candidate_ids: list[int] | None, paper: str, user
) -> ExportJob:
    """Record the export and hand it to a runner. ExportError, ExportBusy or ExportRefused."""
    if kind not in KINDS or paper not in PAPERS:
        raise ExportError("Choose a format (PDF, ZIP or CSV) and a paper size (A4 or Letter).")
    ids = candidate_ids_for(position_id, candidate_ids)  # ExportError for strangers
    if not ids:
        raise ExportError("This position has no candidates to export yet.")
    mark_lost_exports()  # a dead runner's job must not keep its owner waiting
    with write_transaction() as session:
        _check_quota(session, user)
        job = ExportJob(
            position_id=position_id,
            kind=kind,
            paper=paper,
            candidate_ids=None if candidate_ids is None else ids,
            total=len(ids),
            created_by_id=user.id,
        )
        session.add(job)
        session.flush()
        new = {"kind": kind, "paper": paper, "candidates": len(ids), "selected": job.candidate_ids}
        record_audit("export.start", "export_job", job.id, user, new=new)
    _enqueue(job.id, len(ids))
    return job


def _check_quota(session, user) -> None:
    busy = session.scalar(
        db.select(ExportJob)
        .where(ExportJob.created_by_id == user.id, ExportJob.status.in_(ACTIVE))
        .limit(1)
    )
    if busy is not None:
        raise ExportBusy(busy)
    hour_ago = utcnow() - timedelta(hours=1)
    made = session.scalar(
        db.select(func.count(ExportJob.id)).where(
            ExportJob.created_by_id == user.id, ExportJob.created_at > hour_ago
        )
    )
    if made >= current_app.config.get("EXPORT_HOURLY_LIMIT", HOURLY_LIMIT):
        raise ExportRefused("You have made many exports in the last hour; try again later.")


def _enqueue(job_id: int, total: int) -> None:
    url = current_app.config.get("REDIS_URL")
    try:
        if url:
            _enqueue_rq(url, job_id, total)
        else:
            app = current_app._get_current_object()
            name = f"export-{job_id}"
            threading.Thread(
                target=_run_in_thread, args=(app, job_id), name=name, daemon=True
            ).start()
    except Exception as error:  # noqa: BLE001 - the job row says what went wrong
        log.exception("could not start export %s", job_id)
        _finish(
            job_id, "failed", error=f"The export could not be started ({type(error).__name__})."
        )


def _enqueue_rq(url: str, job_id: int, total: int) -> None:
    from redis import Redis
    from rq import Queue

    queue = Queue(QUEUE, connection=Redis.from_url(url))
    queue.enqueue(
        run_export_job,
        job_id,
        job_id=f"export-{job_id}",
        # RQ's default is 180 s; a big position needs more (HARDENING §1.5).
        job_timeout=120 + 3 * total,
        result_ttl=0,  # the result lives in our table, not in Redis
        failure_ttl=7 * 24 * 3600,
    )


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_export_job(job_id)
        finally:
            db.session.remove()


def run_export_job(job_id: int) -> None:
    """The job, for RQ and the thread alike (worker.in_app gives it an app when needed)."""
    from assessment.worker import in_app

    in_app(_run, job_id)


def _claim(job_id: int) -> ExportJob | None:
    """queued → running, once: a second runner of the same job finds nothing to do."""
    now = utcnow()
    with write_transaction() as session:
        claimed = session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == "queued")
            .values(
                status="running",
                updated_at=now,
                started_at=now,
                heartbeat_at=now,
                runner=runner_name(),
            )  # fmt: skip
        ).rowcount
    return db.session.get(ExportJob, job_id) if claimed else None


def _run(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return
    out = scratch_dir() / f"{job.id}.{job.kind}"
    out.parent.mkdir(parents=True, exist_ok=True)
    app = current_app._get_current_object()
    try:
        with Heartbeat(app, job.id) as heartbeat:
            _render(job, out, heartbeat)
    except Cancelled:
        log.info("export %s stopped: cancelled or lost", job_id)
    except ExportError as error:
        _finish(job_id, "failed", error=str(error))
    except Exception:  # noqa: BLE001 - logged; the page says it failed
        log.exception("export %s failed", job_id)
        _finish(job_id, "failed", error="The export failed. The error has been logged.")
    finally:
        clear_scratch(out)
    try:
        purge_old_exports()
    except Exception:  # noqa: BLE001 - tidying up must not fail the export
        log.exception("could not delete old export files")


def _render(job: ExportJob, out, heartbeat: Heartbeat) -> None:
    if job.created_by_id is None:
        raise ExportError("This export has no owner, so nobody may receive it.")
    result = export_scorecards(
        job.position_id,
        job.kind,
        out,
        candidate_ids=job.candidate_ids,
        viewer_id=job.created_by_id,
        paper=job.paper,
        progress=ProgressWriter(job.id, heartbeat),
        workers=current_app.config.get("EXPORT_WORKERS"),
    )
    if heartbeat.stopped.is_set():
        raise Cancelled()
    total = result.exported + result.skipped
    now = utcnow()
    with write_transaction() as session:
        finished = session.execute(
            update(ExportJob)
            .where(ExportJob.id == job.id, ExportJob.status == "running")
            .values(
                status="done",
                file_name=out.name,
                done=total,
                skipped=result.skipped,
                updated_at=now,
                finished_at=now,
            )  # fmt: skip
        ).rowcount
        if finished:  # else cancelled at the last moment: keep nothing
            store_file(session, job.id, out)


def _finish(job_id: int, status: str, **values) -> None:
    """End an active job (never one already cancelled or ended)."""
    now = utcnow()
    with write_transaction() as session:
        session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status.in_(ACTIVE))
            .values(status=status, updated_at=now, finished_at=now, **values)
        )


class ProgressWriter:
    """Writes done/total to the job's row, at most every PROGRESS_EVERY seconds; raises
    Cancelled once the heartbeat found the job cancelled, which stops the batch."""

    def __init__(self, job_id: int, heartbeat: Heartbeat | None = None):
        self.job_id = job_id
        self.heartbeat = heartbeat
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self.heartbeat is not None and self.heartbeat.stopped.is_set():
            raise Cancelled()
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        with write_transaction() as session:
            session.execute(
                update(ExportJob)
                .where(ExportJob.id == self.job_id, ExportJob.status == "running")
                .values(done=done, total=total, updated_at=utcnow())
            )
