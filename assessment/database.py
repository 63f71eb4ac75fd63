"""Engine set-up (SQLite pragmas, BEGIN IMMEDIATE; on PostgreSQL reads without a
transaction and pooled connections pinged when in doubt), write transactions and upserts."""

from __future__ import annotations

import fcntl
import functools
import re
import select
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import event, exc
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
            # Erased or overwritten content is zeroed, not left in free space (some builds
            # default to off): an erased candidate leaves no trace in the file.
            "secure_delete=ON",
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
    if not event.contains(db.session, "after_begin", _read_without_transaction):
        event.listen(db.session, "after_begin", _read_without_transaction)  # one db, many apps
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
            if app.config.get("AUTO_MIGRATE"):
                migrate_embedded(app)
        elif db.engine.dialect.name == "postgresql":
            ping_when_in_doubt(db.engine)
            transaction_before_writes(db.engine)


# A pooled connection idle for longer than this is pinged before use (a firewall or the
# server may have dropped it without a word).
PING_AFTER_IDLE = 60.0  # seconds


def ping_when_in_doubt(engine) -> None:
    """Ping a pooled connection before handing it out only when it sat idle for long or
    its socket has something to say while idle (the server's goodbye on a restart or a
    terminated backend). pool_pre_ping pinged every checkout: one round trip per request.

    A dead connection is replaced before the request sees it (DisconnectionError makes the
    pool try another); one that dies silently while busy fails its request, and SQLAlchemy
    then discards every connection of the pool made before that failure."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None:  # a new connection
            return
        if time.monotonic() - idle_since < PING_AFTER_IDLE and not _has_news(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"pooled connection is gone: {error}") from error


def _has_news(dbapi_connection) -> bool:
    """True when an idle connection's socket can be read: the server sent something
    unasked, most likely that it is closing the connection."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no socket to look at, or closed
        return True


# --- reads outside a transaction (PostgreSQL) -------------------------------------------
#
# Outside write_transaction the app's session only reads. On PostgreSQL those reads run in
# autocommit: under READ COMMITTED each statement sees its own snapshot anyway, so nothing
# changes for them, but a request saves the BEGIN and the COMMIT or ROLLBACK (two round
# trips), and psycopg keeps its prepared statements, which it forgets on every ROLLBACK
# (PostgreSQL would parse and plan the same statements again on the next request). The
# first statement that may write or lock (anything but a plain SELECT) turns the
# transaction back on before it is sent, so a stray write outside write_transaction is
# still rolled back at the end of its request, as before.

READING = "reads_without_transaction"  # in the pooled connection's info while it does
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)


def _read_without_transaction(_session: Session, _transaction, connection) -> None:
    """after_begin of the app's session: autocommit on PostgreSQL, but not for a write unit
    (write_transaction asks for its connection with the sqlite_immediate option) nor for a
    connection asked for with its own isolation level or a server-side cursor."""
    if connection.dialect.name != "postgresql":
        return
    options = connection.get_execution_options()
    if options.get("sqlite_immediate") or options.get("stream_results"):
        return
    if "isolation_level" in options:
        return
    connection.connection.dbapi_connection.autocommit = True  # nothing sent yet: no BEGIN
    connection.info[READING] = True


def _plain_read(statement: str) -> bool:
    """A SELECT that takes no row locks (our statements name no column FOR)."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return False
    return not _LOCKING.search(statement)


def transaction_before_writes(engine) -> None:
    """Turn the transaction back on before a statement that may write or lock, and off the
    autocommit of reads when a connection goes back to the pool."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, _cursor, statement, _parameters, _context, _executemany):
        if conn.info.get(READING) and not _plain_read(statement):
            conn.info[READING] = False
            conn.connection.dbapi_connection.autocommit = False  # BEGIN goes before it

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if record.info.pop(READING, None) is not None and dbapi_connection is not None:
            dbapi_connection.autocommit = False


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


@functools.cache
def upsert_statement(
    table, dialect: str, keys: tuple[str, ...], update: tuple[str, ...] | None = None,
    newer_than: str | None = None,
):  # fmt: skip
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update… (None: every other column) for
    SQLite or PostgreSQL, built once: building it costs more than running it for one row.

    With `newer_than` (a column name), an existing row is only updated when the incoming
    value of that column is at least the stored one: a late retry never undoes a newer edit.
    """
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    if update is None:
        update = tuple(c.name for c in table.columns if c.name not in keys)
    where = None if newer_than is None else table.c[newer_than] <= insert.excluded[newer_than]
    changes = {name: insert.excluded[name] for name in update}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=changes, where=where)


def upsert(
    model,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Sequence[str],
    newer_than: str | None = None,
):
    """One row through upsert_statement; the result returns the row's id when it was
    written, and no row when `newer_than` kept the stored one."""
    dialect = db.session.get_bind().dialect.name
    stmt = upsert_statement(model.__table__, dialect, tuple(keys), tuple(update), newer_than)
    return db.session.execute(stmt.returning(model.id), dict(values))
