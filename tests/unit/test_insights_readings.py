"""The words on the calibration and bank-quality pages (assessment.insights.readings): the
thresholds that highlight a statement or a scenario item, against hand-made counts."""

import pytest

from assessment.bank.model import ScenarioItem, ScenarioResponse
from assessment.insights import readings
from assessment.scoring.stats import Stat
from assessment.scoring.stats.items import ItemSummary, PickCounts


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.6, "rates 0.6 higher than their panels"),
        (-0.44, "rates 0.4 lower than their panels"),
        (1.25, "rates 1.3 higher than their panels"),  # one decimal, rounded half up
        (0.04, "rates in line with their panels"),
        (-0.04, "rates in line with their panels"),
    ],
)
def test_leniency_words_spell_out_the_sign(value, words):
    assert readings.leniency_words(value) == words


def test_not_enough_says_how_many_more():
    assert readings.not_enough(12, 30, "candidates") == (
        "not enough data yet (12 of 30 candidates; 18 more needed)"
    )


def test_alpha_below_70_is_a_problem():
    assert readings.alpha_problem(0.70) is None
    assert "0.69 is below 0.70" in readings.alpha_problem(0.69)
    assert "0.00 is below 0.70" in readings.alpha_problem(0.0)


def test_a_negative_alpha_says_what_it_means_not_a_lower_bound():
    problem = readings.alpha_problem(-0.125)
    assert problem.startswith("α = -0.13 is negative: the statements vary against each other")
    assert "do not hang together" in problem and "lower bound" not in problem
    assert readings.scenario_alpha_note(0.4) == "a lower bound"
    assert "not a lower bound" in readings.scenario_alpha_note(-0.2)


def test_leniency_words_round_half_up():
    assert readings.leniency_words(0.25) == "rates 0.3 higher than their panels"
    assert readings.leniency_words(-0.04) == "rates in line with their panels"


# --- statements -------------------------------------------------------------------------------


def _summary(n, mean, sd):
    return ItemSummary(n, mean, Stat(sd))


@pytest.mark.parametrize(
    ("summary", "r", "expected"),
    [
        (_summary(40, 3.2, 1.0), 0.45, []),
        (_summary(40, 3.2, 1.0), -0.05, ["reverse-keyed"]),
        (_summary(40, 3.2, 1.0), 0.05, ["below 0.10"]),
        (_summary(40, 3.2, 1.0), 0.10, []),  # .10 itself is not below
        (_summary(40, 4.6, 0.7), None, ["almost everyone agrees"]),
        (_summary(40, 1.4, 0.7), None, ["almost everyone disagrees"]),
        (_summary(40, 3.0, 0.4), None, ["barely vary"]),
        (_summary(40, 4.5, 0.45), -0.2, ["reverse-keyed", "agrees", "barely vary"]),
        (None, None, []),  # nothing shown, nothing judged
    ],
)
def test_statement_problems(summary, r, expected):
    problems = readings.statement_problems(summary, r)
    assert len(problems) == len(expected)
    for problem, words in zip(problems, expected, strict=True):
        assert words in problem


# --- scenario items ---------------------------------------------------------------------------


def scenario(item_id: str, keys: dict[str, int]) -> ScenarioItem:
    """A scenario item with the given expert key per response."""
    responses = tuple(ScenarioResponse(rid, f"Response {rid}", k, "") for rid, k in keys.items())
    competency = item_id.split("-")[0]
    return ScenarioItem(item_id, competency, "000", "A customer…", responses)


# SCIENCE §2.2's keys: A = 2, B = 5, C = 3, D = 4, E = 1.
ITEM = scenario("lead-sjt-9", {"a": 2, "b": 5, "c": 3, "d": 4, "e": 1})


def _counts(most, least):
    return PickCounts(sum(most.values()), most, least)


def test_a_healthy_scenario_item_has_no_problem():
    counts = _counts(
        {"a": 5, "b": 60, "c": 10, "d": 20, "e": 5}, {"a": 25, "b": 3, "c": 10, "d": 2, "e": 60}
    )
    assert readings.scenario_problems(ITEM, counts, 78.0) == []


def test_scenario_problems_name_each_bad_behaviour():
    # b is keyed best (5) but picked as least 40 times and as most 20; e (keyed worst) the
    # reverse; c is never picked; the mean is no better than chance.
    counts = _counts(
        {"a": 30, "b": 20, "c": 0, "d": 10, "e": 40}, {"a": 30, "b": 40, "c": 0, "d": 25, "e": 5}
    )
    problems = readings.scenario_problems(ITEM, counts, 45.0)
    assert problems == [
        "nobody picks response c (key 3), as most or as least",
        "the keyed best response b (key 5) is picked as LEAST effective more often (40) than "
        "as MOST (20): check the key",
        "the keyed worst response e (key 1) is picked as MOST effective more often (40) than "
        "as LEAST (5): check the key",
        "respondents do no better than random picks (mean item score 45; chance is 50): "
        "check the key",
    ]


def test_rare_responses_and_too_easy_items():
    most = {"a": 0, "b": 194, "c": 5, "d": 1, "e": 0}
    least = {"a": 5, "b": 0, "c": 0, "d": 1, "e": 194}
    problems = readings.scenario_problems(ITEM, _counts(most, least), 93.0)
    assert problems == [
        "response d (key 4) is picked by only 2 of 200 respondents (under 2%): it does little work",
        "nearly everyone finds the key (mean item score 93 of 100): it hardly tells candidates "
        "apart",
    ]


def test_a_tie_at_the_bottom_of_the_key_is_not_judged():
    tied = scenario("own-sjt-9", {"a": 2, "b": 2, "c": 5})
    counts = _counts({"a": 6, "b": 4, "c": 30}, {"a": 2, "b": 38, "c": 0})
    assert readings.scenario_problems(tied, counts, 80.0) == []
