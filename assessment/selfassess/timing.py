"""How long a candidate spent on an item: the page's signed "shown at" stamp, the
script's timings (bounded), and how visits add up. No browser clock orders anything."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

MAX_PAGE_MS = 24 * 3600 * 1000  # a page left open for a day counts as a day, no more
MAX_TOTAL_MS = 10 * MAX_PAGE_MS  # stays inside a 32-bit integer column
SHOWN_SALT = "selfassess-shown"

if TYPE_CHECKING:
    from ..models import Answer
    from .answers import AnswerInput


@dataclass(frozen=True)
class Shown:
    """When this page was shown, and the time already spent on the item before it."""

    at_ms: int
    prior_ms: int | None  # None: no answer was stored when the page was shown


def now_ms() -> int:
    return int(time.time() * 1000)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SHOWN_SALT)


def sign_shown(assessment_id: int, number: int, prior: Answer | None) -> str:
    """The stamp a page carries, so a save knows when it was shown even without scripts."""
    prior_ms = None if prior is None else (prior.ms_total or 0)
    return _serializer().dumps([assessment_id, number, now_ms(), prior_ms])


def read_shown(stamp: str, assessment_id: int, number: int) -> Shown | None:
    """The stamp's content if it is ours and for this item; None otherwise (never an error)."""
    try:
        a, n, at_ms, prior_ms = _serializer().loads(stamp or "")
    except (BadSignature, ValueError, TypeError):
        return None
    if (a, n) != (assessment_id, number) or not isinstance(at_ms, int):
        return None
    return Shown(at_ms, prior_ms if isinstance(prior_ms, int) else None)


def bounded_ms(raw: Any) -> int | None:
    """A duration from a page: an integer of milliseconds within a day, else nothing."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= MAX_PAGE_MS else None


def timing(entry: AnswerInput, shown: Shown | None, stored: Answer | None) -> dict:
    """Time on the item: earlier visits plus this one; the first pick is timed on first view."""
    if shown is None:  # no trustworthy stamp: keep what is known
        first = stored.ms_to_first_answer if stored else entry.ms_first
        total = stored.ms_total if stored and stored.ms_total is not None else entry.ms_page
        return {"ms_to_first_answer": first, "ms_total": total}
    page = entry.ms_page
    if page is None:  # no script: the server's clock since the page was shown
        page = min(max(now_ms() - shown.at_ms, 0), MAX_PAGE_MS)
    first = entry.ms_first
    if shown.prior_ms is not None:  # answered on an earlier view: that first pick counts
        first = stored.ms_to_first_answer if stored else None
    elif first is not None:
        page = max(page, first)
    total = min((shown.prior_ms or 0) + page, MAX_TOTAL_MS)
    return {"ms_to_first_answer": first, "ms_total": total}
