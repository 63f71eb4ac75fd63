"""Engine set-up (SQLite pragmas, BEGIN IMMEDIATE), write transactions and upserts."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .extensions import db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def configure_sqlite(engine) -> None:
    """WAL, a busy timeout, enforced foreign keys, and BEGIN IMMEDIATE for write units.

    The sqlite3 driver otherwise sends no BEGIN before a SELECT, so a read-then-write runs
    as two transactions; and a deferred transaction that read first fails with "database
    is locked" however long the timeout (SQLAlchemy's SQLite dialect docs give this recipe).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=5000",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            # Reads: a 32 MB page cache per connection (default 2 MB) and memory-mapped I/O,
            # so lists over thousands of summary rows stay in memory between requests.
            "cache_size=-32000",
            "mmap_size=268435456",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def init_database(app: Flask) -> None:
    """Bind engine listeners and, for embedded SQLite, create or upgrade the schema."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
            if app.config.get("AUTO_MIGRATE"):
                migrate_embedded(app)


def migrate_embedded(app: Flask) -> None:
    """Upgrade the SQLite database to the newest revision, one process at a time."""
    lock_path = Path(app.instance_path) / "migrate.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not schema_is_current():
            upgrade(directory=MIGRATIONS_DIR)


def schema_is_current() -> bool:
    """True when the database is at the newest revision (so start-up stays quiet and fast)."""
    config = current_app.extensions["migrate"].migrate.get_config(MIGRATIONS_DIR)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads


@contextmanager
def write_transaction(session: Session | None = None) -> Iterator[Session]:
    """One unit of work that writes: BEGIN IMMEDIATE on SQLite, commit or roll back.

    Services open it before their first read, so the reads and the writes share one
    transaction and SQLite takes the write lock up front instead of failing halfway.
    """
    if session is None:  # default: the request's Session behind the scoped proxy
        session = db.session()
    if session.in_transaction():
        # A read earlier in the request opened a deferred transaction; end it so the
        # write unit starts with BEGIN IMMEDIATE.
        session.commit()
    session.connection(execution_options={"sqlite_immediate": True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def upsert(
    model,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Sequence[str],
    newer_than: str | None = None,
):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update…, for SQLite and PostgreSQL.

    With `newer_than` (a column name), an existing row is only updated when the incoming
    value of that column is at least the stored one: a late retry never undoes a newer edit.
    The result returns the row's id when it was written, and no row when it was not.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(model).values(**values)
    where = None
    if newer_than is not None:
        where = getattr(model, newer_than) <= stmt.excluded[newer_than]
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: stmt.excluded[name] for name in update},
        where=where,
    )
    return db.session.execute(stmt.returning(model.id))
