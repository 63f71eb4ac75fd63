"""From stored rows to scoring's Evidence, and the scorecard's small display rules."""

from __future__ import annotations

from types import SimpleNamespace as Row

from assessment.bank.model import (
    InterviewQuestion,
    ScenarioItem,
    ScenarioResponse,
    Statement,
    ValidityItem,
)
from assessment.scorecard.build import evidence_from, interviewer_key
from assessment.scorecard.model import InterviewInfo, RatingCell
from assessment.scoring.evidence import Rating, ScenarioAnswer, StatementAnswer

ANCHORS = {1: "one", 3: "three", 5: "five"}
Q1 = InterviewQuestion("q1", "lead", "behavioural", "000", "Tell me…", ("p",), ("l",), ANCHORS)
Q2 = InterviewQuestion("q2", "own", "situational", "001", "What if…", ("p",), ("l",), ANCHORS)
SCENARIO = ScenarioItem(
    "s1",
    "lead",
    "000",
    "A customer…",
    tuple(ScenarioResponse(x, x.upper(), k, "why") for x, k in (("a", 1), ("b", 3), ("c", 5))),
)
STATEMENT = Statement("st1", "lead", "000", "I call first.", reverse=False)
VALIDITY = ValidityItem("v1", "infrequency", "I have never used e-mail.", frozenset({4, 5}))


def position(questions=(Q1, Q2)):
    return Row(
        weights={"lead": 2.0, "own": 1.0},
        method_weights={},
        questions=[q.snapshot() for q in questions],
    )


def rating(interview_id, qid, value=None, not_covered=False, notes=""):
    return Row(
        interview_id=interview_id,
        question_id=qid,
        value=value,
        not_covered=not_covered,
        notes=notes,
    )


def answer(item_id, most=None, least=None, value=None, ms=None, pos=None):
    return Row(
        item_id=item_id, most=most, least=least, value=value, ms_to_first_answer=ms, position=pos
    )


INTERVIEWS = [
    Row(id=10, interviewer_id=7, status="submitted"),
    Row(id=11, interviewer_id=8, status="submitted"),
]


def test_every_saved_rating_counts_once_under_its_interviewer():
    rows = [
        rating(10, "q1", 4),
        rating(10, "q2", not_covered=True),
        rating(11, "q1", 2),
        rating(11, "q2", notes="typed a note, no rating yet"),
        rating(11, "gone", 5),  # a question the position no longer asks
    ]
    evidence = evidence_from(position(), INTERVIEWS, rows, None, [])
    assert evidence.questions == (Q1, Q2)
    assert set(evidence.ratings) == {
        Rating("7", "q1", 4),
        Rating("7", "q2", None),
        Rating("8", "q1", 2),
    }
    assert dict(evidence.weights) == {"lead": 2.0, "own": 1.0}
    assert not evidence.method_weights  # scoring falls back to its defaults
    assert interviewer_key(7) == "7"


def test_answers_follow_the_items_the_candidate_was_shown():
    assessment = Row(
        items=[SCENARIO.snapshot(), STATEMENT.snapshot(), VALIDITY.snapshot()], status="submitted"
    )
    answers = [
        answer("s1", most="c", least="a", ms=4000, pos=0),
        answer("st1", value=4, ms=2500, pos=1),
        answer("v1", value=1, ms=3000, pos=2),
        answer("unknown", value=3),
    ]
    evidence = evidence_from(position(), INTERVIEWS, [], assessment, answers)
    assert evidence.scenarios == (SCENARIO,)
    assert evidence.statements == (STATEMENT,)
    assert evidence.validity == (VALIDITY,)
    assert evidence.scenario_answers == (ScenarioAnswer("s1", "c", "a", ms=4000),)
    assert evidence.statement_answers == (
        StatementAnswer("st1", 4, 2500, 1),
        StatementAnswer("v1", 1, 3000, 2),
    )


def test_drafts_are_counted_but_never_scored():
    interviews = [INTERVIEWS[0], Row(id=11, interviewer_id=8, status="in_progress")]
    rows = [rating(10, "q1", 4), rating(11, "q1", 2), rating(11, "q2", 5)]
    evidence = evidence_from(position(), interviews, rows, None, [])
    assert evidence.ratings == (Rating("7", "q1", 4),)  # the draft's 2 and 5 are left out
    assert evidence.open_interviews == 1
    assessment = Row(items=[STATEMENT.snapshot()], status="in_progress")
    evidence = evidence_from(position(), [], [], assessment, [answer("st1", value=4)])
    assert evidence.statements == (STATEMENT,)  # the items count towards "0 of 1"
    assert evidence.statement_answers == ()
    assert evidence.self_assessment_open is True


def test_without_a_self_assessment_there_are_no_items():
    evidence = evidence_from(position(), [], [], None, [])
    assert evidence.scenarios == evidence.statements == evidence.validity == ()
    assert evidence.ratings == ()


def test_a_rating_cell_says_what_was_saved():
    assert RatingCell(4, False, "").text == "4"
    assert RatingCell(None, True, "ran out of time").text == "not covered"
    assert RatingCell(None, False, "a note").text == "not rated yet"


def test_an_interview_is_open_until_submitted():
    info = InterviewInfo(1, "7", "Maya", "in_progress", None, None, None, 3)
    assert not info.submitted and info.status_text == "in progress"
    assert InterviewInfo(1, "7", "Maya", "submitted", None, None, None, 3).submitted
