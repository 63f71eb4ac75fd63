"""Batch exports of a position's scorecards: a CSV of scores, a ZIP of PDFs, one combined PDF."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assessment.bank.model import METHODS
from assessment.extensions import db
from assessment.models import Candidate, Position
from assessment.scoring.rounding import half_up

from .batch import parts_folder, render_combined, render_pdfs
from .files import write_atomically
from .model import Scorecard
from .viewers import ExportError, load_viewer, visible_card

KINDS = ("pdf", "zip", "csv")
MIMETYPES = {"pdf": "application/pdf", "zip": "application/zip", "csv": "text/csv"}
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    exported: int  # candidates in the file
    skipped: int  # candidates the viewer may not see yet (sealed)


# --- which candidates -----------------------------------------------------------------


def candidate_ids_for(position_id: int, selected: Iterable[int] | None = None) -> list[int]:
    """The position's candidates (or the selected ones), in the position page's order.

    ExportError when the position does not exist or a selected id is not its candidate.
    """
    position = db.session.get(Position, position_id)
    if position is None:
        raise ExportError(f"There is no position {position_id}.")
    # Under blind review by code, as the list: an order by name or by arrival would tell
    # which code is whose.
    first = Candidate.code if position.blind else Candidate.name
    query = (
        db.select(Candidate.id)
        .where(Candidate.position_id == position_id)
        .order_by(first, Candidate.id)
    )
    ids = list(db.session.scalars(query))
    if selected is None:
        return ids
    wanted = set(selected)
    strangers = sorted(wanted - set(ids))
    if strangers:
        listed = ", ".join(str(i) for i in strangers[:10])
        raise ExportError(f"Not candidates of this position: {listed}.")
    return [i for i in ids if i in wanted]


# --- CSV ------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """Text for a CSV cell that a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: float | None) -> float | str:
    return "" if value is None else half_up(value, 1)


def csv_header(competencies: Sequence[str]) -> list[str]:
    parts = [f"{c}_{m}" for c in competencies for m in METHODS]
    identity = ["candidate_id", "name", "email", "external_id"]
    return identity + parts + ["overall", "band_low", "band_high", "advisory_label", "flags"]


def csv_row(card: Scorecard, competencies: Sequence[str]) -> list[object]:
    """One candidate: identity as guarded text, scores as numbers (blank when missing)."""
    by_id = {cs.competency: cs for cs in card.score.competencies}
    scores: list[object] = []
    for c in competencies:
        cs = by_id.get(c)
        scores += [_number(cs.part(m).score if cs else None) for m in METHODS]
    overall = card.score.overall
    low, high = overall.band or (None, None)
    person = card.candidate
    identity = [person.id] + [safe_cell(v) for v in (person.name, person.email, person.external_id)]
    flags = safe_cell(";".join(f.code for f in card.flags))
    tail = [_number(overall.score), _number(low), _number(high), safe_cell(overall.label), flags]
    return identity + scores + tail


def scores_csv(cards: Sequence[Scorecard], competencies: Sequence[str]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read accented names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(competencies))
    writer.writerows(csv_row(card, competencies) for card in cards)
    return out.getvalue().encode("utf-8-sig")


def position_competencies(position_id: int) -> list[str]:
    position = db.session.get(Position, position_id)
    return list(position.weights) if position else []


# --- the export -----------------------------------------------------------------------


def export_scorecards(
    position_id: int,
    kind: str,
    out: Path,
    *,
    candidate_ids: Iterable[int] | None = None,
    viewer_id: int | None = None,
    reveal_names: bool = False,
    paper: str = "A4",
    progress: Progress | None = None,
    workers: int | None = None,
) -> ExportResult:
    """Write one export file to `out`; the PDFs are rendered on every core (batch.py).

    The viewer's blind rule holds in every format: `reveal_names` is for the command line
    (viewer_id None) only; a person sees names as the position allows them."""
    if kind not in KINDS:
        raise ExportError(f"Unknown export format {kind!r}: use one of {', '.join(KINDS)}.")
    ids = candidate_ids_for(position_id, candidate_ids)
    reveal_names = reveal_names and viewer_id is None
    viewer = load_viewer(viewer_id, reveal_names)
    report = progress or (lambda done, total: None)
    if kind == "csv":
        return _export_csv(position_id, ids, viewer, out, report)
    who = (viewer_id, reveal_names)
    try:
        if kind == "zip":
            parts = render_pdfs(ids, who, paper, out, report, workers)
            rendered = [parts[cid] for cid in ids if parts.get(cid)]
            if rendered:
                _write_zip(rendered, out)
            exported = len(rendered)
        else:
            exported = render_combined(ids, who, paper, out, report, workers)
    finally:
        shutil.rmtree(parts_folder(out), ignore_errors=True)
    if not exported:
        raise ExportError("None of the chosen candidates has a scorecard you may see yet.")
    return ExportResult(out, exported, len(ids) - exported)


def _export_csv(position_id, ids, viewer, out: Path, report: Progress) -> ExportResult:
    cards = []
    for n, cid in enumerate(ids, start=1):
        card = visible_card(cid, viewer)
        if card is not None:
            cards.append(card)
        report(n, len(ids))
    write_atomically(out, scores_csv(cards, position_competencies(position_id)))
    return ExportResult(out, len(cards), len(ids) - len(cards))


def _write_zip(rendered: Sequence[Path], out: Path) -> None:
    """The PDFs under their file names (batch.render_each: the name the viewer may see)."""
    partial = out.with_name(out.name + ".partial")
    # PDFs are compressed already: storing them is as small and much faster.
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in rendered:
            archive.write(path, arcname=path.name)
    os.replace(partial, out)
