"""Hand-computed examples of SCIENCE.md §2, §4 and §7 against assessment.scoring."""

import dataclasses
import math

import pytest

from assessment.bank.model import (
    METHODS,
    InterviewQuestion,
    ScenarioItem,
    ScenarioResponse,
    Statement,
    ValidityItem,
)
from assessment.scoring import (
    METHOD_SCORERS,
    Evidence,
    Rating,
    ScenarioAnswer,
    StatementAnswer,
    needed,
    scenario_item_score,
    score_candidate,
    score_interview,
    score_scenario,
    score_self,
)

TOL = 0.005


# --- builders ------------------------------------------------------------------------------


def question(qid, competency="lead"):
    anchors = {1: "one", 3: "three", 5: "five"}
    return InterviewQuestion(qid, competency, "behavioural", "000", "Tell me", (), (), anchors)


def scenario(sid, keys=(2, 5, 3, 4, 1), competency="lead"):
    responses = tuple(
        ScenarioResponse(rid, f"response {rid}", k, "why")
        for rid, k in zip("ABCDE", keys, strict=False)
    )
    return ScenarioItem(sid, competency, "000", "A situation", responses)


def statement(sid, competency="lead", reverse=False):
    return Statement(sid, competency, "000", f"I do {sid}", reverse)


EMAIL = ValidityItem("v_email", "infrequency", "I have never used e-mail", frozenset({4, 5}))
LEAD_QUESTIONS = tuple(question(f"lq{i}") for i in range(1, 5))


def interview_evidence(*by_interviewer, questions=LEAD_QUESTIONS, **extra):
    """Ratings from lists per interviewer: the i-th value rates the i-th question."""
    ratings = tuple(
        Rating(chr(ord("A") + n), questions[i].id, v)
        for n, values in enumerate(by_interviewer)
        for i, v in enumerate(values)
    )
    return Evidence({"lead": 1.0}, {}, questions, ratings=ratings, **extra)


def picks_for(score, keys=(2, 5, 3, 4, 1)):
    """A (most, least) pair giving this 0–100 item score for the keys."""
    r = max(keys) - min(keys)
    for most in "ABCDE"[: len(keys)]:
        for least in "ABCDE"[: len(keys)]:
            s = keys["ABCDE".index(most)] - keys["ABCDE".index(least)]
            if most != least and math.isclose(100 * (s + r) / (2 * r), score):
                return most, least
    raise AssertionError(score)


def scenario_evidence(item_scores, competency="lead", n_items=3):
    items = tuple(scenario(f"{competency}_s{i}", competency=competency) for i in range(n_items))
    answers = tuple(ScenarioAnswer(items[i].id, *picks_for(x)) for i, x in enumerate(item_scores))
    return items, answers


# --- §2.1 Interview ---------------------------------------------------------------------------


def test_interview_lead_example():
    part = score_interview(interview_evidence([4, 3, None, 5], [3, 3, 4, 2], [4, 4]), "lead")
    assert dict(part.by_interviewer) == pytest.approx({"A": 4.0, "B": 3.0, "C": 4.0})
    assert part.panel == pytest.approx(3.667, abs=TOL)
    assert part.score == pytest.approx(66.7, abs=0.05)
    assert part.spread == pytest.approx(1.0)
    assert part.disagreement is False
    assert part.single_interviewer is False
    assert (part.answered, part.total) == (4, 4)


def test_not_covered_is_never_low():
    part = score_interview(interview_evidence([4, None, None, None]), "lead")
    assert part.panel == 4.0


def test_each_interviewer_counts_once():
    part = score_interview(interview_evidence([5, 5, 5, 5], [1]), "lead")
    assert part.panel == pytest.approx(3.0)  # not (20 + 1) / 5


@pytest.mark.parametrize(
    ("ratings", "scores", "flag"),
    [
        (([1], [4], [5]), (1, 4, 5), True),
        (([3], [4], [4]), (3, 4, 4), False),
        (([2], [4]), (2, 4), True),  # 2 is the boundary
        (([2, 3], [4, 4, 5]), (2.5, 4.33), False),
        (([2, 3, 2], [4, 4, 4]), (2.33, 4.0), False),
        (([1, 2, 2], [4, 3, 4]), (1.67, 3.67), True),  # range 2 from thirds
    ],
)
def test_disagreement_flag_cases(ratings, scores, flag):
    evidence = interview_evidence(*ratings)
    part = score_interview(evidence, "lead")
    got = [s for s in part.by_interviewer.values()]
    assert got == pytest.approx(list(scores), abs=TOL)
    assert part.disagreement is flag
    codes = [f.code for f in score_candidate(evidence).flags]
    assert ("disagreement" in codes) is flag


def test_disagreement_flag_message_states_what_was_seen():
    result = score_candidate(interview_evidence([1], [4], [5]))
    (flag,) = [f for f in result.flags if f.code == "disagreement"]
    assert flag.competency == "lead"
    assert "from 1.0 to 5.0" in flag.message
    assert "worth a look" in flag.message


def test_single_interviewer_is_marked_and_disagreement_not_evaluated():
    part = score_interview(interview_evidence([4, 3]), "lead")
    assert part.single_interviewer is True
    assert part.spread is None
    assert part.disagreement is None  # not evaluated, not "agreement"
    assert part.score == pytest.approx(62.5)


def test_interviewer_without_a_rating_on_the_competency():
    questions = (*LEAD_QUESTIONS, question("tq1", "trust"))
    ratings = (Rating("A", "lq1", 4), Rating("B", "tq1", 2), Rating("B", "lq2", None))
    evidence = Evidence({"lead": 1, "trust": 1}, {}, questions, ratings=ratings)
    part = score_interview(evidence, "lead")
    assert dict(part.by_interviewer) == {"A": 4.0, "B": None}
    assert part.single_interviewer is True


@pytest.mark.parametrize("ratings", [(), ([None, None, None, None],)])
def test_interview_without_ratings_is_insufficient_never_zero(ratings):
    part = score_interview(interview_evidence(*ratings), "lead")
    assert part.score is None and part.panel is None and part.band is None
    assert part.reason == "insufficient evidence: 0 of 4 interview questions rated (needs 1)"
    assert part.disagreement is None


# --- §2.2 Scenario items ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("most", "least", "expected"),
    [("D", "E", 87.5), ("B", "E", 100), ("E", "B", 0), ("C", "A", 62.5)],
)
def test_scenario_item_table(most, least, expected):
    item = scenario("s1")
    assert item.key_range == 4
    assert scenario_item_score(item, ScenarioAnswer("s1", most, least)) == pytest.approx(expected)


def test_scenario_competency_83_3():
    items = tuple(scenario(f"s{i}") for i in range(3))
    picks = [("D", "E"), ("C", "A"), ("B", "E")]  # 87.5, 62.5, 100
    answers = tuple(ScenarioAnswer(i.id, m, le) for i, (m, le) in zip(items, picks, strict=True))
    evidence = Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers)
    part = score_scenario(evidence, "lead")
    assert part.raw == pytest.approx(83.3, abs=0.05)  # on the scenarios' own 0–100
    assert (part.answered, part.total, part.reason) == (3, 3, None)


def test_tied_top_keys_both_earn_full_credit():
    item = scenario("s1", keys=(5, 5, 1, 3))
    assert scenario_item_score(item, ScenarioAnswer("s1", "A", "C")) == 100
    assert scenario_item_score(item, ScenarioAnswer("s1", "B", "C")) == 100


@pytest.mark.parametrize(("most", "least"), [("A", None), (None, "B"), (None, None)])
def test_scenario_item_needs_both_picks(most, least):
    assert scenario_item_score(scenario("s1"), ScenarioAnswer("s1", most, least)) is None


@pytest.mark.parametrize(("most", "least"), [("A", "A"), ("Z", "B"), ("A", "Z"), ("Z", None)])
def test_scenario_bad_picks_raise(most, least):
    with pytest.raises(ValueError):
        scenario_item_score(scenario("s1"), ScenarioAnswer("s1", most, least))


def test_scenario_item_with_equal_keys_raises():
    with pytest.raises(ValueError):
        scenario_item_score(scenario("s1", keys=(3, 3, 3)), ScenarioAnswer("s1", "A", "B"))


# --- §2.3 Self-report -----------------------------------------------------------------------


def test_self_report_example_75():
    items = (statement("a"), statement("b"), statement("c", reverse=True), statement("d"))
    answers = tuple(StatementAnswer(s.id, v) for s, v in zip(items, (4, 5, 2, 3), strict=True))
    evidence = Evidence({"lead": 1}, {}, (), statements=items, statement_answers=answers)
    assert score_self(evidence, "lead").raw == pytest.approx(75)


def test_validity_items_are_never_scored():
    items = (statement("a"), statement("b"))
    answers = (StatementAnswer("a", 4), StatementAnswer("b", 4))
    base = Evidence({"lead": 1}, {}, (), statements=items, statement_answers=answers)
    with_validity = dataclasses.replace(
        base, validity=(EMAIL,), statement_answers=(*answers, StatementAnswer("v_email", 5))
    )
    assert score_self(base, "lead").raw == score_self(with_validity, "lead").raw == 75


# --- §7 Minimum data --------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "need"), [(1, 2), (2, 2), (3, 2), (4, 2), (5, 3), (8, 4)])
def test_needed(total, need):
    assert needed(total) == need


def test_scenario_insufficient_reason():
    items, answers = scenario_evidence([87.5], n_items=3)
    evidence = Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers)
    part = score_scenario(evidence, "lead")
    assert part.score is None and part.sem is None and part.band is None
    assert part.reason == "insufficient evidence: 1 of 3 scenario items answered (needs 2)"


def test_half_of_the_items_is_required():
    items, answers = scenario_evidence([87.5, 100], n_items=5)
    part = score_scenario(
        Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers), "lead"
    )
    assert part.reason == "insufficient evidence: 2 of 5 scenario items answered (needs 3)"


def test_a_one_sided_pick_does_not_count_as_answered():
    items = tuple(scenario(f"s{i}") for i in range(3))
    answers = (ScenarioAnswer("s0", "B", "E"), ScenarioAnswer("s1", "B", None))
    part = score_scenario(
        Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers), "lead"
    )
    assert part.score is None
    assert part.answered == 1


def test_self_report_insufficient_reason():
    items = tuple(statement(s) for s in "abcd")
    answers = (StatementAnswer("a", 5), StatementAnswer("b", None))
    part = score_self(
        Evidence({"lead": 1}, {}, (), statements=items, statement_answers=answers), "lead"
    )
    assert part.score is None
    assert part.reason == "insufficient evidence: 1 of 4 statements answered (needs 2)"


def test_no_items_for_a_method():
    part = score_scenario(Evidence({"lead": 1}, {}, ()), "lead")
    assert part.score is None
    assert part.reason == "insufficient evidence: no scenario items for this competency"


# --- §2.4 Self-view gap ----------------------------------------------------------------------


def self_gap_evidence(interview_values, self_values):
    items = tuple(statement(f"st{i}") for i in range(len(self_values)))
    answers = tuple(StatementAnswer(s.id, v) for s, v in zip(items, self_values, strict=True))
    return interview_evidence(*interview_values, statements=items, statement_answers=answers)


# On the common scale (docs/scoring.md): with no norm group, self-view = 50 + (raw − 70),
# the interview unchanged. Applicants' usual self-view (raw 70) sits level with anchor 3.
@pytest.mark.parametrize(
    ("interview", "self_values", "gap", "flag"),
    [
        (([3], [3]), (4, 4), 5, False),  # raw 75 → 55, vs 50: the old scale said 25, flagged
        (([3], [3]), (5, 5), 30, True),  # raw 100 → 80
        (([3], [3]), (5, 5, 5, 5, 4), 25, True),  # raw 95 → 75: the boundary flags
        (([3], [4]), (5, 5), 17.5, False),  # panel 62.5
        (([2], [2]), (4, 4), 30, True),  # panel 25
        (([5], [5]), (1, 1), -100, False),  # raw 0 → −20, shown as 0: only above flags
    ],
)
def test_self_gap(interview, self_values, gap, flag):
    result = score_candidate(self_gap_evidence(interview, self_values))
    cs = result.competency("lead")
    assert cs.self_gap == pytest.approx(gap)
    assert cs.self_gap_flag is flag
    flags = [f for f in result.flags if f.code == "self_gap"]
    assert bool(flags) is flag
    if flag:
        assert "difference in views" in flags[0].message
        assert flags[0].competency == "lead"


def test_self_gap_not_evaluated_without_both_parts():
    cs = score_candidate(self_gap_evidence((), (5, 5))).competency("lead")
    assert cs.self_gap is None
    assert cs.self_gap_flag is None


# --- Structure and validation -------------------------------------------------------------


def test_method_registry_covers_every_method():
    assert tuple(METHOD_SCORERS) == METHODS
    assert METHOD_SCORERS["interview"] is score_interview


def test_competencies_follow_the_weights_order():
    weights = {"trust": 1, "lead": 3, "own": 2}
    result = score_candidate(Evidence(weights, {}, ()))
    assert [c.competency for c in result.competencies] == ["trust", "lead", "own"]
    assert result.competency("own").weight == 2
    with pytest.raises(KeyError):
        result.competency("process")


def test_results_are_frozen():
    result = score_candidate(interview_evidence([4]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.overall.score = 0


@pytest.mark.parametrize(
    "evidence",
    [
        interview_evidence([6]),
        interview_evidence([0]),
        Evidence({"lead": 1}, {}, LEAD_QUESTIONS, ratings=(Rating("A", "nope", 3),)),
        Evidence({"lead": 1}, {}, LEAD_QUESTIONS, ratings=(Rating("A", "lq1", 3),) * 2),
        Evidence({"lead": 1}, {}, (), statement_answers=(StatementAnswer("nope", 3),)),
        Evidence({"lead": 1}, {}, (), scenario_answers=(ScenarioAnswer("nope", "A", "B"),)),
        Evidence({"lead": -1}, {}, ()),
        Evidence(
            {"lead": 1},
            {},
            (),
            statements=(statement("a"),),
            statement_answers=(StatementAnswer("a", 3, ms=-5),),
        ),
    ],
)
def test_invalid_evidence_raises(evidence):
    with pytest.raises(ValueError):
        score_candidate(evidence)
