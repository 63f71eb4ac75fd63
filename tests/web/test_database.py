"""Persistence: SQLite settings, write transactions under concurrency, upserts, migrations."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, text
from sqlalchemy.orm import Session

from assessment.database import upsert, write_transaction
from assessment.extensions import db
from assessment.models import Rating, User, utcnow


def test_sqlite_runs_in_wal_with_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -32000


def test_migrations_match_the_models(app):
    """A model change without its migration fails here, on SQLite and PostgreSQL."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_concurrent_read_modify_write_loses_nothing(app, make_user):
    """8 threads × 25 read-then-write increments: no lock error, no lost update."""
    user_id = make_user("manager").id  # read once: the threads must not touch our session
    errors: list[Exception] = []

    def work():
        with app.app_context(), Session(db.engine) as own:
            for _ in range(25):
                try:
                    with write_transaction(own) as session:
                        row = session.get(
                            User, user_id, populate_existing=True, with_for_update=True
                        )
                        row.session_version = row.session_version + 1
                except Exception as error:  # noqa: BLE001 - counted and asserted below
                    errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # end the test's own read snapshot
    assert errors == []
    assert db.session.get(User, user_id).session_version == 1 + 8 * 25


def test_upsert_by_interview_and_question_keeps_one_row(app, make_candidate, make_user):
    from assessment.models import Interview

    candidate = make_candidate()
    interviewer = make_user("manager")
    with write_transaction() as session:
        interview = Interview(
            candidate_id=candidate.id, interviewer_id=interviewer.id, bank_version="x", items=[]
        )
        session.add(interview)
    for value, notes in ((3, "first"), (4, "second"), (4, "second")):
        with write_transaction():
            upsert(
                Rating,
                {
                    "interview_id": interview.id,
                    "question_id": "lead-beh-1",
                    "value": value,
                    "notes": notes,
                    "not_covered": False,
                    "updated_at": utcnow(),
                },
                keys=("interview_id", "question_id"),
                update=("value", "notes", "not_covered", "updated_at"),
            )
    rows = db.session.scalars(db.select(Rating)).all()
    assert [(r.value, r.notes) for r in rows] == [(4, "second")]


def test_a_failed_write_rolls_back_entirely(app, make_user):
    with pytest.raises(RuntimeError), write_transaction() as session:
        session.add(User(email="half@example.com", name="Half", role="hr", password_hash="x"))
        session.flush()
        raise RuntimeError("boom")
    assert db.session.scalar(db.select(func.count(User.id))) == 0


def test_role_is_constrained_by_the_database(app):
    with pytest.raises(Exception), write_transaction() as session:  # noqa: B017
        session.execute(
            text(
                'INSERT INTO "user" (email, name, role, password_hash, session_version, active,'
                " created_at) VALUES ('r@x', 'r', 'root', 'x', 1, true, CURRENT_TIMESTAMP)"
            )
        )
