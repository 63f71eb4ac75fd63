"""Hand-computed numbers for the measurement model (docs/scoring.md): reliability stepped by
the ratings and items behind a part, the methods on one scale, the overall's band with
correlated errors, local figures with their source, drafts, and NaN refused."""

import math

import pytest

from assessment.scoring import (
    Estimate,
    Evidence,
    Figures,
    Norm,
    Part,
    Rating,
    StatementAnswer,
    combine_overall,
    score_candidate,
    score_interview,
    score_scenario,
    score_self,
    stats,
)
from assessment.scoring.combine import NO_INTERVIEW
from assessment.scoring.figures import DEFAULT_R1
from assessment.scoring.stats import NotANumber
from tests.unit.test_scoring import (
    LEAD_QUESTIONS,
    interview_evidence,
    question,
    scenario_evidence,
    statement,
)

TOL = 0.005
R1_QUESTION = 0.44 / (2 - 0.44)  # .282051: one interviewer, one question
R1_STATEMENT = 0.70 / (4 - 3 * 0.70)  # .368421


def sb(r1, m):
    return m * r1 / (1 + (m - 1) * r1)


# --- defaults, stepped down to one rating ------------------------------------------------------


def test_defaults_are_science_figures_stepped_down_to_one_rating():
    assert DEFAULT_R1["interview"] == pytest.approx(0.282051, abs=1e-6)
    assert DEFAULT_R1["scenario"] == pytest.approx(0.25)
    assert DEFAULT_R1["self"] == pytest.approx(0.368421, abs=1e-6)
    assert stats.step_down(0.702128, 6).value == pytest.approx(R1_QUESTION, abs=1e-6)


# --- stepped reliability: raters × questions, items --------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "r", "sem"),
    [
        (([4],), 0.2821, 16.946),  # one interviewer, one question: 20·√(1 − .282)
        (([4, 4, 4],), 0.5410, 13.550),  # one interviewer, three questions
        (([4, 4], [4, 4]), 0.6111, 12.472),  # SCIENCE §4: two interviewers, ±0.98 on 1–5
        (([4, 4], [4, 4], [4, 4]), 0.7021, 10.916),  # three: SCIENCE's 10.92
        (([4], [4, 4, 4]), 0.5410, 13.550),  # 1 and 3 questions: 2 × harmonic mean 1.5 = 3
    ],
)
def test_interview_reliability_steps_by_raters_and_questions(ratings, r, sem):
    part = score_interview(interview_evidence(*ratings), "lead")
    assert part.reliability == pytest.approx(r, abs=1e-4)
    assert part.sem == pytest.approx(sem, abs=TOL)
    assert part.band == pytest.approx((75 - 1.96 * part.sem, min(100, 75 + 1.96 * part.sem)))


def test_one_question_gives_a_wider_band_than_three():
    one = score_interview(interview_evidence([3, None, None, None]), "lead")
    three = score_interview(interview_evidence([3, 3, 3, None]), "lead")
    assert one.score == three.score == 50
    assert one.band == pytest.approx((50 - 1.96 * 16.946, 50 + 1.96 * 16.946), abs=0.01)
    assert three.band == pytest.approx((50 - 1.96 * 13.550, 50 + 1.96 * 13.550), abs=0.01)


def test_effective_ratings_is_raters_times_harmonic_mean():
    assert stats.effective_ratings([2, 2, 2]) == pytest.approx(6)
    assert stats.effective_ratings([1, 3]) == pytest.approx(3)
    assert stats.effective_ratings([4]) == pytest.approx(4)
    with pytest.raises(ValueError):
        stats.effective_ratings([])


def self_evidence(values, n_items=4, **extra):
    items = tuple(statement(f"s{i}") for i in range(n_items))
    answers = tuple(StatementAnswer(s.id, v) for s, v in zip(items, values, strict=False))
    return Evidence({"lead": 1}, {}, (), statements=items, statement_answers=answers, **extra)


@pytest.mark.parametrize(
    ("values", "r", "sem"),
    [
        ((4, 4, 4, 4), 0.70, 10.954),  # the planning value .70 at four statements
        ((4, 4), 0.5385, 13.587),  # two of four: SB(.368, 2)
    ],
)
def test_self_report_reliability_steps_by_statements_answered(values, r, sem):
    part = score_self(self_evidence(values), "lead")
    assert part.reliability == pytest.approx(r, abs=1e-4)
    assert part.sem == pytest.approx(sem, abs=TOL)
    assert part.ratings == len(values)


@pytest.mark.parametrize(("answered", "r", "sem"), [(3, 0.50, 14.142), (2, 0.40, 15.492)])
def test_scenario_reliability_steps_by_items_answered(answered, r, sem):
    items, answers = scenario_evidence([100, 75, 75][:answered], n_items=3)
    part = score_scenario(
        Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers), "lead"
    )
    assert part.reliability == pytest.approx(r, abs=1e-4)
    assert part.sem == pytest.approx(sem, abs=TOL)


# --- one scale ---------------------------------------------------------------------------------


def test_default_rescaling_places_methods_on_the_interview_scale():
    items, answers = scenario_evidence([100, 75, 75, 75, 75], n_items=5)  # raw 80
    scenario = score_scenario(
        Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers), "lead"
    )
    assert scenario.raw == pytest.approx(80)
    assert scenario.score == pytest.approx(55)  # 50 + 20·(80 − 75)/20
    view = score_self(self_evidence((4, 4, 3, 3)), "lead")  # raw 62.5
    assert view.score == pytest.approx(42.5)  # 50 + 20·(62.5 − 70)/20
    assert view.default_reliability is True


def test_local_norms_standardise_against_the_norm_group():
    figures = Figures(
        norms={("lead", "interview"): Norm(55, 15, 40), ("lead", "scenario"): Norm(76, 12, 45)}
    )
    items, answers = scenario_evidence([100, 87.5, 75, 87.5], n_items=4)  # raw 87.5
    part = score_scenario(
        Evidence({"lead": 1}, {}, (), scenarios=items, scenario_answers=answers, figures=figures),
        "lead",
    )
    assert part.score == pytest.approx(55 + 15 * (87.5 - 76) / 12)  # 69.375
    assert part.sem == pytest.approx(15 * math.sqrt(1 - sb(0.25, 4)))  # SD of the common scale
    assert str(part.scale_source) == "this company's data, n = 40"  # the smaller n
    assert str(part.reliability_source) == "default"
    assert part.default_reliability is True


def test_a_rescaled_score_is_shown_within_0_to_100():
    part = score_self(self_evidence((1, 1, 1, 1)), "lead")  # raw 0 → −20
    assert part.score == 0
    assert part.band[0] == 0


# --- local figures -----------------------------------------------------------------------------


def test_local_reliability_and_norm_replace_the_defaults_with_their_source():
    figures = Figures(
        r1={("lead", "interview"): Estimate(0.40, 34, "ICC(2,1) = .57 over 2 questions")},
        norms={("lead", "interview"): Norm(55, 16, 41)},
    )
    part = score_interview(interview_evidence([4, 4], [4, 4], figures=figures), "lead")
    r = sb(0.40, 4)  # .727273
    assert part.reliability == pytest.approx(r)
    assert part.sem == pytest.approx(16 * math.sqrt(1 - r))  # 8.3485
    assert part.default_reliability is False
    assert str(part.reliability_source) == "this company's data, n = 34"
    assert part.reliability_source.basis.startswith("ICC(2,1)")


def test_no_local_agreement_means_no_reliability_and_the_widest_band():
    figures = Figures(r1={("lead", "interview"): Estimate(-0.2, 34)})
    part = score_interview(interview_evidence([4], [4], figures=figures), "lead")
    assert part.reliability == 0
    assert part.sem == pytest.approx(20)


# --- the overall: interview required, correlated errors ----------------------------------------


def test_overall_worked_example():
    """docs/scoring.md's example: A weight 2, B weight 1, default method weights, defaults."""
    qa = tuple(question(f"a{i}", "A") for i in range(2))
    qb = tuple(question(f"b{i}", "B") for i in range(2))
    ratings = [Rating(who, q.id, 4) for who in "XYZ" for q in qa]
    ratings += [Rating(who, q.id, 3) for who in "XY" for q in qb]
    a_items, a_answers = scenario_evidence([100, 75, 75, 75, 75], "A", 5)  # raw 80 → 55
    b_items, b_answers = scenario_evidence([62.5, 62.5, 62.5, 75, 37.5], "B", 5)  # 60 → 35
    a_self = tuple(statement(f"as{i}", "A") for i in range(5))
    b_self = tuple(statement(f"bs{i}", "B") for i in range(4))
    self_answers = tuple(
        StatementAnswer(s.id, v) for s, v in zip(a_self, (4, 4, 4, 4, 3), strict=True)
    )  # raw 70 → 50
    evidence = Evidence(
        weights={"A": 2, "B": 1},
        method_weights={},
        questions=qa + qb,
        ratings=tuple(ratings),
        scenarios=a_items + b_items,
        statements=a_self + b_self,
        scenario_answers=a_answers + b_answers,
        statement_answers=self_answers,
    )
    result = score_candidate(evidence)
    expected = {
        ("A", "interview"): (75, 10.9155),
        ("A", "scenario"): (55, 12.2474),
        ("A", "self"): (50, 10.1058),
        ("B", "interview"): (50, 12.4722),
        ("B", "scenario"): (35, 12.2474),
    }
    for (c, m), (score, sem) in expected.items():
        part = result.competency(c).part(m)
        assert (part.score, part.sem) == (pytest.approx(score), pytest.approx(sem, abs=1e-4))
    overall = result.overall
    assert overall.score == pytest.approx(171.25 / 2.85)  # 60.09
    # Σ(w/W)²·SEM² = 34.920; the two interview parts' errors correlate .30: + 7.241
    assert overall.sem == pytest.approx(6.4932, abs=1e-4)  # independent errors: 5.9093
    assert overall.band == pytest.approx((47.361, 72.814), abs=1e-3)
    assert overall.label == "inconclusive"
    assert overall.missing == (("B", "self"),)
    assert overall.error_correlations["interview"][0] == 0.30
    assert "self" not in overall.error_correlations  # one self-view part: nothing to correlate


def _part(c, method, score, sem):
    band = stats.band(score, sem, 0, 100)
    reason = None if score is not None else "insufficient evidence"
    return Part(c, method, score, sem, band, True, 0, 0, reason)


def test_correlated_errors_widen_the_overall():
    parts = [(_part("A", "interview", 60, 10), 1), (_part("B", "interview", 60, 10), 1)]
    # √(.25·100 + .25·100 + 2·.25·.30·100) = √65; independent: √50
    assert combine_overall(parts).sem == pytest.approx(math.sqrt(65))
    halo = Figures(error_corr={"interview": Estimate(0.5, 40)})
    assert combine_overall(parts, halo).sem == pytest.approx(math.sqrt(75))
    across_methods = [(_part("A", "interview", 60, 10), 1), (_part("B", "self", 60, 10), 1)]
    assert combine_overall(across_methods).sem == pytest.approx(math.sqrt(50))


def test_an_overall_needs_the_interview():
    weighted = [
        (_part("A", "interview", None, None), 0.2),
        (_part("A", "scenario", 80, 14.14), 0.4),
        (_part("A", "self", 70, 10.95), 0.4),
    ]
    overall = combine_overall(weighted)
    assert overall.score is None and overall.band is None and overall.label is None
    assert overall.reason == NO_INTERVIEW


def test_overall_at_exactly_half_the_weight_is_shown():
    weighted = [
        (_part("A", "interview", 60, 10), 0.35),
        (_part("A", "scenario", None, None), 0.5),
        (_part("A", "self", 70, 10), 0.15),
    ]
    overall = combine_overall(weighted)
    assert overall.score == pytest.approx(63)  # (.35·60 + .15·70) / .5
    assert overall.sem == pytest.approx(math.sqrt(0.7**2 * 100 + 0.3**2 * 100))


def test_under_half_the_weight_is_insufficient_and_rounds_half_up():
    weighted = [(_part("A", "interview", 60, 10), 0.445), (_part("A", "self", None, None), 0.555)]
    overall = combine_overall(weighted)
    assert overall.reason == (
        "insufficient evidence: the parts present carry 45% of the weight (needs 50%)"
    )


def test_composite_reliability_mosier_with_correlated_errors():
    from assessment.scoring.stats.composite import composite_reliability

    def observed(_i, _j):
        return 0.5

    def errors(_i, _j):
        return 0.3

    def none(_i, _j):
        return 0.0

    # SEM_i² = 400·.2 = 80; Var(E) = 20 + 20 + 2·.25·.3·80 = 52; Var(C) = 100 + 100 + 100
    found = composite_reliability([0.5, 0.5], [20, 20], [0.8, 0.8], observed, errors)
    assert found.value == pytest.approx(1 - 52 / 300)  # .8267
    mosier = composite_reliability([0.5, 0.5], [20, 20], [0.8, 0.8], observed, none)
    assert mosier.value == pytest.approx(1 - 40 / 300)  # .8667: Mosier's own formula


# --- drafts ------------------------------------------------------------------------------------


def test_an_interview_in_progress_is_not_counted_and_says_so():
    evidence = Evidence({"lead": 1}, {}, LEAD_QUESTIONS, open_interviews=1)
    part = score_interview(evidence, "lead")
    assert part.score is None
    assert part.reason == (
        "insufficient evidence: no submitted interview yet (1 in progress, not counted)"
    )


def test_a_submitted_interview_that_skipped_the_competency_says_so_beside_the_draft():
    ratings = (Rating("A", "lq1", None), Rating("A", "lq2", None))  # both "not covered"
    evidence = Evidence({"lead": 1}, {}, LEAD_QUESTIONS[:2], ratings=ratings, open_interviews=1)
    assert score_interview(evidence, "lead").reason == (
        "insufficient evidence: 0 of 2 interview questions rated (needs 1); "
        "1 in progress, not counted"
    )


def test_a_self_assessment_in_progress_is_not_counted_and_says_so():
    part = score_self(self_evidence((), self_assessment_open=True), "lead")
    assert part.score is None
    assert part.reason == "insufficient evidence: self-assessment in progress, not counted"


# --- NaN anywhere: a clear refusal -------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: stats.sem(float("nan"), 0.5),
        lambda: stats.sem(20, float("nan")),
        lambda: stats.band(50, float("nan"), 0, 100),
        lambda: stats.band(float("nan"), 5, 0, 100),
        lambda: stats.advisory_label(float("nan"), float("nan")),
        lambda: stats.spearman_brown(float("nan"), 3),
        lambda: stats.not_reliably_different(50, float("nan"), 5, 5),
        lambda: stats.difference_threshold(float("inf"), 5),
        lambda: Estimate(float("nan"), 40),
        lambda: Norm(50, float("nan"), 40),
        lambda: score_candidate(Evidence({"lead": float("nan")}, {}, LEAD_QUESTIONS)),
        lambda: score_candidate(Evidence({"lead": 1}, {"interview": float("inf")}, ())),
        lambda: combine_overall([(_part("A", "interview", 60, 10), float("nan"))]),
    ],
)
def test_nan_is_refused_never_a_band(call):
    with pytest.raises(NotANumber, match="not a number"):
        call()
