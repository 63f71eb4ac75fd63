"""SCIENCE.md §6 quality flags: each raised by its crafted pattern, never by an honest one."""

import dataclasses

import pytest

from assessment.bank.model import Statement, ValidityItem
from assessment.scoring import (
    Evidence,
    ScenarioAnswer,
    StatementAnswer,
    quality,
    score_candidate,
)
from assessment.scoring.quality import Flag, longest_run, response_flags

EMAIL = ValidityItem("v_email", "infrequency", "I have never used e-mail", frozenset({4, 5}))
PATIENT = ValidityItem(
    "v_patient", "desirability", "I have never been impatient with anyone", frozenset({5})
)
ACCUSING = ("cheat", "lie", "lied", "careless", "fake", "dishonest", "fraud")


def statement(sid, competency="lead", reverse=False):
    return Statement(sid, competency, "000", f"I do {sid}", reverse)


def answers(values, ms=None, prefix="s"):
    ms = ms or [None] * len(values)
    return tuple(
        StatementAnswer(f"{prefix}{i}", v, ms=t, position=i)
        for i, (v, t) in enumerate(zip(values, ms, strict=True))
    )


def codes(check):
    return [f.code for f in check.flags]


def assert_plain(flag: Flag) -> None:
    """§9: flags state what was seen and are worth a look; they never accuse."""
    assert "worth a look" in flag.message
    words = flag.message.lower().replace(",", " ").replace(";", " ").split()
    assert not set(words) & set(ACCUSING)
    assert flag.code in quality.FLAG_CODES


# --- Too fast ----------------------------------------------------------------------------------

EXAMPLE_SECONDS = [1.2, 1.5, 0.9, 1.8, 1.1, 3.0, 4.2, 2.5, 5.0, 1.0]


def ms(seconds):
    return [round(s * 1000) for s in seconds]


def test_too_fast_example_statements():
    flag, why = quality.too_fast(ms(EXAMPLE_SECONDS), "statements", "too_fast_statements")
    assert why is None
    assert flag.code == "too_fast_statements"
    assert flag.message.startswith("6 of 10 statements answered in under 2 seconds")
    assert_plain(flag)


def test_too_fast_example_scenarios_through_response_flags():
    timed = tuple(
        ScenarioAnswer(f"x{i}", "A", "B", ms=t) for i, t in enumerate(ms(EXAMPLE_SECONDS))
    )
    check = response_flags((), (), timed, ())
    assert codes(check) == ["too_fast_scenarios"]
    assert check.flags[0].message.startswith("6 of 10 scenario items answered in under 2 seconds")


@pytest.mark.parametrize(
    ("seconds", "flagged"),
    [
        ([3.1, 4.0, 2.6, 5.2, 2.0, 3.3, 6.1, 2.2, 4.4, 3.0], False),  # honest reading pace
        ([1.0, 1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 3.0], True),  # half counts
        ([1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0], False),
        ([1.0, 1.0, 1.0, 60.0, 60.0], True),  # a long pause does not hide a fast stretch
    ],
)
def test_too_fast_rule(seconds, flagged):
    flag, why = quality.too_fast(ms(seconds), "statements", "too_fast_statements")
    assert (flag is not None) is flagged
    assert why is None


def test_too_fast_needs_five_timed_items():
    flag, why = quality.too_fast([500, 500, 500, 500, None, None], "statements", "x")
    assert flag is None
    assert why == "too-fast check on statements not evaluated: 4 timed (needs 5)"


def test_not_evaluated_is_reported_on_the_candidate_score():
    result = score_candidate(Evidence({"lead": 1}, {}, ()))
    assert "too-fast check on statements not evaluated: 0 timed (needs 5)" in result.not_evaluated


# --- Straight-lining ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "run"),
    [
        ((3, 3, 3, 3, 2, 4, 4), 4),
        ((), 0),
        ((1, 2, 3, 4, 5), 1),
        ((2, 2, None, 2, 2, 2), 3),  # a skipped item ends a run
        ((5, 4, 4, 4, 4, 4), 5),
    ],
)
def test_longest_run(values, run):
    assert longest_run(values)[0] == run


@pytest.mark.parametrize(("n", "threshold"), [(27, 10), (30, 10), (12, 6), (7, 4), (2, 2)])
def test_straight_line_threshold(n, threshold):
    assert quality.straight_line_threshold(n) == threshold


def _twenty_seven(run):
    """27 answers with one run of `run` identical answers, varied elsewhere."""
    varied = [1, 2, 3, 4, 5, 4, 2, 1, 5, 2, 4, 1, 5, 3, 1, 4, 2, 5, 1, 3, 2, 4, 5, 1, 3, 5, 2]
    return [*([4] * run), 1, *varied[: 27 - run - 1]]


@pytest.mark.parametrize(("run", "flagged"), [(10, True), (9, False)])
def test_straight_lining_of_27_statements(run, flagged):
    values = _twenty_seven(run)
    assert longest_run(values)[0] == run
    flag = quality.straight_lining(answers(values), 27)
    assert (flag is not None) is flagged
    if flag:
        assert flag.item == "s0"
        assert flag.message.startswith("10 statements in a row answered 4, of 27 statements")
        assert_plain(flag)


def test_straight_lining_follows_the_order_shown():
    shown = answers(_twenty_seven(10))
    shuffled = tuple(reversed(shown[::2] + shown[1::2]))  # stored in another order
    assert quality.straight_lining(shuffled, 27) is not None
    # Same stored order without positions: no run any more.
    unpositioned = tuple(dataclasses.replace(a, position=None) for a in shuffled)
    assert quality.straight_lining(unpositioned, 27) is None


def test_straight_lining_counts_validity_items():
    statements = tuple(statement(f"s{i}") for i in range(25))
    values = _twenty_seven(10)
    given = list(answers(values[:25]))
    # The validity items were shown 11th and 12th, extending a run of 8 statements to 10.
    given[8:8] = [
        StatementAnswer("v_email", 4, position=8),
        StatementAnswer("v_patient", 4, position=9),
    ]
    given = [dataclasses.replace(a, position=i) for i, a in enumerate(given)]
    check = response_flags(statements, (EMAIL, PATIENT), (), tuple(given))
    assert "straight_lining" in codes(check)


# --- Validity items ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value", "flagged"),
    [
        (EMAIL, 4, True),
        (EMAIL, 5, True),
        (EMAIL, 2, False),
        (PATIENT, 5, True),
        (PATIENT, 4, False),
    ],
)
def test_validity_failure(item, value, flagged):
    flags = quality.validity_failures((item,), (StatementAnswer(item.id, value),))
    assert bool(flags) is flagged
    if flagged:
        (flag,) = flags
        assert flag.item == item.id
        assert item.text in flag.message
        assert_plain(flag)


def test_validity_unanswered_is_no_failure():
    assert quality.validity_failures((EMAIL,), (StatementAnswer("v_email", None),)) == []


# --- Reverse-keyed inconsistency -----------------------------------------------------------


def keyed_block(competency, normal, reverse):
    items = [statement(f"{competency}{i}", competency) for i in range(len(normal))]
    items += [statement(f"{competency}r{i}", competency, True) for i in range(len(reverse))]
    given = [StatementAnswer(s.id, v) for s, v in zip(items, [*normal, *reverse], strict=True)]
    return items, given


def test_keyed_means_example():
    items, given = keyed_block("lead", [5, 5, 4], [5])
    p, q = quality.keyed_means(items, given)["lead"]
    assert (p, q) == pytest.approx((4.67, 1.0), abs=0.005)
    assert abs(p - q) >= 2  # inconsistent


def _blocks(*specs):
    items, given = [], []
    for competency, normal, reverse in specs:
        i, g = keyed_block(competency, normal, reverse)
        items += i
        given += g
    return tuple(items), tuple(given)


@pytest.mark.parametrize(
    ("specs", "flagged"),
    [
        ((("lead", [5, 5, 4], [5]), ("own", [4, 5, 4], [4])), True),  # agrees with everything
        ((("lead", [5, 5, 4], [5]), ("own", [4, 4, 5], [2])), False),  # only one inconsistent
        ((("lead", [5, 4, 4], [1]), ("own", [2, 3, 2], [4])), False),  # honest, consistent
        ((("lead", [5, 5, 4], []), ("own", [4, 5, 4], [])), False),  # no reverse answered
    ],
)
def test_reverse_inconsistency(specs, flagged):
    items, given = _blocks(*specs)
    flag = quality.reverse_inconsistency(items, given)
    assert (flag is not None) is flagged
    if flag:
        assert "on 2 competencies (lead: 4.7 vs 1.0; own: 4.3 vs 2.0)" in flag.message
        assert_plain(flag)


# --- Flags never change a score ---------------------------------------------------------------


def test_flags_never_change_a_score():
    items, given = _blocks(("lead", [5, 5, 4], [5]), ("own", [4, 5, 4], [4]))
    weights = {"lead": 1, "own": 1}
    honest = Evidence(weights, {}, (), statements=items, statement_answers=given)
    fast = tuple(dataclasses.replace(a, ms=300, position=i) for i, a in enumerate(given))
    flagged = dataclasses.replace(
        honest, validity=(EMAIL,), statement_answers=(*fast, StatementAnswer("v_email", 5))
    )
    plain, marked = score_candidate(honest), score_candidate(flagged)
    assert {"too_fast_statements", "validity_failed", "reverse_inconsistent"} <= {
        f.code for f in marked.flags
    }
    assert marked.competencies == plain.competencies
    assert marked.overall == plain.overall
