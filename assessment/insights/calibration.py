"""Interviewer calibration from submitted interviews, in three aggregate queries.

Leniency and disagreement per interviewer (SCIENCE §5) and, per position × competency,
panel agreement as an ICC (§3.2). Only submitted interviews count, and "not covered" is
never a rating. The statistics are stats.py's; this module only gathers the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from assessment import stats
from assessment.extensions import db
from assessment.models import Candidate, Interview, Position, Rating, User
from assessment.question_bank import current_bank

TARGET_RELIABILITY = 0.80  # §3.3: how many interviewers a panel needs to reach this
NO_PAIRS = stats.undefined("no co-rated questions")


@dataclass(frozen=True)
class InterviewerLine:
    id: int
    name: str
    submitted: int  # submitted interviews (in scope)
    effect: stats.RaterEffect | None  # None: never on a panel with a colleague who submitted
    question_disagreement: stats.Stat  # the same rate, on single questions
    question_pairs: int

    @property
    def shown(self) -> bool:
        """§7: leniency and disagreement are shown from MIN_CORATED co-rated candidates."""
        return self.effect is not None and self.effect.reason is None


@dataclass(frozen=True)
class CompetencyAgreement:
    id: str
    name: str
    agreement: stats.PanelAgreement
    rater_names: tuple[str, ...]  # the interviewers of a same-panel (form 2) matrix
    raters_needed: stats.Stat | None  # for TARGET_RELIABILITY, from the single-rater ICC


@dataclass(frozen=True)
class PositionLine:
    id: int
    title: str
    submitted: int
    corated_candidates: int  # candidates with ≥ 2 submitted interviews that rated something


@dataclass(frozen=True)
class Calibration:
    position: PositionLine | None  # None: across all positions
    interviewers: tuple[InterviewerLine, ...]
    agreement: tuple[CompetencyAgreement, ...]  # per competency of the one position
    positions: tuple[PositionLine, ...]
    submitted: int

    @property
    def min_corated(self) -> int:
        return stats.MIN_CORATED

    @property
    def target(self) -> float:
        return TARGET_RELIABILITY


class PositionNotFound(LookupError):
    pass


def calibration(position_id: int | None = None) -> Calibration:
    """The calibration of one position, or (position_id None) across every position."""
    positions = _positions(position_id)
    if position_id is not None and not positions:
        raise PositionNotFound(position_id)
    competency_of = {
        (pid, q["id"]): q["competency"] for pid, (_, qs) in positions.items() for q in qs
    }
    # A rating of a question the position later dropped is left out, as scoring does.
    rows = [r for r in _ratings(position_id) if (r[4], r[5]) in competency_of]
    counts = _submitted_counts(position_id)
    by_competency = stats.rater_means(
        ((candidate, competency_of[(pid, qid)]), rater, value)
        for _, candidate, rater, _, pid, qid, value in rows
    )
    by_question = stats.rater_means(
        ((candidate, qid), rater, value) for _, candidate, rater, _, _, qid, value in rows
    )
    names = {uid: name for uid, name, _, _ in counts}
    lines = _position_lines(positions, counts, rows)
    agreement = ()
    if position_id is not None:
        agreement = _agreement(positions[position_id][1], rows, by_competency, names)
    return Calibration(
        position=lines[0] if position_id is not None else None,
        interviewers=_interviewer_lines(counts, names, by_competency, by_question),
        agreement=agreement,
        positions=tuple(lines),
        submitted=sum(n for *_, n in counts),
    )


def _positions(position_id: int | None) -> dict[int, tuple[str, list]]:
    query = db.select(Position.id, Position.title, Position.questions).order_by(Position.title)
    if position_id is not None:
        query = query.where(Position.id == position_id)
    return {pid: (title, questions or []) for pid, title, questions in db.session.execute(query)}


def _ratings(position_id: int | None) -> list[tuple]:
    """Every 1–5 rating of a submitted interview, as (interview id, candidate id, interviewer
    id, submitted at, position id, question id, value)."""
    query = (
        db.select(
            Interview.id.label("interview_id"),
            Interview.candidate_id,
            Interview.interviewer_id,
            Interview.submitted_at,
            Candidate.position_id,
            Rating.question_id,
            Rating.value,
        )
        .join(Interview, Rating.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .where(
            Interview.status == "submitted",
            Rating.value.is_not(None),
            Rating.not_covered.is_(False),
        )
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    # Core rows (plain tuples), not the ORM's: this runs over every rating in scope.
    return [tuple(row) for row in db.session.connection().execute(query).all()]


def _submitted_counts(position_id: int | None) -> list[tuple[int, str, int, int]]:
    """(interviewer id, name, position id, submitted interviews) per interviewer and position."""
    query = (
        db.select(User.id, User.name, Candidate.position_id, func.count(Interview.id))
        .join(Interview, Interview.interviewer_id == User.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .where(Interview.status == "submitted")
        .group_by(User.id, User.name, Candidate.position_id)
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    return [tuple(row) for row in db.session.execute(query)]


def _interviewer_lines(counts, names, by_competency, by_question) -> tuple[InterviewerLine, ...]:
    submitted: dict[int, int] = {}
    for uid, _, _, n in counts:
        submitted[uid] = submitted.get(uid, 0) + n
    effects = stats.rater_effects(by_competency)
    on_questions = stats.rater_effects(by_question)
    lines = []
    for uid in submitted:
        questions = on_questions.get(uid)
        lines.append(
            InterviewerLine(
                id=uid,
                name=names[uid],
                submitted=submitted[uid],
                effect=effects.get(uid),
                question_disagreement=questions.disagreement if questions else NO_PAIRS,
                question_pairs=questions.pairs if questions else 0,
            )
        )
    # Shown values first, most lenient to most severe; then the rest by name.
    lines.sort(
        key=lambda x: (not x.shown, -(x.effect.leniency.value if x.shown else 0), x.name.lower())
    )
    return tuple(lines)


def _position_lines(positions, counts, rows) -> list[PositionLine]:
    submitted: dict[int, int] = {}
    for _, _, pid, n in counts:
        submitted[pid] = submitted.get(pid, 0) + n
    raters: dict[tuple[int, int], set[int]] = {}
    for _, candidate, rater, _, pid, _, _ in rows:
        raters.setdefault((pid, candidate), set()).add(rater)
    corated: dict[int, int] = {}
    for (pid, _), who in raters.items():
        corated[pid] = corated.get(pid, 0) + (len(who) >= 2)
    return [
        PositionLine(pid, title, submitted.get(pid, 0), corated.get(pid, 0))
        for pid, (title, _) in positions.items()
    ]


def _agreement(questions, rows, by_competency, names) -> tuple[CompetencyAgreement, ...]:
    """§3.2 per competency the position asks about, in the bank's order."""
    when: dict[tuple[int, int], tuple[datetime, int]] = {
        (candidate, rater): (submitted or datetime.min, interview)
        for interview, candidate, rater, submitted, *_ in rows
    }
    asked = {q["competency"] for q in questions}
    bank_names = {c.id: c.name for c in current_bank().competencies.values()}
    order = [c for c in bank_names if c in asked] + sorted(asked - bank_names.keys())
    per_competency: dict[str, dict] = {c: {} for c in order}
    for (candidate, competency), by in by_competency.items():
        per_competency[competency][candidate] = [
            (rater, score, when[(candidate, rater)]) for rater, score in by.items()
        ]
    result = []
    for competency in order:
        scores = per_competency[competency]
        found = stats.panel_agreement(scores)
        result.append(
            CompetencyAgreement(
                id=competency,
                name=bank_names.get(competency, competency),
                agreement=found,
                rater_names=tuple(names.get(r, str(r)) for r in found.raters),
                raters_needed=_raters_needed(found.single),
            )
        )
    return tuple(result)


def _raters_needed(single: stats.Stat) -> stats.Stat | None:
    if not single.defined:
        return None
    return stats.raters_needed(single.value, TARGET_RELIABILITY)
