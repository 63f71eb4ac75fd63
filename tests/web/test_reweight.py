"""New weights for a position: every summary is reweighed from its stored parts, reading no
evidence, and ends up exactly as recomputing every candidate from the evidence leaves it."""

from __future__ import annotations

from assessment.comparison.refresh import fill_missing, refresh_position
from assessment.comparison.summary_model import CandidateSummary, CompetencySummary
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.interviews.services import RatingInput, record_ratings, submit_interview
from assessment.models import Interview, Position
from assessment.positions.panels import assign_panel
from assessment.positions.services import save_position_setup
from assessment.question_bank import current_bank
from assessment.selfassess.answers import (
    AnswerInput,
    record_answer,
    record_consent,
    submit_assessment,
)
from assessment.selfassess.invites import create_invite
from tests.web.helpers import statements_during


def rate(candidate, interviewer, value_of, submit: bool = True) -> None:
    """The interviewer's ratings: value_of(competency) → "1".."5" for each question."""
    interview = db.session.scalar(
        db.select(Interview).where(
            Interview.candidate_id == candidate.id, Interview.interviewer_id == interviewer.id
        )
    )
    entries = [RatingInput(q["id"], value_of(q["competency"]), "Heard.") for q in interview.items]
    entries.append(RatingInput("recommendation", "yes", "Heard."))  # needed to submit
    record_ratings(interview.id, interviewer, entries)
    if submit:
        submit_interview(interview.id, interviewer)


def self_assess(candidate, hr, value: str) -> None:
    assessment, _ = create_invite(candidate.id, hr)
    record_consent(assessment.id)
    for number, item in enumerate(assessment.items, 1):
        if item["type"] == "scenario":
            ids = [r["id"] for r in item["responses"]]
            record_answer(assessment.id, number, AnswerInput(most=ids[0], least=ids[-1]))
        else:
            record_answer(assessment.id, number, AnswerInput(value=value))
    submit_assessment(assessment.id)


def candidates_with_evidence(position, make_candidate, make_user, hr) -> list:
    """Four candidates: interviewers who disagree on "lead", a self-view far above the panel,
    one interview only, and nothing yet."""
    one, two = make_user("manager"), make_user("manager")
    split, gap, single, empty = (make_candidate(position, name=n) for n in "ABCD")
    assign_panel(split.id, {one.id: None, two.id: None}, hr)
    rate(split, one, lambda c: "5" if c == "lead" else "4")
    rate(split, two, lambda c: "2" if c == "lead" else "3")
    assign_panel(gap.id, {one.id: None}, hr)
    rate(gap, one, lambda c: "2")
    self_assess(gap, hr, "5")
    assign_panel(single.id, {two.id: None}, hr)
    rate(single, two, lambda c: "4" if c in ("trust", "own") else "3", submit=False)
    with write_transaction():
        fill_missing(position.id)  # the one without evidence
    return [split, gap, single, empty]


def stored(position) -> tuple[dict, set]:
    """Every summary of the position (but the time it was written) and its sort rows."""
    db.session.expire_all()
    summaries = {
        row.candidate_id: {
            c.name: getattr(row, c.name) for c in row.__table__.columns if c.name != "updated_at"
        }
        for row in db.session.scalars(
            db.select(CandidateSummary).where(CandidateSummary.position_id == position.id)
        )
    }
    sort_rows = {
        (r.candidate_id, r.competency, r.score, r.sem)
        for r in db.session.scalars(
            db.select(CompetencySummary).where(CompetencySummary.position_id == position.id)
        )
    }
    return summaries, sort_rows


def rebuilt(position, people) -> tuple[dict, set]:
    with write_transaction():
        refresh_position(position.id)
    return stored(position)


def test_new_weights_reweigh_the_stored_parts_like_a_full_rebuild(
    app, users, make_position, make_candidate, make_user
):
    hr = users["hr"]
    position = make_position()
    people = candidates_with_evidence(position, make_candidate, make_user, hr)
    before, _ = stored(position)
    assert len(before) == 4 and before[people[0].id]["flag_codes"] == ",disagreement,"
    assert "self_gap" in before[people[1].id]["flag_codes"]
    weights = {c: w for c, w in db.session.get(Position, position.id).weights.items()}
    weights.update(lead=6.0, trust=0.5, own=0)  # "own" leaves the kit

    bank = current_bank()
    sql = statements_during(lambda: save_position_setup(position.id, weights, None, bank, hr))
    assert not [s for s in sql if " rating" in s or " answer" in s]  # no evidence read
    cheap = stored(position)
    summaries, sort_rows = cheap
    assert {c for _, c, _, _ in sort_rows} == {c for c, w in weights.items() if w}
    assert summaries[people[0].id]["overall"] != before[people[0].id]["overall"]
    assert rebuilt(position, people) == cheap


def test_a_competency_weighed_again_is_scored_from_the_evidence(
    app, users, make_position, make_candidate, make_user
):
    hr = users["hr"]
    position = make_position()
    people = candidates_with_evidence(position, make_candidate, make_user, hr)
    kit = dict(db.session.get(Position, position.id).weights)
    save_position_setup(position.id, {**kit, "process": 0}, None, current_bank(), hr)
    assert "process" not in stored(position)[0][people[0].id]["competencies"]

    sql = statements_during(lambda: save_position_setup(position.id, kit, None, current_bank(), hr))
    assert [s for s in sql if " rating" in s]  # its parts were not kept: read again
    again = stored(position)
    assert "process" in again[0][people[0].id]["competencies"]
    assert rebuilt(position, people) == again
