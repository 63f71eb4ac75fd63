"""Keep the summary rows current: recompute them from stored facts, one or thousands at once.

Every service that changes a candidate's scores or statuses calls `refresh_summary` inside
its own write transaction, after the change, so the row and its facts commit together.
The facts are read with a handful of queries per chunk of candidates, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select

from assessment import scoring
from assessment.database import upsert_statement
from assessment.extensions import db
from assessment.insights.local_figures import bank_scope, position_scope, stored, to_figures
from assessment.models import (
    Answer,
    Candidate,
    Decision,
    Interview,
    Position,
    Rating,
    SelfAssessment,
    utcnow,
)
from assessment.scorecard.build import evidence_from, scored_version

from .cells import render_cells
from .summary_model import CandidateSummary, CompetencySummary
from .summary_rows import summary_values

CHUNK = 500  # candidates per round of queries: well inside any bound-parameter limit


def refresh_summary(candidate_id: int) -> None:
    """Recompute one candidate's summary in the caller's write transaction.

    Call it after the change (a rating, a submit, a decision ...) and before the commit.
    On PostgreSQL it first locks the row, so two saves for the same candidate at the same
    moment take turns and the second one reads what the first one committed.
    """
    refresh_summaries([candidate_id], lock=True)


def refresh_summaries(candidate_ids: Iterable[int], lock: bool = False) -> int:
    """Recompute the summaries of these candidates (in chunks); returns how many."""
    session = db.session
    session.flush()  # what the caller changed must be visible to the reads below
    dialect = session.get_bind().dialect.name
    done = 0
    positions: dict[int, Any] = {}
    for chunk in _chunks(sorted(set(candidate_ids))):
        if lock and dialect == "postgresql":
            session.execute(
                select(CandidateSummary.candidate_id)
                .where(CandidateSummary.candidate_id.in_(chunk))
                .with_for_update()
            )
        summaries, competencies = _rows(chunk, positions)
        _write(summaries, competencies, dialect)
        done += len(summaries)
    return done


def refresh_position(position_id: int) -> int:
    """Every candidate of a position, e.g. after its weights changed (the rows of a
    competency that left the kit go too)."""
    ids = db.session.scalars(select(Candidate.id).where(Candidate.position_id == position_id))
    done = refresh_summaries(list(ids))
    weights = db.session.scalar(select(Position.weights).where(Position.id == position_id))
    drop_unweighted(position_id, weights or {})
    return done


def drop_unweighted(position_id: int, weights: Iterable[str]) -> None:
    """Delete the position's competency rows of competencies it no longer weighs."""
    db.session.execute(
        delete(CompetencySummary).where(
            CompetencySummary.position_id == position_id,
            CompetencySummary.competency.not_in(list(weights)),
        )
    )


def fill_missing(position_id: int | None = None) -> int:
    """Summaries for the candidates (of one position, or all) that have none yet."""
    query = select(Candidate.id).where(
        ~select(CandidateSummary.candidate_id)
        .where(CandidateSummary.candidate_id == Candidate.id)
        .exists()
    )
    if position_id is not None:
        query = query.where(Candidate.position_id == position_id)
    return refresh_summaries(list(db.session.scalars(query)))


def rebuild_all() -> int:
    """Every candidate's summary, from scratch, after every local figure (`flask
    rebuild-summaries`)."""
    from .figures_refresh import compute_all_figures  # it re-bands through this module

    compute_all_figures()
    return refresh_summaries(list(db.session.scalars(select(Candidate.id))))


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _group(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


IDS = bindparam("ids", expanding=True)


def _of(model, names: str, key, *order):
    """SELECT model's columns `names` WHERE key IN (:ids) ORDER BY order."""
    columns = [getattr(model, name) for name in names.split()]
    return select(*columns).where(key.in_(IDS)).order_by(*order)


# The fact queries, built once: one candidate's refresh runs with every save, and building
# a statement costs about as much as running it.
POSITIONS = _of(Position, "id weights method_weights questions", Position.id)
CANDIDATES = _of(Candidate, "id position_id", Candidate.id)
INTERVIEWS = _of(
    Interview, "id candidate_id interviewer_id status", Interview.candidate_id, Interview.id
)
RATINGS = (
    _of(Rating, "interview_id question_id value not_covered", Interview.candidate_id, Rating.id)
    .add_columns(Interview.candidate_id)
    .join_from(Rating, Interview, Rating.interview_id == Interview.id)
)
ASSESSMENTS = _of(
    SelfAssessment,
    "id candidate_id status items revoked_at expires_at bank_version",
    SelfAssessment.candidate_id,
    SelfAssessment.created_at,
    SelfAssessment.id,
)
# What the summary reads of an answer beyond its keys: a save that changes none of these
# leaves the summary as it is (selfassess/answers.py).
ANSWER_READS = ("most", "least", "value", "ms_to_first_answer", "position")
ANSWERS = _of(
    Answer, " ".join(("assessment_id", "item_id", *ANSWER_READS)), Answer.assessment_id, Answer.id
)
DECISIONS = _of(
    Decision, "candidate_id decision created_at", Decision.candidate_id, Decision.created_at
).order_by(Decision.id)


def _positions(position_ids: set[int], known: dict[int, Any]) -> dict[int, Any]:
    missing = position_ids - known.keys()
    if missing:
        rows = db.session.execute(POSITIONS, {"ids": list(missing)})
        known.update({row.id: row for row in rows})
    return known


def _facts(chunk: list[int]) -> dict[str, Any]:
    """Everything scoring reads for these candidates, in six queries (five without any
    self-assessment)."""

    def rows(query, ids):
        return db.session.execute(query, {"ids": ids}).all() if ids else []

    assessments = _latest(rows(ASSESSMENTS, chunk))
    return {
        "candidates": rows(CANDIDATES, chunk),
        "interviews": _group(rows(INTERVIEWS, chunk), "candidate_id"),
        "ratings": _group(rows(RATINGS, chunk), "candidate_id"),
        "assessments": assessments,
        "answers": _group(rows(ANSWERS, [a.id for a in assessments.values()]), "assessment_id"),
        "decisions": _latest(rows(DECISIONS, chunk)),
    }


def _latest(rows: Iterable[Any]) -> dict[int, Any]:
    """candidate id → the last of its rows (the rows come oldest first)."""
    return {row.candidate_id: row for row in rows}


def _figures(facts: dict[str, Any]) -> dict[tuple, Any]:
    """(position id, bank version or None) → the Figures banding those candidates; one query
    for the chunk."""
    pairs = {
        (c.position_id, scored_version(facts["assessments"].get(c.id))) for c in facts["candidates"]
    }
    scopes = {position_scope(p) for p, _ in pairs} | {bank_scope(v) for _, v in pairs if v}
    found = stored(scopes)
    return {
        (p, v): to_figures(found.get(position_scope(p)), found.get(bank_scope(v)) if v else None)
        for p, v in pairs
    }


def _rows(chunk: list[int], positions: dict[int, Any]) -> tuple[list[dict], list[dict]]:
    facts = _facts(chunk)
    _positions({c.position_id for c in facts["candidates"]}, positions)
    figures = _figures(facts)
    now = utcnow()
    summaries, competencies = [], []
    for candidate in facts["candidates"]:
        position = positions[candidate.position_id]
        interviews = facts["interviews"].get(candidate.id, [])
        assessment = facts["assessments"].get(candidate.id)
        answers = facts["answers"].get(assessment.id, []) if assessment else []
        banding = figures[(position.id, scored_version(assessment))]
        evidence = evidence_from(
            position,
            interviews,
            facts["ratings"].get(candidate.id, []),
            assessment,
            answers,
            banding,
        )
        row, by_competency = summary_values(
            candidate.id,
            position,
            scoring.score_candidate(evidence),
            [i.status for i in interviews],
            assessment,
            answers,
            facts["decisions"].get(candidate.id),
            now,
            banding,
        )
        row["cells"] = render_cells(row, list(position.weights))
        summaries.append(row)
        competencies += by_competency
    return summaries, competencies


def _write(summaries: list[dict], competencies: list[dict], dialect: str) -> None:
    """Upsert the summary rows and their competency rows."""
    session = db.session
    if summaries:
        table = CandidateSummary.__table__
        session.execute(upsert_statement(table, dialect, ("candidate_id",)), summaries)
    if competencies:
        keys = ("candidate_id", "competency")
        session.execute(upsert_statement(CompetencySummary.__table__, dialect, keys), competencies)
