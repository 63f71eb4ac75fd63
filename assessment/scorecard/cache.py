"""Rendered scorecard PDFs, kept and keyed by what the card shows: a card that has not changed
is never rendered again.

The key is a hash of the whole scorecard model (every rating, note, answer, weight, score,
flag, name or code in it, and the view of the viewer it was built for: visibility.py), of
the print templates, stylesheet and code (their files' bytes), of WeasyPrint's version and
of the paper. Anything that changes what a card shows changes its key; two viewers share
a PDF only when everything it shows is the same for both. Keys are not secret and give
nothing away: the seal is checked before a key is made, for every request.

The PDFs live in the database (table scorecard_pdf), so every app host and export worker
shares them, bounded by SCORECARD_CACHE_MB (0 turns the cache off): past it, the least
recently used go. Only this module imports the table.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import pickle
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from types import MappingProxyType

from flask import current_app
from sqlalchemy import delete, func, update
from sqlalchemy.dialects import postgresql, sqlite

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import utcnow

from .cache_model import ScorecardPdf
from .model import Scorecard

LIMIT_MB = 256  # when SCORECARD_CACHE_MB is not configured (config.py sets it)
SHRINK_TO = 0.9  # past the limit, evict down to this share of it (not one row at a time)
TOUCH_AFTER = timedelta(hours=1)  # a hit moves the row up the LRU this often, not every time
ROOT = Path(__file__).resolve().parents[2]  # the project
# Whatever turns a model into a printed card: a change to any of them is a new key.
PRINT_FILES = (
    "templates/scorecard/*.html",
    "assessment/static/css/scorecard-print.css",
    "assessment/scorecard/*.py",
)


@functools.cache
def print_version() -> str:
    """A hash of the print templates, stylesheet and code, and of WeasyPrint's version."""
    digest = hashlib.sha256(version("weasyprint").encode())
    for pattern in PRINT_FILES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# Pickle is the model's exact, fast serialisation (types, field order, floats to the bit).
# Mapping proxies (the model's frozen maps) are written as the dicts they show, and sets
# sorted, so that their order is the same in every process; `fast` writes every object in
# full, so the bytes depend only on the values, not on which objects happen to be shared.
_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[MappingProxyType] = lambda proxy: (dict, (dict(proxy),))
_DISPATCH[frozenset] = lambda values: (frozenset, (sorted(values, key=repr),))
_DISPATCH[set] = lambda values: (set, (sorted(values, key=repr),))


def model_bytes(card: Scorecard) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = _DISPATCH
    pickler.fast = True
    pickler.dump(card)
    return out.getvalue()


def card_key(card: Scorecard, paper: str) -> str:
    """The key of this card printed on this paper: also its ETag."""
    digest = hashlib.sha256(f"{print_version()}\0{paper}\0".encode())
    digest.update(model_bytes(card))
    return digest.hexdigest()


def _limit() -> int:
    return int(current_app.config.get("SCORECARD_CACHE_MB", LIMIT_MB) * 1024 * 1024)


def enabled() -> bool:
    return _limit() > 0


def cached(keys: Iterable[str]) -> dict[str, bytes]:
    """The kept PDFs of these keys (those there are), marking them as used."""
    keys = list(keys)
    if not keys or not enabled():
        return {}
    rows = db.session.execute(
        db.select(ScorecardPdf.key, ScorecardPdf.pdf, ScorecardPdf.used_at).where(
            ScorecardPdf.key.in_(keys)
        )
    ).all()
    stale = [row.key for row in rows if utcnow() - row.used_at > TOUCH_AFTER]
    if stale:
        with write_transaction() as session:
            session.execute(
                update(ScorecardPdf).where(ScorecardPdf.key.in_(stale)).values(used_at=utcnow())
            )
    return {row.key: bytes(row.pdf) for row in rows}


def keep(entries: Sequence[tuple[str, int, bytes]]) -> None:
    """Keep (key, candidate id, PDF) entries; a key kept already (by another process that
    rendered the same card meanwhile) is left as it is. Then evict past the limit."""
    if not entries or not enabled():
        return
    rows = [dict(key=k, candidate_id=c, pdf=p, size=len(p)) for k, c, p in entries]
    with write_transaction() as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        insert = dialect.insert(ScorecardPdf).on_conflict_do_nothing(index_elements=["key"])
        session.execute(insert, rows)
        _evict(session, _limit())


def _evict(session, limit: int) -> None:
    """Past the limit, delete the least recently used rows until SHRINK_TO of it is left."""
    total = session.scalar(db.select(func.coalesce(func.sum(ScorecardPdf.size), 0)))
    if total <= limit:
        return
    ages = session.execute(
        db.select(ScorecardPdf.key, ScorecardPdf.size).order_by(ScorecardPdf.used_at.desc())
    )
    kept, old = 0, []
    for key, size in ages:
        kept += size
        if kept > limit * SHRINK_TO:
            old.append(key)
    for start in range(0, len(old), 500):  # bounded IN lists
        session.execute(delete(ScorecardPdf).where(ScorecardPdf.key.in_(old[start : start + 500])))


def scorecard_pdf(card: Scorecard, paper: str, key: str | None = None) -> bytes:
    """The card's PDF: kept, or rendered now and kept."""
    key = key or card_key(card, paper)
    found = cached([key]).get(key)
    if found is None:
        from .pdf import renderer  # WeasyPrint loads on first use, after any fork

        found = renderer().scorecard(card, paper)
        keep([(key, card.candidate.id, found)])
    return found


def cache_size() -> Mapping[str, int]:
    """How many PDFs are kept and their bytes (for the bench and the README's figures)."""
    count, total = db.session.execute(
        db.select(func.count(ScorecardPdf.key), func.coalesce(func.sum(ScorecardPdf.size), 0))
    ).one()
    return {"pdfs": count, "bytes": total}
