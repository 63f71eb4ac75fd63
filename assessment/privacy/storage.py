"""After an erasure: no old copy of the erased rows left in the database's files.

SQLite zeroes freed content (secure_delete, set on every connection in database.py), but
the write-ahead log still holds the pages as they were until a checkpoint, so the log is
checkpointed and truncated. PostgreSQL keeps old row versions until VACUUM; the touched
tables are vacuumed. (Backups keep what they held until they expire: README, "Privacy".)
"""

from __future__ import annotations

import logging
import time

from ..extensions import db

log = logging.getLogger(__name__)

# The tables an erasure rewrites (parts.PARTS).
TOUCHED = ("candidate", "candidate_term", "rating", "decision", "self_assessment", "audit_log")
CHECKPOINT_TRIES = 20  # a reader in another connection can hold it off for a moment
CHECKPOINT_PAUSE = 0.1  # seconds


def scrub_freed_space() -> bool:
    """True when no old copy is left in the log (PostgreSQL: once vacuumed)."""
    db.session.remove()  # nothing of ours holds a snapshot open
    if db.engine.dialect.name == "sqlite":
        return _checkpoint_sqlite()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in TOUCHED:
                conn.exec_driver_sql(f'VACUUM "{table}"')
        return True
    return False


def _checkpoint_sqlite() -> bool:
    raw = db.engine.raw_connection()
    try:
        for _ in range(CHECKPOINT_TRIES):
            busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            time.sleep(CHECKPOINT_PAUSE)
    finally:
        raw.close()
    log.warning("the write-ahead log stays busy: erased data leaves it at the next checkpoint")
    return False
