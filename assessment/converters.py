"""Ids in URLs and query strings: only numbers an id column can hold, anything else not found.

PostgreSQL's `integer` holds up to 2^31 - 1, and SQLAlchemy sends an id with that type, so a
larger number in a URL used to fail the query (a 500); SQLite fails past 2^63. Every
`<int:...>` of the app goes through IdConverter, so a new route is covered without a word.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
ID_DIGITS = len(str(MAX_ID))


class IdConverter(IntegerConverter):
    """`<int:...>`: ASCII digits from 0 to MAX_ID; anything else matches no route (404)."""

    regex = rf"[0-9]{{1,{ID_DIGITS}}}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: Any) -> int | None:
    """An id typed into a query string or a form (" 42 " → 42), or None when it is not one:
    not ASCII digits ("²", "٣", "-1", "1e3"), zero, or past MAX_ID."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_int(value: Any, low: int, high: int) -> int | None:
    """An integer from a form or a script within [low, high], or None: a number past what
    a column holds ("-9223372036854775809") would fail the query, not the page."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 20 or not text.lstrip("-").isascii():
        return None
    try:
        number = int(text)
    except ValueError:  # "-1e23", "²", "nan"
        return None
    return number if low <= number <= high else None


def register_converters(app: Any) -> None:
    """Before any blueprint adds its rules: a rule finds its converter when it is added."""
    app.url_map.converters["int"] = IdConverter
