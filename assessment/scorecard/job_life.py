"""Whether an export's runner still lives: a heartbeat, the sweep of lost jobs, cancel,
and the estimate of the time left.

A runner (a thread of a web process, or an RQ worker) writes the job's heartbeat every
few seconds from a thread of its own. A running job whose heartbeat is older than
EXPORT_HEARTBEAT_TIMEOUT (45 s) has lost its runner: killed, crashed, or its host gone.
Whoever looks first (the job's page, the next export, another runner's heartbeat) marks it
failed, so its owner can start another at once. The render processes of a killed runner
end by themselves (batch.py: they exit when their parent does).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import or_, update

from assessment.audit import record_audit
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import utcnow

from .job_model import ExportJob

ACTIVE = ("queued", "running")
HEARTBEAT_EVERY = 5.0  # seconds; EXPORT_HEARTBEAT_EVERY
HEARTBEAT_TIMEOUT = 45.0  # seconds without a beat: the runner is gone; EXPORT_HEARTBEAT_TIMEOUT
QUEUED_TIMEOUT = timedelta(minutes=15)  # no runner took it: no worker is running
LOST = "The export stopped: the process running it ended before it finished. Start a new one."
NOT_TAKEN = "No worker took this export in 15 minutes. Start a new one, or ask an operator."

log = logging.getLogger(__name__)


def _timeout(app: Flask | None = None) -> timedelta:
    app = app or current_app
    return timedelta(seconds=app.config.get("EXPORT_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT))


def is_stale(job: ExportJob, now: datetime | None = None) -> bool:
    """Active, but its runner has gone quiet (or none ever took it)."""
    now = now or utcnow()
    if job.status == "running":
        return now - (job.heartbeat_at or job.updated_at) > _timeout()
    return job.status == "queued" and now - job.created_at > QUEUED_TIMEOUT


def mark_lost_exports() -> int:
    """Mark failed every active job whose runner is gone; returns how many."""
    now = utcnow()
    silent = now - _timeout()
    marked = 0
    with write_transaction() as session:
        for condition, why in (
            (
                (ExportJob.status == "running")
                & or_(
                    ExportJob.heartbeat_at < silent,
                    ExportJob.heartbeat_at.is_(None) & (ExportJob.updated_at < silent),
                ),
                LOST,
            ),
            (
                (ExportJob.status == "queued") & (ExportJob.created_at < now - QUEUED_TIMEOUT),
                NOT_TAKEN,
            ),
        ):
            marked += session.execute(
                update(ExportJob)
                .where(condition)
                .values(status="failed", error=why, finished_at=now, updated_at=now)
            ).rowcount
    if marked:
        log.warning("marked %d export(s) failed: their runner stopped", marked)
    return marked


def cancel_export(job_id: int, user) -> bool:
    """Stop a queued or running export of the user's; False when it had already ended.
    The runner sees it at its next heartbeat and stops rendering."""
    now = utcnow()
    with write_transaction() as session:
        cancelled = session.execute(
            update(ExportJob)
            .where(
                ExportJob.id == job_id,
                ExportJob.created_by_id == user.id,
                ExportJob.status.in_(ACTIVE),
            )
            .values(status="cancelled", finished_at=now, updated_at=now)
        ).rowcount
        if cancelled:
            record_audit("export.cancel", "export_job", job_id, user)
    return bool(cancelled)


def seconds_left(job: ExportJob, now: datetime | None = None) -> float | None:
    """From the pace so far (done since started_at); None until the first progress."""
    if job.status != "running" or not job.started_at or job.done <= 0:
        return None
    elapsed = ((now or utcnow()) - job.started_at).total_seconds()
    return max(0.0, elapsed / job.done * (job.total - job.done))


def time_left_text(seconds: float | None) -> str:
    if seconds is None:
        return "Estimating the time left…"
    if seconds < 10:
        return "Almost done."
    if seconds < 60:
        return f"About {int(round(seconds, -1))} seconds left."
    minutes = round(seconds / 60)
    return f"About {minutes} minute{'' if minutes == 1 else 's'} left."


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class Cancelled(Exception):
    """The job was cancelled (or marked lost) while it ran."""


class Heartbeat:
    """A daemon thread that beats for one running job until stopped; `stopped` is set when
    the job is no longer running in the database (cancelled, or marked lost)."""

    def __init__(self, app: Flask, job_id: int):
        self.app, self.job_id = app, job_id
        # Several beats per timeout, so one late beat never looks like a death.
        timeout = _timeout(app).total_seconds()
        self.every = app.config.get("EXPORT_HEARTBEAT_EVERY", min(HEARTBEAT_EVERY, timeout / 4))
        self.stopped = threading.Event()  # the job must stop
        self._done = threading.Event()  # the runner finished: stop beating
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join(self.every + 5)

    def _loop(self) -> None:
        with self.app.app_context():
            try:
                while not self._done.wait(self.every):
                    if not self.beat():
                        self.stopped.set()
                        return
            finally:
                db.session.remove()

    def beat(self) -> bool:
        """One beat; False when the job is no longer running. Also sweeps lost jobs."""
        try:
            with write_transaction() as session:
                alive = session.execute(
                    update(ExportJob)
                    .where(ExportJob.id == self.job_id, ExportJob.status == "running")
                    .values(heartbeat_at=utcnow())
                ).rowcount
            mark_lost_exports()
        except Exception:  # noqa: BLE001 - a missed beat is not the end; the next one counts
            log.exception("export %s: heartbeat failed", self.job_id)
            return True
        return bool(alive)
