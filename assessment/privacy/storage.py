"""After an erasure: no old copy of the erased rows left in the database's files.

SQLite zeroes freed content (secure_delete, set on every connection in database.py), but
the write-ahead log still holds the pages as they were until a checkpoint, so the log is
checkpointed and truncated. PostgreSQL keeps old row versions until VACUUM; the touched
tables are vacuumed. (Backups keep what they held until they expire: README, "Privacy".)
"""

from __future__ import annotations

import logging

from ..extensions import db

log = logging.getLogger(__name__)

# The tables an erasure rewrites (parts.PARTS).
TOUCHED = ("candidate", "candidate_term", "rating", "decision", "self_assessment", "audit_log")
CHECKPOINT_WAIT_MS = 2000
BUSY_TIMEOUT_MS = 5000  # as database.configure_sqlite sets it


def scrub_freed_space() -> bool:
    """True when no old copy is left in the log (PostgreSQL: once vacuumed)."""
    if db.session().in_transaction():  # nothing of ours may hold a snapshot of old rows
        db.session.commit()
    if db.engine.dialect.name == "sqlite":
        return _checkpoint_sqlite()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in TOUCHED:
                conn.exec_driver_sql(f'VACUUM "{table}"')
        return True
    return False


def _checkpoint_sqlite() -> bool:
    """Checkpoint and truncate the log; a reader in another connection holds it off for
    at most CHECKPOINT_WAIT_MS (SQLite waits for it through the busy handler)."""
    raw = db.engine.raw_connection()
    connection = raw.driver_connection
    try:
        connection.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        raw.close()
    if busy:
        log.warning(
            "a reader held the write-ahead log: erased data leaves it at the next checkpoint"
        )
    return not busy
