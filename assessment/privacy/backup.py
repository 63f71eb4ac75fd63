"""Backups: a consistent copy of the database while the app runs, and putting one back.

SQLite: the online backup API (never a file copy: committed rows may sit in the write-ahead
log, HARDENING §3.6), so the copy is one SQLite file. PostgreSQL: pg_dump's custom format,
restored with pg_restore. A restore goes only into an empty database (no rows in any of
the app's tables), so it can never overwrite live data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, inspect, select

from ..extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be made; the text says why."""


def _dialect() -> str:
    return db.engine.dialect.name


def backup_database(path: Path) -> None:
    """Write a consistent copy of the database to `path` (replaced if it exists)."""
    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}.")
    if _dialect() == "sqlite":
        source = db.engine.raw_connection()
        target = sqlite3.connect(path)
        try:
            source.driver_connection.backup(target)
        finally:
            target.close()
            source.close()
        return
    _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path))


def rows_held() -> dict[str, int]:
    """Rows in each of the app's tables that exist in the database."""
    present = set(inspect(db.engine).get_table_names())
    counts = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in present:
                counts[table.name] = conn.scalar(select(func.count()).select_from(table))
    return counts


def restore_database(path: Path) -> None:
    """Put the backup at `path` into this (empty) database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    held = {name: n for name, n in rows_held().items() if n}
    if held:
        raise BackupError(
            "The database is not empty ("
            + ", ".join(f"{n} rows in {name}" for name, n in sorted(held.items()))
            + "): restore into a new, empty database."
        )
    header = path.read_bytes()[:16]
    db.session.remove()
    db.engine.dispose()  # no pooled connection holds a lock on what is replaced
    if _dialect() == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite backup.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = db.engine.raw_connection()
        try:
            source.backup(target.driver_connection)
        finally:
            target.close()
            source.close()
    else:
        if not header.startswith(PG_HEADER):
            raise BackupError(f"{path} is not a pg_dump backup (custom format).")
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", str(path))  # fmt: skip
    db.engine.dispose()  # pooled connections knew the tables as they were


def _run_pg(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore against the app's database (the password via the
    environment, never on the command line)."""
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    url = db.engine.url
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [program, f"--dbname={target}", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[:500]}")
