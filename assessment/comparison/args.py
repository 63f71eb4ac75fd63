"""The comparison list's query arguments: sort, direction, filters and page, from an allow-list.

Anything outside the allow-list is refused (400), never passed on to SQL (HARDENING §6 B).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from assessment.review.rules import DECISIONS
from assessment.scoring.quality import FLAG_CODES

COLUMNS = ("candidate", "overall", "interviews", "self", "flags", "decision")
COMPETENCY_PREFIX = "c."
DIRECTIONS = ("asc", "desc")
SEARCH_MAX = 100  # characters of a search kept
FILTERS: Mapping[str, tuple[str, ...]] = {
    "interviews": ("complete", "open", "none"),
    "selfassess": ("none", "invited", "in_progress", "submitted", "revoked", "expired"),
    "decision": ("none", *DECISIONS),
    "flag": ("any", "none", *FLAG_CODES),
}


class BadListArgs(ValueError):
    """A sort key, direction or filter value the list does not know."""


def default_direction(sort: str) -> str:
    """Names and codes read A to Z; everything else starts with the highest."""
    return "asc" if sort == "candidate" else "desc"


@dataclass(frozen=True)
class ListArgs:
    sort: str = "candidate"
    dir: str = "asc"
    interviews: str = ""
    selfassess: str = ""
    decision: str = ""
    flag: str = ""
    q: str = ""  # a search: name, e-mail or external id words, or a code under blind review
    page: int = 1

    @property
    def competency(self) -> str | None:
        """The competency id when sorting by one."""
        if self.sort.startswith(COMPETENCY_PREFIX):
            return self.sort[len(COMPETENCY_PREFIX) :]
        return None

    @property
    def filtered(self) -> bool:
        return any(getattr(self, name) for name in FILTERS)

    @property
    def ranked(self) -> bool:
        """Sorted by a score, so neighbours can be (not) reliably different."""
        return self.sort == "overall" or self.competency is not None

    def link(self, **changes: Any) -> dict[str, Any]:
        """URL arguments for this list with `changes`; a new sort or filter starts at page 1."""
        if changes.keys() - {"page"}:
            changes.setdefault("page", 1)
        new = replace(self, **changes)
        values = {f.name: getattr(new, f.name) for f in fields(new)}
        if values["dir"] == default_direction(values["sort"]):
            values.pop("dir")
        if values["sort"] == "candidate":
            values.pop("sort")
        if values["page"] == 1:
            values.pop("page")
        return {k: v for k, v in values.items() if v != ""}

    def sort_link(self, sort: str) -> dict[str, Any]:
        """Sort by `sort`: flip the direction when already sorted by it."""
        if sort == self.sort:
            return self.link(dir="asc" if self.dir == "desc" else "desc")
        return self.link(sort=sort, dir=default_direction(sort))

    def aria_sort(self, sort: str) -> str | None:
        if sort != self.sort:
            return None
        return "ascending" if self.dir == "asc" else "descending"


def parse_args(args: Mapping[str, str], competencies: Sequence[str]) -> ListArgs:
    """ListArgs from a request's query string; BadListArgs for anything not allowed."""
    sort = args.get("sort") or "candidate"
    allowed = (*COLUMNS, *(COMPETENCY_PREFIX + c for c in competencies))
    if sort not in allowed:
        raise BadListArgs(f"The list cannot be sorted by {sort[:40]!r}.")
    direction = args.get("dir") or default_direction(sort)
    if direction not in DIRECTIONS:
        raise BadListArgs("The sort direction is asc or desc.")
    chosen = {}
    for name, values in FILTERS.items():
        value = args.get(name) or ""
        if value and value not in values:
            raise BadListArgs(f"Unknown {name} filter {value[:40]!r}.")
        chosen[name] = value
    try:
        page = max(1, int(args.get("page") or 1))
    except ValueError:
        page = 1
    query = " ".join((args.get("q") or "").split())[:SEARCH_MAX]
    return ListArgs(sort=sort, dir=direction, page=page, q=query, **chosen)
