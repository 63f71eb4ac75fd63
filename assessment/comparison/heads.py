"""The comparison list's column heads: each links to the list sorted by it (again: flipped).

Made here once per page, so the template places a dozen heads without a url_for each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from .args import COMPETENCY_PREFIX, ListArgs


@dataclass(frozen=True, slots=True)
class Head:
    label: str
    href: str
    css: str  # the th's classes
    aria_sort: str | None  # "ascending" or "descending" on the sorted column
    arrow: str  # "▲" or "▼" on the sorted column, else ""


@lru_cache(maxsize=1024)
def column_heads(
    args: ListArgs, base: str, competencies: tuple[tuple[str, str], ...], blind: bool
) -> tuple[Head, ...]:
    """The heads from Candidate to Decision; `base` is the list's URL without arguments and
    `competencies` the position's as (id, name) in order. The same for every page of a
    list (a new sort starts at page 1), so they are kept."""
    columns = [
        ("candidate", "Candidate (code)" if blind else "Candidate", "name-col"),
        ("overall", "Overall", "score-col"),
        *((COMPETENCY_PREFIX + c, name, "score-col competency") for c, name in competencies),
        ("interviews", "Interviews", "count-col"),
        ("self", "Self-assess\u00adment", ""),
        ("flags", "Flags", "count-col"),
        ("decision", "Decision", ""),
    ]
    heads = []
    for key, label, css in columns:
        query = urlencode(args.sort_link(key))
        aria = args.aria_sort(key)
        arrow = "" if aria is None else ("▲" if args.dir == "asc" else "▼")
        heads.append(Head(label, f"{base}?{query}" if query else base, css, aria, arrow))
    return tuple(heads)
