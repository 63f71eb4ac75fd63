"""One page of a position's comparison list, in the same few queries for any number of
candidates: the summary rows are sorted through their indexes, never row by row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

from assessment.blind import is_blind
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import User, utcnow
from assessment.positions.services import Page
from assessment.question_bank import current_bank

from .args import FILTERS, ListArgs, parse_args
from .cells import renderer
from .heads import column_heads
from .queries import POSITION_QUERY, Shape, queries
from .refresh import fill_missing, refresh_summaries
from .rows import FLAG_NAMES, SELF_TEXT, Lines, make_rows
from .search_filter import search_params

# 25 lines a page: a line costs about a tenth of the page's fixed part, and 25 keep a view
# within ten bare requests on SQLite (README, "Speed"); 50 did not.
PAGE_SIZE = 25


@dataclass(frozen=True)
class ComparisonPage(Page):
    """A page of the list: its lines (rows.Line) as `items`, and the counts above it."""

    sealed: int = 0  # candidates of the position whose scores this viewer may not see yet
    everyone: int = 0  # the position's candidates, whatever the filters


class ListedPosition(NamedTuple):
    """What the list's page shows of its position: no question snapshots to decode."""

    id: int
    title: str
    weights: Mapping[str, float]
    blind: bool
    question_count: int
    closed: bool  # read-only, out of the default lists (positions/closing.py)
    closed_at: datetime | None


def listed_position(position_id: int, viewer: User) -> tuple[ListedPosition | None, frozenset]:
    """(the position or None, the candidates of it whose scores are sealed for the viewer:
    those they interview and have not submitted yet). One query."""
    params = {"position_id": position_id, "viewer_id": viewer.id}
    rows = db.session.connection().execute(POSITION_QUERY, params).all()
    if not rows:
        return None, frozenset()
    sealed = frozenset(row.sealed_id for row in rows if row.sealed_id is not None)
    return ListedPosition(*rows[0][:7]), sealed


def _limits(two_part: bool, present: int, offset: int) -> dict[str, int]:
    """The page's window: one part, or the rows with a value (one more above the page, to
    mark the first line against it) and then those without."""
    if not two_part:
        return {"offset": offset, "limit": PAGE_SIZE}
    start = max(offset - 1, 0)
    first_end = min(present, offset + PAGE_SIZE)
    on_page = max(0, first_end - offset)
    return {
        "first_offset": start,
        "first_limit": max(0, first_end - start),
        "rest_offset": max(0, offset - present),
        "rest_limit": PAGE_SIZE - on_page,
    }


def _in_order(rows: list[Any], direction: str, offset: int, limits: dict[str, int]):
    """(the line above the page or None, the page's lines) from the two parts of a score
    sort, which SQL returns as a set: those with a value in the chosen order, then the
    others by id; each part cut to its limit (`limits`, the page's window)."""
    sign = -1 if direction == "desc" else 1
    first = sorted(
        (r for r in rows if r.part == 0), key=lambda r: (sign * r.sort_value, sign * r.candidate_id)
    )[: limits["first_limit"]]
    rest = sorted((r for r in rows if r.part == 1), key=lambda r: r.candidate_id)
    previous = first.pop(0) if offset > 0 and first else None
    return previous, first + rest[: limits["rest_limit"]]


def _page_rows(found, params: dict, present: int, offset: int, direction: str):
    limits = _limits(found.two_part, present, offset)
    rows = db.session.connection().execute(found.page, {**params, **limits}).all()
    if not found.two_part:
        return None, rows
    return _in_order(rows, direction, offset, limits)


def _guess(offset: int) -> dict[str, int]:
    """A window that holds the page whatever the counts on the first page (up to a page of
    each part), and on a later one while the rows with a value fill it."""
    if offset == 0:
        return {
            "first_offset": 0,
            "first_limit": PAGE_SIZE,
            "rest_offset": 0,
            "rest_limit": PAGE_SIZE,
        }
    return _limits(True, offset + PAGE_SIZE, offset)


def _holds(guess: dict[str, int], exact: dict[str, int]) -> bool:
    return (
        guess["first_offset"] == exact["first_offset"]
        and guess["rest_offset"] == exact["rest_offset"]
        and guess["first_limit"] >= exact["first_limit"]
        and guess["rest_limit"] >= exact["rest_limit"]
    )


def _read_together(found, params: dict, number: int, direction: str):
    """(the counts, and (the line above, the lines) of page `number` or None when the
    guessed window missed them: past the end, or lines without a value on a later page)."""
    offset = (number - 1) * PAGE_SIZE
    guess = _guess(offset)
    rows = db.session.connection().execute(found.together, {**params, **guess}).all()
    counts = next(r for r in rows if r.total is not None)
    exact = _limits(True, counts.present, offset)
    if offset and (offset >= counts.total or not _holds(guess, exact)):
        return counts, None
    return counts, _in_order([r for r in rows if r.total is None], direction, offset, exact)


def _params(position_id: int, args: ListArgs, sealed: frozenset[int], shape: Shape) -> dict:
    """The statements' parameters: the position, competency, sealed ids, time and search."""
    return {
        "position_id": position_id,
        "competency": args.competency or "",
        "sealed": list(sealed),
        "now": utcnow(),
        **search_params(shape.words, shape.code, args.q),
    }


def comparison_page(
    position, sealed: frozenset[int], args: ListArgs, blind: bool, names, links
) -> ComparisonPage:
    """The page of the list `args` asks for; `sealed` are the candidates whose scores the
    viewer may not see yet, `names` the position's competencies as (id, name) in order,
    `links` the lines' "%d" link patterns."""
    shape = Shape.of(args, blind, bool(sealed))
    found = queries(shape)
    params = _params(position.id, args, sealed, shape)
    read = None  # (the line above, the lines), when read with the counts
    if found.together is not None:
        counts, read = _read_together(found, params, args.page, args.dir)
    else:
        counts = db.session.connection().execute(found.counts, params).one()
    total, present, everyone, newest, summarised = counts[:5]
    if newest != summarised:  # candidates added outside the services, or before 0005
        with write_transaction():
            fill_missing(position.id)
        total, present, everyone, _, _ = db.session.connection().execute(found.counts, params).one()
        read = None
    number = min(args.page, max(1, -(-total // PAGE_SIZE)))
    offset = (number - 1) * PAGE_SIZE
    previous, rows = read or _page_rows(found, params, present, offset, args.dir)
    sorted_at = None  # the sorted score's cell: 0 the overall, then the competencies
    if args.ranked:
        order = [c for c, _ in names]
        sorted_at = 0 if args.competency is None else 1 + order.index(args.competency)
    lines = Lines(blind, sealed, renderer(), 1 + len(names), sorted_at, links, params["now"])
    items, stale = make_rows(rows, previous, args, lines)
    if stale:  # written by an older version, or directly: summarise them again
        with write_transaction():
            refresh_summaries(stale)
        previous, rows = _page_rows(found, params, present, offset, args.dir)
        items, stale = make_rows(rows, previous, args, lines)
    return ComparisonPage(items, number, total, PAGE_SIZE, len(sealed), everyone)


def list_context(
    position: ListedPosition,
    sealed: frozenset[int],
    viewer: User,
    query: Mapping[str, str],
    base: str,
    links: Mapping[str, str],
) -> dict[str, Any]:
    """What templates/positions/show.html shows of the list asked for by `query` (a
    request's arguments; BadListArgs when one is not allowed). `base` is the list's URL
    without arguments, `links` the lines' "%d" link patterns."""
    competencies = list(position.weights)
    args = parse_args(query, competencies)
    names = current_bank().competency_names
    blind = is_blind(position, viewer)
    shown = tuple((c, names.get(c, c)) for c in competencies)
    return {
        "page": comparison_page(position, sealed, args, blind, shown, links),
        "args": args,
        "blind": blind,
        "filters": FILTERS,
        "flag_names": FLAG_NAMES,
        "self_names": SELF_TEXT,
        "names": names,
        "competencies": shown,
        "heads": column_heads(replace(args, page=1), base, shown, blind),
    }
