"""Exports that outlive their runner: the heartbeat, lost jobs, cancel, the time left, and
the question before exporting every candidate."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from assessment.extensions import db
from assessment.models import Candidate, utcnow
from assessment.scorecard.job_life import (
    LOST,
    Heartbeat,
    mark_lost_exports,
    seconds_left,
    time_left_text,
)
from assessment.scorecard.job_model import ExportFile, ExportJob
from tests.conftest import csrf_token
from tests.web.helpers import audits, wait_done
from tests.web.test_exports import add_job, start

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture(scope="module", autouse=True)
def _close_render_pool():
    yield
    from assessment.scorecard import batch

    batch.close_pool()  # the warm worker processes, if a test started them


@pytest.fixture
def position_of(make_position, make_candidate):
    def make(count: int):
        position = make_position()
        for n in range(count):
            make_candidate(position, name=f"Person {n:02d}")
        return position

    return make


def test_exporting_everyone_asks_first_naming_how_many(client, login, users, position_of):
    position = position_of(4)
    login(users["hr"])
    page = start(client, position, "pdf", confirm_all=False)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Export all 4 candidates?" in text
    assert 'name="confirm_all" value="y"' in text and "Go back" in text
    assert db.session.scalar(db.select(db.func.count(ExportJob.id))) == 0
    confirmed = start(client, position, "csv")  # the confirmation page's button
    assert confirmed.status_code == 303
    assert wait_done(client, confirmed.headers["Location"])["status"] == "done"
    one = db.session.scalars(db.select(Candidate.id)).first()
    picked = start(client, position, "csv", picks=[one], confirm_all=False)  # ticked: no question
    assert picked.status_code == 303
    assert wait_done(client, picked.headers["Location"])["done"] == 1


def test_a_job_whose_runner_died_is_failed_and_its_owner_starts_another(
    app, client, login, users, position_of
):
    position = position_of(2)
    silent = utcnow() - timedelta(seconds=app.config.get("EXPORT_HEARTBEAT_TIMEOUT", 45) + 5)
    dead = add_job(position, users["hr"], kind="pdf", status="running", heartbeat_at=silent)
    alive = add_job(position, users["admin"], kind="pdf", status="running", heartbeat_at=utcnow())
    login(users["hr"])
    url = f"/positions/{position.id}/exports/{dead.id}"
    state = client.get(url, headers=FETCH).get_json()
    assert state["status"] == "failed" and state["error"] == LOST
    assert "process running it ended" in client.get(url).get_data(as_text=True)
    assert db.session.get(ExportJob, alive.id).status == "running"  # its heartbeat is fresh
    again = start(client, position, "csv")
    assert again.status_code == 303 and not again.headers["Location"].endswith(f"/{dead.id}")
    assert wait_done(client, again.headers["Location"])["status"] == "done"


def test_the_sweep_leaves_live_and_finished_jobs_alone(app, users, position_of):
    position = position_of(1)
    long_ago = utcnow() - timedelta(hours=1)
    fresh = add_job(position, users["hr"], kind="csv", status="running", heartbeat_at=utcnow())
    done = add_job(position, users["hr"], kind="csv", status="done", heartbeat_at=long_ago)
    queued = add_job(position, users["admin"], kind="csv", status="queued")
    assert mark_lost_exports() == 0
    statuses = {j.id: db.session.get(ExportJob, j.id).status for j in (fresh, done, queued)}
    assert statuses == {fresh.id: "running", done.id: "done", queued.id: "queued"}


def test_cancel_stops_the_job_and_frees_its_owner(app, client, login, users, position_of):
    position = position_of(2)
    job = add_job(position, users["hr"], kind="zip", status="running", heartbeat_at=utcnow())
    login(users["hr"])
    url = f"/positions/{position.id}/exports/{job.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Cancel the export" in page and "Estimating the time left" in page
    token = csrf_token(client.get(url))
    response = client.post(url + "/cancel", data={"csrf_token": token})
    assert response.status_code == 303
    assert db.session.get(ExportJob, job.id).status == "cancelled"
    assert [a.entity_id for a in audits("export.cancel")] == [job.id]
    assert "You cancelled this export" in client.get(url).get_data(as_text=True)
    # A runner still holding it learns at its next beat, and stops.
    assert Heartbeat(app, job.id).beat() is False
    again = start(client, position, "csv")
    assert again.status_code == 303  # no wait for the old one
    assert wait_done(client, again.headers["Location"])["status"] == "done"


def test_a_running_export_is_cancelled_for_real(app, client, login, users, position_of):
    """A real export in a thread: cancelled while it renders, it stops and keeps nothing."""
    position = position_of(40)
    app.config.update(EXPORT_HEARTBEAT_EVERY=0.1, EXPORT_WORKERS=1)
    try:
        login(users["hr"])
        url = start(client, position, "pdf").headers["Location"]
        job_id = int(url.rsplit("/", 1)[1])
        deadline = time.monotonic() + 30
        while db.session.get(ExportJob, job_id).status == "queued":
            assert time.monotonic() < deadline, [t.name for t in threading.enumerate()]
            time.sleep(0.02)
            db.session.rollback()  # a fresh snapshot: SQLite keeps a read transaction's
        token = csrf_token(client.get(url))
        client.post(url + "/cancel", data={"csrf_token": token})
        runner = next((t for t in threading.enumerate() if t.name == f"export-{job_id}"), None)
        if runner is not None:
            runner.join(60)
            assert not runner.is_alive()
        db.session.rollback()
        job = db.session.get(ExportJob, job_id)
        assert job.status == "cancelled" and job.done < job.total
        assert db.session.get(ExportFile, job_id) is None
    finally:
        app.config.pop("EXPORT_HEARTBEAT_EVERY")
        app.config.pop("EXPORT_WORKERS")


def test_the_time_left_comes_from_the_pace_so_far(app, users, position_of):
    position = position_of(1)
    now = utcnow()
    job = add_job(position, users["hr"], kind="pdf", status="running", started_at=now)
    job.total, job.done = 20, 0
    assert seconds_left(job, now + timedelta(seconds=10)) is None
    job.done = 5  # 5 in 10 s: 15 more take 30 s
    assert seconds_left(job, now + timedelta(seconds=10)) == pytest.approx(30)
    assert time_left_text(30) == "About 30 seconds left."
    assert time_left_text(150) == "About 2 minutes left."
    assert time_left_text(4) == "Almost done." and "Estimating" in time_left_text(None)
