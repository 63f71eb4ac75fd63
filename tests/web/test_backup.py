"""Backups: `flask backup FILE` while the app runs (SQLite's online backup, pg_dump on
PostgreSQL), and `flask restore FILE` into an empty database gives back every table."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text

from assessment import create_app
from assessment.auth.account import make_reset_link
from assessment.demo import load_demo
from assessment.extensions import db
from assessment.models import AuditEntry, Candidate, utcnow
from assessment.privacy.erasure import erase_candidate
from assessment.review.services import record_decision
from tests.system import require


def every_table() -> dict[str, list[tuple]]:
    """Every row of every table of the app, in primary-key order."""
    found = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).all()
        found[table.name] = [tuple(row) for row in rows]
    return found


@pytest.fixture
def company(app, users):
    """The demo company, plus a decision, an erased candidate, a reset link: rows in every
    table the app writes."""
    load_demo(seed=7)
    first, second = db.session.scalars(select(Candidate.id).order_by(Candidate.id).limit(2))
    record_decision(first, users["hr"], "hold", "Waiting.", "Because.")
    erase_candidate(second, users["hr"], "request")
    make_reset_link(users["manager"].id, users["admin"])
    db.session.remove()
    held = every_table()
    empty = sorted(name for name, rows in held.items() if not rows)
    # Rows the demo does not make; their tables are copied all the same (test_exports,
    # test_api, test_webhooks, test_login_throttle and test_first_run make them).
    made_elsewhere = {"export_job", "export_file", "api_token", "webhook", "webhook_delivery"}
    made_elsewhere |= {"expert_keying", "adopted_key", "scorecard_pdf"}  # and test_expert_keys
    assert set(empty) <= made_elsewhere | {"login_counter", "setup_secret"}, empty
    return held


def _sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_backup_restores_every_table_into_an_empty_database(
    app, runner, company, tmp_path, app_settings
):
    file = tmp_path / "company.backup"
    made = runner.invoke(args=["backup", str(file)])
    assert made.exit_code == 0, made.output
    refused = runner.invoke(args=["restore", str(file)])  # this database is not empty
    assert refused.exit_code == 1 and "not empty" in refused.output
    if _sqlite(app):
        restored = _restore_into_a_new_sqlite(file, tmp_path, app_settings)
    else:
        require("pg_dump")
        restored = _restore_into_this_emptied_postgres(app, runner, file)
    assert restored == company


def _restore_into_a_new_sqlite(file: Path, tmp_path: Path, app_settings) -> dict:
    overrides = {
        **app_settings["overrides"],
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.db'}",
    }
    other = create_app(overrides, instance_path=str(tmp_path / "instance"))
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["restore", str(file)])
        assert result.exit_code == 0, result.output
        restored = every_table()
        db.session.remove()
        db.engine.dispose()
    return restored


def _restore_into_this_emptied_postgres(app, runner, file: Path) -> dict:
    db.session.remove()
    db.engine.dispose()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:  # a new, empty database: no tables at all
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    result = runner.invoke(args=["restore", str(file)])
    assert result.exit_code == 0, result.output
    return every_table()


def test_sqlite_backup_is_consistent_under_writes(app, runner, users, tmp_path):
    if not _sqlite(app):
        pytest.skip("the online backup API is SQLite's; pg_dump reads one snapshot")
    stop = threading.Event()

    def write() -> None:
        with app.app_context():
            while not stop.is_set():
                with db.engine.begin() as conn:
                    conn.execute(insert(AuditEntry).values(at=utcnow(), action="x", entity="y"))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        file = tmp_path / "busy.backup"
        assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    finally:
        stop.set()
        writer.join()
    copy = sqlite3.connect(file)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ids = [row[0] for row in copy.execute("SELECT id FROM audit_log ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))  # a prefix of the writes: one moment's copy
    copy.close()


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    result = runner.invoke(args=["restore", str(junk)])
    assert result.exit_code == 1 and "not a" in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no file" in missing.output
