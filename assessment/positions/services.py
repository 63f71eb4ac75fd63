"""Positions and candidates: what HR reads and changes, each change in one write transaction."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.exc import IntegrityError

from ..audit import record_audit
from ..bank.model import Bank
from ..blind import fresh_codes
from ..candidates.search_index import index_candidates
from ..comparison.recombine import reweight_position
from ..comparison.refresh import fill_missing
from ..database import write_transaction
from ..extensions import db
from ..models import Candidate, Interview, Position
from ..scoring import stats
from ..scoring.figures import DEFAULT_R1
from ..scoring.rounding import coefficient
from .csv_import import CsvError, RowProblem, decode_upload, parse_candidates

PAGE_SIZE = 50
WEIGHT_MAX = 10


class PositionError(Exception):
    """A change the rules do not allow; `field` names the form field it is about, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class SetupInvalid(PositionError):
    """Weights and questions that do not make an interview; `errors`: key → messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__("The setup has problems; see the messages below.")
        self.errors = dict(errors)


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def window(self) -> list[int | None]:
        """The page numbers a pager offers: the first, the last and two either side of this
        one, with None for each gap ("1 … 4 5 6 7 8 … 40")."""
        near = range(max(1, self.number - 2), min(self.pages, self.number + 2) + 1)
        numbers: list[int | None] = []
        for n in sorted({1, self.pages, *near}):
            last = numbers[-1] if numbers else 0
            if n - last == 2:  # one page between: show it rather than a gap
                numbers.append(n - 1)
            elif n - last > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers


@dataclass(frozen=True)
class ImportReport:
    added: int
    problems: Sequence[RowProblem]


def paged(query, count_query, number: int) -> Page:
    """Page `number` (clamped to the pages there are) of `query`'s rows, PAGE_SIZE a page."""
    total = db.session.scalar(count_query) or 0
    number = min(max(1, number), max(1, math.ceil(total / PAGE_SIZE)))
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return Page(rows, number, total)


def list_positions(number: int, closed: bool = False) -> Page:
    """Open positions (or the closed ones), newest first, as (Position, candidate count)."""
    query = (
        db.select(Position, func.count(Candidate.id))
        .outerjoin(Candidate, Candidate.position_id == Position.id)
        .where(Position.archived.is_(closed))
        .group_by(Position.id)
        .order_by(Position.created_at.desc(), Position.id.desc())
    )
    count = db.select(func.count(Position.id)).where(Position.archived.is_(closed))
    return paged(query, count, number)


def count_closed() -> int:
    return db.session.scalar(db.select(func.count(Position.id)).where(Position.archived)) or 0


def get_position(position_id: int) -> Position | None:
    return db.session.get(Position, position_id)


def has_interviews(position_id: int) -> bool:
    """Once anyone has an interview, the position's questions are fixed for every candidate."""
    return bool(
        db.session.scalar(
            db.select(
                exists().where(
                    Interview.candidate_id == Candidate.id, Candidate.position_id == position_id
                )
            )
        )
    )


def create_position(title: str, kit_id: str, bank: Bank, actor) -> Position:
    """A position with the kit's weights and its own snapshot of the kit's questions."""
    kit = bank.kits.get(kit_id)
    if kit is None:
        raise PositionError("Choose one of the kits.", field="kit")
    with write_transaction() as session:
        position = Position(
            title=title.strip(),
            kit_id=kit.id,
            bank_version=bank.version,
            weights=dict(kit.weights),
            method_weights=dict(kit.method_weights),
            questions=[bank.questions[q].snapshot() for q in kit.questions],
            created_by_id=getattr(actor, "id", None),
        )
        session.add(position)
        session.flush()
        new = {"title": position.title, "kit": kit.id, "questions": list(kit.questions)}
        record_audit("position.create", "position", position.id, actor, new=new)
    return position


def setup_problems(
    weights: Mapping[str, float], questions: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> dict[str, list[str]]:
    """Why weights and questions do not make an interview: key ("weights", "questions" or a
    competency id) → messages. Empty when they do."""
    errors: dict[str, list[str]] = {}
    if not any(w > 0 for w in weights.values()):
        errors["weights"] = ["Give at least one competency a weight above 0."]
    if not questions:
        errors["questions"] = ["Pick at least one interview question."]
    asked = {q["competency"] for q in questions}
    for competency, weight in weights.items():
        if weight > 0 and competency not in asked:
            name = names.get(competency, competency)
            errors.setdefault(competency, []).append(
                f"{name} has a weight but no question: pick one, or set its weight to 0."
            )
    return errors


def single_question_competencies(
    weights: Mapping[str, float], questions: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The weighted competencies the interview asks about in one question only."""
    asked = Counter(q["competency"] for q in questions)
    return [c for c, w in weights.items() if w > 0 and asked[c] == 1]


def single_question_warning(locked: bool = False) -> str:
    """Why a weighted competency should not rest on one question, with the default figures:
    one question gives a panel of three the reliability of three ratings, two give six."""
    r1 = DEFAULT_R1["interview"]
    one, two = (stats.spearman_brown(r1, 3 * q).value for q in (1, 2))
    advice = "Weigh it less, or ask more in a new position." if locked else "Pick a second one."
    return (
        "Rests on a single interview question: even a panel of three interviewers then "
        f"reaches a reliability of only {coefficient(one)} on it (two questions: "
        f"{coefficient(two)}), so its band stays wide. {advice}"
    )


def question_choices(position: Position, bank: Bank) -> list[dict[str, Any]]:
    """Snapshots of every question the position can have: the bank's, in bank order grouped
    by competency, and after each competency's, any the bank no longer has but the position
    does (it keeps its own snapshot of those)."""
    retired = [q for q in position.questions if q["id"] not in bank.questions]
    result = []
    for competency in bank.competencies:
        result += [q.snapshot() for q in bank.questions.values() if q.competency == competency]
        result += [q for q in retired if q["competency"] == competency]
    return result


def save_position_setup(
    position_id: int,
    weights: Mapping[str, float],
    question_ids: Sequence[str] | None,
    bank: Bank,
    actor,
) -> Position:
    """New weights (and questions, unless None); SetupInvalid or PositionError if not allowed."""
    with write_transaction() as session:
        position = locked_position(session, position_id, share=False)
        new_weights = {c: float(weights[c]) for c in bank.competencies if weights.get(c, 0) > 0}
        questions = position.questions
        if question_ids is not None and set(question_ids) != {q["id"] for q in questions}:
            if has_interviews(position_id):
                raise PositionError(
                    "Interviews have started, so the questions are fixed: every candidate "
                    "of a position must get the same questions.",
                    field="questions",
                )
            questions = [q for q in question_choices(position, bank) if q["id"] in question_ids]
        names = bank.competency_names
        errors = setup_problems(
            {c: float(weights.get(c, 0)) for c in bank.competencies}, questions, names
        )
        if errors:
            raise SetupInvalid(errors)
        _apply_setup(position, new_weights, questions, bank, actor)
    return position


def _apply_setup(position: Position, weights, questions, bank: Bank, actor) -> None:
    if weights != position.weights:
        old = {"weights": position.weights}
        record_audit(
            "position.weights", "position", position.id, actor, old=old, new={"weights": weights}
        )
        position.weights = weights
        reweight_position(position, old["weights"])  # each overall, from the stored parts
    old_ids = [q["id"] for q in position.questions]
    new_ids = [q["id"] for q in questions]
    if new_ids != old_ids:
        record_audit(
            "position.questions",
            "position",
            position.id,
            actor,
            old={"questions": old_ids},
            new={"questions": new_ids},
        )
        position.questions = questions
        position.bank_version = bank.version


def _existing_emails(session, position_id: int) -> set[str]:
    rows = session.scalars(
        db.select(func.lower(Candidate.email)).where(Candidate.position_id == position_id)
    )
    return set(rows)


def codes_for(session, position_id: int, count: int) -> list[str]:
    """Blind-review codes for `count` new candidates: random, none already in the position."""
    taken = set(
        session.scalars(db.select(Candidate.code).where(Candidate.position_id == position_id))
    )
    return fresh_codes(count, taken)


# Says nobody's name or address: a refusal that echoes who applied would confirm it to
# whoever types a guess, blind review or not.
ALREADY_ADDED = "Not added: this position already has a candidate with this e-mail."


def locked_position(session, position_id: int, share: bool = True) -> Position:
    """The position, locked for the transaction: shared by its readers, or for update."""
    position = session.scalar(
        db.select(Position).where(Position.id == position_id).with_for_update(read=share)
    )
    if position is None:
        raise PositionError("There is no such position.")
    return position


def add_candidate(
    position_id: int, name: str, email: str, external_id: str | None, actor
) -> Candidate:
    """One candidate; PositionError(field="email") when the position already has the e-mail."""
    email = email.strip()
    try:
        with write_transaction() as session:
            locked_position(session, position_id)
            if email.lower() in _existing_emails(session, position_id):
                raise PositionError(ALREADY_ADDED, field="email")
            candidate = Candidate(
                position_id=position_id,
                name=" ".join(name.split()),
                email=email,
                external_id=(external_id or "").strip() or None,
                code=codes_for(session, position_id, 1)[0],
            )
            session.add(candidate)
            session.flush()
            new = {"name": candidate.name, "email": email, "external_id": candidate.external_id}
            record_audit("candidate.create", "candidate", candidate.id, actor, new=new)
            index_candidates([candidate.id])
            fill_missing(position_id)  # this one's summary row, and any still missing
    except IntegrityError:  # the same e-mail added by someone else at the same moment
        raise PositionError(ALREADY_ADDED, "email") from None
    return candidate


def import_candidates(position_id: int, data: bytes, actor) -> ImportReport:
    """Add the good rows of a CSV file in one transaction; report the others by line.

    CsvError when the file as a whole cannot be read (nothing is added then).
    """
    text = decode_upload(data)
    try:
        with write_transaction() as session:
            locked_position(session, position_id)
            parsed = parse_candidates(text, _existing_emails(session, position_id))
            codes = codes_for(session, position_id, len(parsed.rows))
            added = [
                Candidate(
                    position_id=position_id,
                    name=row.name,
                    email=row.email,
                    external_id=row.external_id,
                    code=code,
                )
                for row, code in zip(parsed.rows, codes, strict=True)
            ]
            session.add_all(added)
            session.flush()
            index_candidates(c.id for c in added)
            new = {"count": len(parsed.rows), "skipped": len(parsed.problems)}
            record_audit("candidate.import", "position", position_id, actor, new=new)
            fill_missing(position_id)  # the summary rows of the candidates just added
    except IntegrityError:
        raise CsvError(
            "Someone added candidates at the same moment; nothing was imported. Upload again."
        ) from None
    return ImportReport(len(parsed.rows), parsed.problems)
