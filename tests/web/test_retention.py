"""Retention: `flask purge --older-than 180d` lists the candidates whose process ended before
then and erases them only with --apply; finished export files go after their 24 hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Candidate, Decision, Position, utcnow
from assessment.privacy.erasure import erase_candidate
from assessment.privacy.retention import PeriodError, parse_period
from assessment.scorecard.job_files import file_bytes
from assessment.scorecard.job_model import ExportFile, ExportJob

LONG_AGO = timedelta(days=200)


def decide(candidate, user, decision: str, ago: timedelta) -> None:
    with write_transaction() as session:
        session.add(
            Decision(
                candidate_id=candidate.id,
                decided_by_id=user.id,
                decision=decision,
                rationale="why",
                created_at=utcnow() - ago,
            )
        )


def set_values(model, row_id: int, **values) -> None:
    with write_transaction() as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


@pytest.fixture
def people(users, make_position, make_candidate):
    """Who is due after 180 days, and who is not."""
    hr = users["hr"]
    open_position, closed_position = make_position(), make_position(title="Closed long ago")
    set_values(Position, closed_position.id, archived=True, closed_at=utcnow() - LONG_AGO)
    made = {name: make_candidate(open_position, name=name) for name in (
        "withdrew long ago", "declined long ago", "declined then advanced", "withdrew lately",
        "on hold long ago", "erased already",
    )}  # fmt: skip
    made["position closed"] = make_candidate(closed_position, name="position closed")
    set_values(Candidate, made["withdrew long ago"].id, withdrawn_at=utcnow() - LONG_AGO)
    set_values(Candidate, made["withdrew lately"].id, withdrawn_at=utcnow() - timedelta(days=10))
    decide(made["declined long ago"], hr, "decline", LONG_AGO)
    decide(made["declined then advanced"], hr, "decline", LONG_AGO)
    decide(made["declined then advanced"], hr, "advance", timedelta(days=20))
    decide(made["on hold long ago"], hr, "hold", timedelta(days=300))
    set_values(Candidate, made["erased already"].id, withdrawn_at=utcnow() - LONG_AGO)
    erase_candidate(made["erased already"].id, None, "request")
    return {name: candidate.id for name, candidate in made.items()}


def erased_ids() -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(Candidate.id).where(Candidate.erased_at.is_not(None))))


def test_purge_lists_first_and_erases_only_with_apply(runner, people):
    due = {people[n] for n in ("withdrew long ago", "declined long ago", "position closed")}
    listed = runner.invoke(args=["purge", "--older-than", "180d"])
    assert listed.exit_code == 0, listed.output
    for cid in due:
        assert f"candidate {cid}  " in listed.output
    assert "3 candidate(s)" in listed.output and "Nothing erased" in listed.output
    assert "withdrew long ago" not in listed.output  # codes only: cron mails and logs
    assert erased_ids() == {people["erased already"]}
    applied = runner.invoke(args=["purge", "--older-than", "180d", "--apply"])
    assert applied.exit_code == 0 and "Erased 3 candidate(s)" in applied.output
    assert erased_ids() == due | {people["erased already"]}
    again = runner.invoke(args=["purge", "--older-than", "180d", "--apply"])
    assert "0 candidate(s)" in again.output


def test_the_period_is_a_setting_and_is_checked(app, runner, people, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 365)
    listed = runner.invoke(args=["purge"])
    assert listed.exit_code == 0 and "0 candidate(s)" in listed.output
    assert parse_period("26w") == timedelta(weeks=26) == parse_period("182 days")
    with pytest.raises(PeriodError):
        parse_period("six months")
    bad = runner.invoke(args=["purge", "--older-than", "soon"])
    assert bad.exit_code == 2 and "180d" in bad.output


def test_export_files_go_after_their_24_hours(app, runner, users, make_position):
    position = make_position()
    jobs = {}
    for name, age in (("old", 25), ("fresh", 1)):
        with write_transaction() as session:
            job = ExportJob(
                position_id=position.id, kind="csv", status="done", created_by_id=users["hr"].id
            )
            session.add(job)
            session.flush()
            job.file_name, job.finished_at = f"{job.id}.csv", utcnow() - timedelta(hours=age)
            session.add(ExportFile(job_id=job.id, data=name.encode(), size=len(name)))
        jobs[name] = job.id
    old = db.session.get(ExportJob, jobs["old"])
    assert file_bytes(old) is None  # never served past its time, even before the purge
    assert file_bytes(db.session.get(ExportJob, jobs["fresh"])) == b"fresh"
    listed = runner.invoke(args=["purge"])
    assert "1 finished export file(s)" in listed.output
    assert stored_files() == {jobs["old"], jobs["fresh"]}
    runner.invoke(args=["purge", "--apply"])
    assert stored_files() == {jobs["fresh"]}


def stored_files() -> set[int]:
    db.session.remove()
    return set(db.session.scalars(db.select(ExportFile.job_id)))
