"""Interviewer calibration from submitted interviews, in three queries.

Leniency and disagreement per interviewer (SCIENCE §5) and, per position × competency,
panel agreement as an ICC (§3.2). Only submitted interviews count, and "not covered" is
never a rating. The statistics are stats.raters' and stats.agreement's; this module
only gathers the facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from assessment.extensions import db
from assessment.models import Candidate, Interview, Position, Rating, User
from assessment.question_bank import current_bank
from assessment.scoring import stats
from assessment.scoring.stats import agreement as stats_agreement
from assessment.scoring.stats import raters as stats_raters

from .band_figures import BandFigures, band_figures

TARGET_RELIABILITY = 0.80  # §3.3: how many interviewers a panel needs to reach this
NO_PAIRS = stats.undefined("no co-rated questions")


@dataclass(frozen=True)
class InterviewerLine:
    id: int
    name: str
    submitted: int  # submitted interviews (in scope)
    effect: stats_raters.RaterEffect | None  # None: never on a panel with a colleague who submitted
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
    agreement: stats_agreement.PanelAgreement
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
    bands: BandFigures | None = None  # what the one position's bands use now

    @property
    def min_corated(self) -> int:
        return stats_raters.MIN_CORATED

    @property
    def target(self) -> float:
        return TARGET_RELIABILITY


class PositionNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PanelScores:
    """The submitted interviews in scope and the interviewer scores they give (SCIENCE
    §2.1's I_ci): what calibration and the local figures (local_figures.py) read."""

    positions: dict[int, tuple[str, list]]  # id → (title, question snapshots)
    interviews: list[tuple]  # (interview, interviewer, name, candidate, position, submitted)
    rows: list[tuple]  # (candidate, question, position, interviewer, value) per rating
    by_competency: dict  # (candidate, competency) → {interviewer: I_ci}


def panel_scores(position_id: int | None = None) -> PanelScores:
    """Every submitted interview of one position (or all) and its interviewer scores."""
    positions = _positions(position_id)
    competency_of = {
        (pid, q["id"]): q["competency"] for pid, (_, qs) in positions.items() for q in qs
    }
    # A rating of a question the position later dropped is left out, as scoring does.
    rows = [r for r in _ratings(position_id) if (r[2], r[1]) in competency_of]
    by_competency = stats_raters.rater_means(
        ((candidate, competency_of[(pid, qid)]), rater, value)
        for candidate, qid, pid, rater, value in rows
    )
    return PanelScores(positions, _interviews(position_id), rows, by_competency)


def calibration(position_id: int | None = None) -> Calibration:
    """The calibration of one position, or (position_id None) across every position."""
    found = panel_scores(position_id)
    if position_id is not None and not found.positions:
        raise PositionNotFound(position_id)
    interviews, by_competency = found.interviews, found.by_competency
    names = {uid: name for _, uid, name, *_ in interviews}
    lines = _position_lines(found.positions, interviews, by_competency)
    agreement, bands = (), None
    if position_id is not None:
        agreement = _agreement(found.positions[position_id][1], interviews, by_competency, names)
        bands = band_figures(position_id, [a.id for a in agreement])
    return Calibration(
        position=lines[0] if position_id is not None else None,
        interviewers=_interviewer_lines(interviews, names, by_competency, _by_question(found.rows)),
        agreement=agreement,
        positions=tuple(lines),
        submitted=len(interviews),
        bands=bands,
    )


def _positions(position_id: int | None) -> dict[int, tuple[str, list]]:
    query = db.select(Position.id, Position.title, Position.questions).order_by(Position.title)
    if position_id is not None:
        query = query.where(Position.id == position_id)
    return {pid: (title, questions or []) for pid, title, questions in db.session.execute(query)}


def _submitted(query, position_id: int | None):
    """Only submitted interviews (joined to their candidate), of one position if given."""
    query = query.join(Candidate, Interview.candidate_id == Candidate.id).where(
        Interview.status == "submitted"
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    return query


def _interviews(position_id: int | None) -> list[tuple]:
    """Every submitted interview in scope, as (interview id, interviewer id, interviewer name,
    candidate id, position id, submitted at)."""
    columns = (Interview.id, User.id, User.name, Interview.candidate_id, Candidate.position_id)
    query = db.select(*columns, Interview.submitted_at).join(
        User, Interview.interviewer_id == User.id
    )
    return [tuple(row) for row in db.session.execute(_submitted(query, position_id))]


def _ratings(position_id: int | None) -> list[tuple]:
    """Every 1–5 rating of a submitted interview, as (candidate id, question id, position id,
    interviewer id, value), ordered by candidate and question: one question's panel in a run."""
    columns = (Interview.candidate_id, Rating.question_id, Candidate.position_id)
    query = (
        db.select(*columns, Interview.interviewer_id, Rating.value)
        .join(Interview, Rating.interview_id == Interview.id)
        .where(Rating.value.is_not(None), Rating.not_covered.is_(False))
        .order_by(Interview.candidate_id, Rating.question_id)
    )
    # Core rows streamed into plain tuples: this runs over every rating in scope, and a
    # list of the driver's row objects would keep the garbage collector busy.
    return [tuple(row) for row in db.session.connection().execute(_submitted(query, position_id))]


def _by_question(rows: list[tuple]) -> Iterator[tuple[tuple, dict]]:
    """((candidate, question), {interviewer: rating}) per question panel, one at a time.

    An interviewer has one interview of a candidate and rates a question once in it, so the
    rating is that interviewer's score on the question (stats_raters.rater_means' value).
    """
    for target, run in groupby(rows, key=itemgetter(0, 1)):
        yield target, {rater: value for _, _, _, rater, value in run}


def _interviewer_lines(interviews, names, by_competency, by_question) -> tuple:
    submitted = Counter(uid for _, uid, *_ in interviews)
    effects = stats_raters.rater_effects(by_competency.items())
    on_questions = stats_raters.rater_effects(by_question)
    lines = []
    for uid, n in submitted.items():
        questions = on_questions.get(uid)
        lines.append(
            InterviewerLine(
                id=uid,
                name=names[uid],
                submitted=n,
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


def _position_lines(positions, interviews, by_competency) -> list[PositionLine]:
    submitted = Counter(pid for *_, pid, _ in interviews)
    position_of = {candidate: pid for *_, candidate, pid, _ in interviews}
    raters: dict[int, set] = {}  # interviewers with a rating that counts, per candidate
    for (candidate, _), by in by_competency.items():
        raters.setdefault(candidate, set()).update(by)
    corated = Counter(position_of[c] for c, who in raters.items() if len(who) >= 2)
    return [
        PositionLine(pid, title, submitted[pid], corated[pid])
        for pid, (title, _) in positions.items()
    ]


def panel_agreements(
    questions, interviews, by_competency
) -> dict[str, stats_agreement.PanelAgreement]:
    """§3.2 per competency the position asks about, in the bank's order."""
    # Each interview's place in submission order (ties: the earlier interview), as a number.
    order_of = sorted(interviews, key=lambda i: (i[5] or datetime.min, i[0]))
    when = {(candidate, rater): n for n, (_, rater, _, candidate, *_) in enumerate(order_of)}
    order = current_bank().in_order({q["competency"] for q in questions})
    per_competency: dict[str, dict] = {c: {} for c in order}
    for (candidate, competency), by in by_competency.items():
        per_competency[competency][candidate] = [
            (rater, score, when[(candidate, rater)]) for rater, score in by.items()
        ]
    return {c: stats_agreement.panel_agreement(per_competency[c]) for c in order}


def _agreement(questions, interviews, by_competency, names) -> tuple[CompetencyAgreement, ...]:
    bank_names = current_bank().competency_names
    result = []
    for competency, found in panel_agreements(questions, interviews, by_competency).items():
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
