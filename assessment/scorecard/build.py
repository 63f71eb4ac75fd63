"""Build a candidate's scorecard from stored facts in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import contains_eager

from assessment import scoring
from assessment.bank.model import (
    InterviewQuestion,
    ScenarioItem,
    Statement,
    ValidityItem,
    frozen_map,
    item_from_snapshot,
)
from assessment.extensions import db
from assessment.insights.local_figures import figures_of
from assessment.interviews.recommendation import mean_rating
from assessment.models import Answer, Candidate, Interview, SelfAssessment, User
from assessment.models import Rating as RatingRow
from assessment.question_bank import current_bank
from assessment.scoring import NO_LOCAL_FIGURES, CandidateScore, Figures
from assessment.scoring.evidence import Evidence, Rating, ScenarioAnswer, StatementAnswer
from assessment.visibility import candidate_view

from .decision import decisions_on
from .model import (
    CandidateInfo,
    CandidateNotFound,
    CompetencyBlock,
    EvidenceSealed,
    InterviewInfo,
    PositionInfo,
    QuestionRow,
    RatingCell,
    Scorecard,
    SelfAssessmentInfo,
)


def interviewer_key(interviewer_id: int) -> str:
    """The stable string naming an interviewer in the evidence: their user id."""
    return str(interviewer_id)


def build_scorecard(candidate_id: int, viewer: User) -> Scorecard:
    """The scorecard, or EvidenceSealed (with why) when the viewer may not see it yet."""
    candidate = db.session.scalar(
        db.select(Candidate)
        .join(Candidate.position)
        .options(contains_eager(Candidate.position))
        .where(Candidate.id == candidate_id)
    )
    if candidate is None:
        raise CandidateNotFound(candidate_id)
    view = candidate_view(viewer, candidate)
    if not view.evidence:
        raise EvidenceSealed(view.sealed_because)
    interviews = _interviews(candidate_id)
    rows = _ratings(candidate_id)
    assessment = _latest_self_assessment(candidate_id)
    answers = _answers(assessment.id) if assessment else []
    figures = figures_of(candidate.position.id, scored_version(assessment))
    evidence = evidence_from(candidate.position, interviews, rows, assessment, answers, figures)
    score = scoring.score_candidate(evidence)
    return Scorecard(
        # Blind review: every output of the card (page, PDF, CSV, ZIP) shows the code.
        candidate=CandidateInfo(
            candidate.id,
            *view.identity(candidate),
            blind=not view.names,
            withdrawn_at=candidate.withdrawn_at,
            erased_at=candidate.erased_at,
        ),
        position=_position_info(candidate.position),
        interviews=tuple(_interview_info(i, rows) for i in interviews),
        interviewers=frozen_map(
            {interviewer_key(i.interviewer_id): i.interviewer.name for i in interviews}
        ),
        self_assessment=_assessment_info(assessment, answers),
        competencies=_blocks(evidence, score, rows, interviews),
        evidence=evidence,
        score=score,
        competency_names=current_bank().competency_names,
        view=view,
        decisions=decisions_on(candidate_id),
    )


def _interviews(candidate_id: int) -> list[Interview]:
    query = (
        db.select(Interview)
        .join(Interview.interviewer)
        .options(contains_eager(Interview.interviewer))
        .where(Interview.candidate_id == candidate_id)
        .order_by(Interview.scheduled_for.is_(None), Interview.scheduled_for, Interview.id)
    )
    return list(db.session.scalars(query))


def _ratings(candidate_id: int) -> list[RatingRow]:
    query = (
        db.select(RatingRow)
        .join(Interview, RatingRow.interview_id == Interview.id)
        .where(Interview.candidate_id == candidate_id)
        .order_by(RatingRow.id)
    )
    return list(db.session.scalars(query))


def _latest_self_assessment(candidate_id: int) -> SelfAssessment | None:
    query = (
        db.select(SelfAssessment)
        .where(SelfAssessment.candidate_id == candidate_id)
        .order_by(SelfAssessment.created_at.desc(), SelfAssessment.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def _answers(assessment_id: int) -> list[Answer]:
    query = db.select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.id)
    return list(db.session.scalars(query))


def is_rating(row: RatingRow) -> bool:
    """A saved value or an explicit "not covered"; a row with notes only is not a rating yet."""
    return row.value is not None or row.not_covered


def is_submitted(row) -> bool:
    """Only submitted evidence is scored: an interview or a self-assessment in progress is
    shown as such and counts nowhere (scores, raters, rankings, readings)."""
    return row is not None and row.status == "submitted"


def scored_version(assessment) -> str | None:
    """The bank version whose local figures band the self-assessment's parts, if scored."""
    return assessment.bank_version if is_submitted(assessment) else None


def evidence_from(
    position, interviews, rows, assessment, answers, figures: Figures = NO_LOCAL_FIGURES
) -> Evidence:
    """What scoring reads: the position's kit and questions, the ratings of submitted
    interviews, the answers of a submitted self-assessment, and the local figures."""
    questions = tuple(InterviewQuestion.from_snapshot(q) for q in position.questions)
    asked = {q.id for q in questions}
    who = {i.id: interviewer_key(i.interviewer_id) for i in interviews if is_submitted(i)}
    ratings = tuple(
        Rating(who[r.interview_id], r.question_id, r.value)
        for r in rows
        # a draft's ratings, and a question the position later dropped, are left out
        if r.interview_id in who and is_rating(r) and r.question_id in asked
    )
    items = [item_from_snapshot(s) for s in (assessment.items if assessment else ())]
    submitted = is_submitted(assessment)
    return Evidence(
        weights=frozen_map(position.weights),
        method_weights=frozen_map(position.method_weights or {}),
        questions=questions,
        ratings=ratings,
        scenarios=tuple(i for i in items if isinstance(i, ScenarioItem)),
        statements=tuple(i for i in items if isinstance(i, Statement)),
        validity=tuple(i for i in items if isinstance(i, ValidityItem)),
        **_answer_evidence(items, answers if submitted else ()),
        figures=figures,
        open_interviews=sum(1 for i in interviews if i.status == "in_progress"),
        self_assessment_open=assessment is not None and assessment.status == "in_progress",
    )


def _answer_evidence(items: Sequence, answers: Sequence[Answer]) -> dict[str, tuple]:
    kinds = {i.id: type(i) for i in items}
    scenario, statement = [], []
    for a in answers:
        kind = kinds.get(a.item_id)
        if kind is ScenarioItem:
            scenario.append(ScenarioAnswer(a.item_id, a.most, a.least, ms=a.ms_to_first_answer))
        elif kind in (Statement, ValidityItem):
            statement.append(StatementAnswer(a.item_id, a.value, a.ms_to_first_answer, a.position))
    return {"scenario_answers": tuple(scenario), "statement_answers": tuple(statement)}


def _position_info(position) -> PositionInfo:
    return PositionInfo(
        position.id, position.title, position.kit_id, position.bank_version, position.archived
    )


def _interview_info(interview: Interview, rows: Sequence[RatingRow]) -> InterviewInfo:
    own = [r for r in rows if r.interview_id == interview.id]
    rated = sum(1 for r in own if is_rating(r))
    submitted = interview.status == "submitted"
    return InterviewInfo(
        id=interview.id,
        interviewer=interviewer_key(interview.interviewer_id),
        interviewer_name=interview.interviewer.name,
        status=interview.status,
        scheduled_for=interview.scheduled_for,
        started_at=interview.started_at,
        submitted_at=interview.submitted_at,
        rated=rated,
        recommendation=interview.recommendation if submitted else None,
        key_evidence=(interview.key_evidence or "") if submitted else "",
        mean_rating=mean_rating(r.value for r in own),
    )


def answered_count(answers: Sequence) -> int:
    """Items with a complete answer: a 1-5 value, or both a most and a least pick."""
    return sum(1 for a in answers if a.value is not None or (a.most and a.least))


def _assessment_info(
    assessment: SelfAssessment | None, answers: Sequence[Answer]
) -> SelfAssessmentInfo | None:
    if assessment is None:
        return None
    answered = answered_count(answers)
    return SelfAssessmentInfo(
        id=assessment.id,
        status=assessment.status,
        created_at=assessment.created_at,
        submitted_at=assessment.submitted_at,
        answered=answered,
        total=len(assessment.items),
    )


def _blocks(
    evidence: Evidence,
    score: CandidateScore,
    rows: Sequence[RatingRow],
    interviews: Sequence[Interview],
) -> tuple[CompetencyBlock, ...]:
    """Per competency of the kit: its scores, its questions and each interviewer's entry."""
    who = {i.id: interviewer_key(i.interviewer_id) for i in interviews}
    cells: dict[str, dict[str, RatingCell]] = {}
    for r in rows:
        cell = RatingCell(r.value, r.not_covered, r.notes or "")
        cells.setdefault(r.question_id, {})[who[r.interview_id]] = cell
    names = current_bank().competency_names
    return tuple(
        CompetencyBlock(
            id=cs.competency,
            name=names.get(cs.competency, cs.competency),
            score=cs,
            questions=tuple(
                QuestionRow(q, frozen_map(cells.get(q.id, {})))
                for q in evidence.questions
                if q.competency == cs.competency
            ),
        )
        for cs in score.competencies
    )
