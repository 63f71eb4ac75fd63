"""Two to four candidates of a position side by side, each from their own scorecard.

Each column is the candidate's scorecard as the viewer may see it: an HR panellist whose
own interview of that candidate is not submitted gets that column sealed, as everywhere
else. Names follow blind review (the scorecard already carries the shown name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment import scoring
from assessment.bank.model import DEFAULT_METHOD_WEIGHTS, InterviewQuestion
from assessment.blind import shown_name
from assessment.converters import parse_id
from assessment.extensions import db
from assessment.models import Candidate, Position
from assessment.scorecard import EvidenceSealed, Scorecard, build_scorecard
from assessment.scorecard.model import METHOD_NAMES, CompetencyBlock
from assessment.scoring import Overall
from assessment.scoring.quality import Flag

from .readings import Reading, Score, pair_readings, summary

MIN_PICK, MAX_PICK = 2, 4
KEYS = "ABCD"


class CompareRefused(Exception):
    """A selection that cannot be compared; `status` 400 or 404, `title` and `message`."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def selected_ids(values: Sequence[str]) -> list[int]:
    """The `c` parameters as candidate ids, in the order given, each once; 2 to 4 of them."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)  # "²" is a digit to str.isdigit, but no number to int()
        if number is None:
            shown = value.strip()[:40]
            raise CompareRefused(400, "Not a candidate", f"“{shown}” is not a candidate id.")
        if number not in ids:
            ids.append(number)
    if not MIN_PICK <= len(ids) <= MAX_PICK:
        picked = {0: "none was picked", 1: "only 1 was picked"}.get(len(ids), f"{len(ids)} were")
        if len(ids) > 1:
            picked += " picked"
        raise CompareRefused(
            400,
            "Pick 2 to 4 candidates",
            f"The side-by-side view compares 2 to 4 candidates; {picked}.",
        )
    return ids


@dataclass(frozen=True)
class Column:
    key: str  # A-D, the letter in the chart and the readings
    candidate_id: int
    name: str  # as the viewer may see it (the code under blind review)
    card: Scorecard | None  # None: sealed for this viewer
    sealed: str | None = None

    @property
    def overall(self) -> Overall | None:
        return self.card.score.overall if self.card else None


@dataclass(frozen=True)
class Cell:
    """One candidate on one competency: its block (scores by method, questions, ratings),
    the methods combined, and the competency's flags."""

    block: CompetencyBlock
    combined: Overall
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class CompetencyRow:
    id: str
    name: str
    weight: float
    cells: tuple[Cell | None, ...]  # per column; None where the column is sealed
    questions: tuple[InterviewQuestion, ...]
    readings: tuple[Reading, ...]
    summary: str


@dataclass(frozen=True)
class Comparison:
    position: Position
    columns: tuple[Column, ...]
    overall_readings: tuple[Reading, ...]
    overall_summary: str
    competencies: tuple[CompetencyRow, ...]
    method_weights: Mapping[str, float]

    @property
    def methods(self) -> Mapping[str, str]:
        return METHOD_NAMES

    @property
    def other_flags(self) -> tuple[tuple[Flag, ...] | None, ...]:
        """Per column, the flags about the answers as a whole (no competency)."""
        return tuple(
            tuple(f for f in c.card.flags if not f.competency) if c.card else None
            for c in self.columns
        )


def _candidates(position: Position, ids: Sequence[int]) -> list[Candidate]:
    found = {
        c.id: c
        for c in db.session.scalars(
            db.select(Candidate).where(Candidate.id.in_(ids), Candidate.position_id == position.id)
        )
    }
    strangers = [i for i in ids if i not in found]
    if strangers:
        listed = ", ".join(str(i) for i in strangers)
        raise CompareRefused(
            404,
            "Not candidates of this position",
            f"No candidate {listed} in “{position.title}”: only candidates of one position "
            "can be compared.",
        )
    return [found[i] for i in ids]


def _column(key: str, candidate: Candidate, position: Position, viewer) -> Column:
    try:
        card = build_scorecard(candidate.id, viewer)
    except EvidenceSealed as sealed:
        return Column(key, candidate.id, shown_name(candidate, position, viewer), None, str(sealed))
    return Column(key, candidate.id, card.candidate.name, card)


def _row(competency: str, columns: Sequence[Column], weights: Mapping[str, float]) -> CompetencyRow:
    cells: list[Cell | None] = []
    for column in columns:
        if column.card is None:
            cells.append(None)
            continue
        block = next(b for b in column.card.competencies if b.id == competency)
        flags = tuple(f for f in column.card.flags if f.competency == block.id)
        combined = scoring.combine_competency(block.score, weights, column.card.evidence.figures)
        cells.append(Cell(block, combined, flags))
    scores = [
        Score(col.key, cell.combined.score, cell.combined.sem)
        for col, cell in zip(columns, cells, strict=True)
        if cell is not None
    ]
    readings = pair_readings(scores)
    first = next(c for c in cells if c is not None).block
    return CompetencyRow(
        id=first.id,
        name=first.name,
        weight=first.weight,
        cells=tuple(cells),
        questions=tuple(row.question for row in first.questions),
        readings=tuple(readings),
        summary=summary(scores, readings, "on this competency", "no score on it"),
    )


def build_comparison(position: Position, ids: Sequence[int], viewer) -> Comparison:
    """The side-by-side model, or CompareRefused (404) for a candidate of another position."""
    candidates = _candidates(position, ids)
    columns = tuple(
        _column(key, c, position, viewer) for key, c in zip(KEYS, candidates, strict=False)
    )
    weights = dict(position.method_weights or DEFAULT_METHOD_WEIGHTS)
    seen = [c.card for c in columns if c.card is not None]
    # One position, so one kit: every card has the same competencies in the same order.
    rows = tuple(_row(b.id, columns, weights) for b in (seen[0].competencies if seen else ()))
    overall = [Score(c.key, c.overall.score, c.overall.sem) for c in columns if c.card is not None]
    readings = pair_readings(overall)
    return Comparison(
        position=position,
        columns=columns,
        overall_readings=tuple(readings),
        overall_summary=summary(overall, readings, "on the overall", "no overall score"),
        competencies=rows,
        method_weights=weights,
    )
