"""A line's score cells, rendered once when its summary row is written and stored with it.

A page of the comparison list shows 25 lines of seven or so scores, each with its band, shade
and title. Formatting them per view cost more than the rest of the page, so refresh.py
stores them (templates/comparison/_cells.html, escaped like any template) and the list only
places them, adding the "sorted" mark to one cell. The stored text starts with a version,
a hash of the template and of this module: cells of an older version count as stale, and
the list summarises those candidates again when it meets them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup

from assessment.scoring.rounding import number as rounded

TEMPLATE = "comparison/_cells.html"
# By the anchors a score has passed: 25, 50 and 75 on 0-100 are 2, 3 and 4 on the 1-5 scale.
HEAT = ("heat-0", "heat-1", "heat-2", "heat-3")
INSUFFICIENT = "insufficient evidence"
SEPARATOR = "\n"  # between the version and the cells; the macros put no line break inside
OPEN, SORTED_OPEN = '<td class="', '<td class="sorted '  # every cell starts with its classes


class Renderer(NamedTuple):
    version: str
    macros: Any  # the template's module: overall(), competency(), tie()
    tie: str  # the "≈ above" mark, rendered once
    # cell("competency", text, band, heat, title): a macro's cell on one line, remembered
    # (many candidates share a cell, e.g. every new one's "insufficient evidence")
    cell: Callable[..., str]


def renderer() -> Renderer:
    """The macros and their version, once per app."""
    found = current_app.extensions.get("comparison_cells")
    if found is None:
        env = current_app.jinja_env
        source = env.loader.get_source(env, TEMPLATE)[0].encode() + Path(__file__).read_bytes()
        macros = env.get_template(TEMPLATE).module
        version = "c" + hashlib.sha256(source).hexdigest()[:8]

        @functools.lru_cache(maxsize=4096)
        def cell(name: str, *args: Any) -> str:
            return str(getattr(macros, name)(*args)).replace(SEPARATOR, " ")

        found = Renderer(version, macros, str(macros.tie()), cell)
        current_app.extensions["comparison_cells"] = found
    return found


def number(x: float | None) -> str:
    """A score as the list shows it: a whole number, rounded half up, or "—"."""
    return rounded(x, none="—")


def heat(score: float) -> str:
    return HEAT[(score >= 25.0) + (score >= 50.0) + (score >= 75.0)]


def band(lo: float | None, hi: float | None) -> str:
    return f"{rounded(lo)}–{rounded(hi)}" if lo is not None and hi is not None else ""


def methods_title(parts: Mapping[str, Sequence[Any]]) -> str:
    """The parts behind a competency's score: "interview 72 · scenarios — · self-view 60"."""
    methods = {m: part[0] for m, part in parts.items()}
    return (
        f"interview {number(methods.get('interview'))} · scenarios "
        f"{number(methods.get('scenario'))} · self-view {number(methods.get('self'))}"
    )


def _competency(cell, entry: Mapping[str, Any] | None) -> str:
    if entry is None or entry.get("score") is None:
        why = (entry or {}).get("reason") or INSUFFICIENT
        return cell("competency", "", "", "", why)
    score = entry["score"]
    title = methods_title(entry.get("parts") or {})
    return cell("competency", number(score), band(entry["lo"], entry["hi"]), heat(score), title)


def _overall(cell, row: Mapping[str, Any]) -> str:
    overall = row.get("overall")
    if overall is None:
        return cell("overall", "", "", None, row.get("reason") or INSUFFICIENT)
    return cell(
        "overall", number(overall), band(row["overall_lo"], row["overall_hi"]), row["label"], None
    )


def render_cells(row: Mapping[str, Any], order: Sequence[str]) -> str:
    """What the summary row stores: the version, the overall's cell, then each competency's
    in `order` (the position's), one a line. `row` has the summary's columns."""
    found = renderer()
    entries = row.get("competencies") or {}
    cells = [_overall(found.cell, row), *(_competency(found.cell, entries.get(c)) for c in order)]
    return SEPARATOR.join([found.version, *cells])


def with_new_overall(
    text: str | None, row: Mapping[str, Any], before: Sequence[str], order: Sequence[str]
) -> str:
    """Stored cells with a new overall, and the competencies of `order` taken from those
    stored in the order `before` (new weights change only the overall); all rendered
    afresh when the stored ones are stale."""
    found = renderer()
    cells = (text or "").split(SEPARATOR)
    if cells[0] != found.version or len(cells) != len(before) + 2:
        return render_cells(row, order)
    at = {c: i for i, c in enumerate(before, 2)}
    overall = _overall(found.cell, row)
    return SEPARATOR.join([found.version, overall, *(cells[at[c]] for c in order)])


def stored_cells(
    text: str | None, found: Renderer, count: int, sorted_at: int | None, tie: bool | None
) -> Markup | None:
    """The cells to show from what a row stores, or None when they are stale (another
    template, another number of competencies, or none). `sorted_at`: the index of the
    sorted column among the cells (0 the overall); `tie` puts the "≈ above" mark in it."""
    if not text:
        return None
    cells = text.split(SEPARATOR)
    if cells[0] != found.version or len(cells) != count + 1:
        return None
    if sorted_at is not None:
        cell = cells[sorted_at + 1].replace(OPEN, SORTED_OPEN, 1)
        if tie:
            cell = cell[: -len("</td>")] + found.tie + "</td>"
        cells[sorted_at + 1] = cell
    return Markup("".join(cells[1:]))  # rendered by _cells.html, which escaped them  # nosec B704
