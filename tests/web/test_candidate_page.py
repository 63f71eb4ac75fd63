"""The candidate page: scores from the one scorecard model, sealed until one's own submit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from assessment import scoring
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Answer, Candidate, Interview, SelfAssessment, utcnow
from assessment.models import Rating as RatingRow
from assessment.scorecard import build_scorecard
from assessment.scoring.evidence import Evidence, Rating, ScenarioAnswer, StatementAnswer
from assessment.scoring.rounding import number

SEALED = "Submit your own interview first: ratings stay sealed until then."
NOT_ON_PANEL = "You are not on this candidate&#39;s interview panel"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def panel(users, make_user, make_candidate, make_interview):
    """A support-lead candidate with a panel of two managers: (candidate, mine, theirs)."""
    candidate = make_candidate()
    mine = make_interview(candidate, users["manager"])
    theirs = make_interview(candidate, make_user("manager", name="Rita Rater"))
    return candidate, mine, theirs


def rate(interview, qid, value, notes="", not_covered=False):
    with write_transaction() as session:
        session.add(
            RatingRow(
                interview_id=interview.id,
                question_id=qid,
                value=value,
                notes=notes,
                not_covered=not_covered,
            )
        )
        session.get(Interview, interview.id).status = "in_progress"


def submit(interview):
    with write_transaction() as session:
        row = session.get(Interview, interview.id)
        row.status, row.submitted_at = "submitted", utcnow()


def questions_of(bank, kit_id="support-lead"):
    return [bank.questions[q] for q in bank.kits[kit_id].questions]


def self_assessment(candidate, items, answers, status="submitted"):
    """A self-assessment showing `items`, answered with {item id: value or (most, least)}."""
    with write_transaction() as session:
        sa = SelfAssessment(
            candidate_id=candidate.id,
            status=status,
            bank_version="test",
            items=[i.snapshot() for i in items],
            seed=1,
        )
        session.add(sa)
        session.flush()
        for n, (item_id, given) in enumerate(answers.items()):
            most, least = given if isinstance(given, tuple) else (None, None)
            value = None if isinstance(given, tuple) else given
            session.add(
                Answer(
                    assessment_id=sa.id,
                    item_id=item_id,
                    most=most,
                    least=least,
                    value=value,
                    position=n,
                    ms_to_first_answer=5000 + n,
                )
            )
    return sa


def overall_on_page(page: str) -> str | None:
    match = re.search(r'class="overall-score">(\d+)<', page)
    return match.group(1) if match else None


def page_of(client, candidate):
    return client.get(f"/candidates/{candidate.id}")


def test_the_overall_is_scoring_on_the_same_evidence(client, login, users, panel, bank):
    candidate, mine, theirs = panel
    questions = questions_of(bank)
    for n, q in enumerate(questions):
        rate(mine, q.id, 3 + n % 3, "Clear example")
        if n % 4:  # one question in four left unrated by the colleague, who has not submitted
            rate(theirs, q.id, 2 + n % 2, "Some evidence")
    rate(theirs, questions[0].id, None, "Ran out of time", not_covered=True)
    submit(mine)
    scenarios = list(bank.scenarios.values())[:6]
    statements = list(bank.statements.values())[:8]
    validity = list(bank.validity.values())[:1]
    picks = {s.id: (s.responses[0].id, s.responses[1].id) for s in scenarios}
    values = {s.id: 1 + n % 5 for n, s in enumerate([*statements, *validity])}
    self_assessment(candidate, [*scenarios, *statements, *validity], {**picks, **values})

    kit = bank.kits["support-lead"]
    expected = scoring.score_candidate(
        Evidence(
            weights=dict(kit.weights),
            method_weights=dict(kit.method_weights),
            questions=tuple(questions),
            # Only the submitted interview: the colleague's draft shows and counts nowhere.
            ratings=tuple(
                Rating(str(users["manager"].id), q.id, 3 + n % 3) for n, q in enumerate(questions)
            ),
            scenarios=tuple(scenarios),
            statements=tuple(statements),
            validity=tuple(validity),
            scenario_answers=tuple(
                ScenarioAnswer(i, m, least, ms=5000 + n)
                for n, (i, (m, least)) in enumerate(picks.items())
            ),
            statement_answers=tuple(
                StatementAnswer(i, v, 5000 + len(picks) + n, len(picks) + n)
                for n, (i, v) in enumerate(values.items())
            ),
            open_interviews=1,
        )
    )
    assert expected.overall.score is not None and expected.flags

    card = build_scorecard(candidate.id, users["hr"])  # the model the page renders
    assert card.score.overall.score == pytest.approx(expected.overall.score)
    assert card.score.overall.band == pytest.approx(expected.overall.band)
    for got, want in zip(card.score.competencies, expected.competencies, strict=True):
        for method in ("interview", "scenario", "self"):
            assert got.part(method).score == pytest.approx(want.part(method).score)
    assert [f.message for f in card.score.flags] == [f.message for f in expected.flags]

    login(users["hr"])
    response = page_of(client, candidate)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert overall_on_page(page) == number(expected.overall.score)
    assert expected.overall.label in page
    assert "[{}–{}]".format(*map(number, expected.overall.band)) in page
    for cs in expected.competencies:
        for method in ("interview", "scenario", "self"):
            part = cs.part(method)
            if part.score is not None:
                assert "[{}–{}]".format(*map(number, part.band)) in page
    assert "Clear example" in page and "Some evidence" in page and "not covered" in page
    assert "in progress, not counted" in page  # the colleague's interview is still open


def test_the_score_changes_as_interviews_are_submitted(client, login, users, panel, bank):
    candidate, mine, theirs = panel
    questions = questions_of(bank)
    for q in questions:
        rate(mine, q.id, 3)
    login(users["hr"])
    page = page_of(client, candidate).get_data(as_text=True)
    assert overall_on_page(page) is None  # a draft counts nowhere
    assert "no submitted interview yet (1 in progress, not counted)" in page
    submit(mine)
    page = page_of(client, candidate).get_data(as_text=True)
    assert overall_on_page(page) == "50"
    assert "Left out (no score yet): scenarios and self-view (every competency)." in page
    for q in questions:
        rate(theirs, q.id, 5, "Outstanding, with numbers")
    page = page_of(client, candidate).get_data(as_text=True)
    assert overall_on_page(page) == "50"  # their draft is shown, not counted
    assert "Outstanding, with numbers" in page and "in progress, not counted" in page
    submit(theirs)
    assert overall_on_page(page_of(client, candidate).get_data(as_text=True)) == "75"


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admins_see_the_page(client, login, users, panel, bank, role):
    candidate, mine, _ = panel
    rate(mine, questions_of(bank)[0].id, 4, "Called the customer first")
    login(users[role])
    response = page_of(client, candidate)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert candidate.name in page and "Called the customer first" in page
    assert "Rita Rater" in page
    assert f"/candidates/{candidate.id}/debrief" in page


def test_a_panellist_who_has_not_submitted_sees_nothing(client, login, users, panel, bank):
    candidate, mine, theirs = panel
    q = questions_of(bank)[0]
    rate(theirs, q.id, 5, "Colleague's secret observation")
    submit(theirs)
    rate(mine, q.id, 3, "My own note")
    login(users["manager"])
    response = page_of(client, candidate)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert SEALED in page
    assert "Colleague's secret observation" not in page and "Colleague&#39;s secret" not in page
    assert "My own note" not in page and overall_on_page(page) is None


def test_after_submitting_a_panellist_sees_the_panel(client, login, users, panel, bank):
    candidate, mine, theirs = panel
    q = questions_of(bank)[0]
    rate(theirs, q.id, 5, "Colleague's observation")
    rate(mine, q.id, 3, "My own note")
    submit(mine)
    login(users["manager"])
    response = page_of(client, candidate)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Colleague&#39;s observation" in page and "My own note" in page
    assert "not yet submitted" in page  # the colleague's interview is still open


def test_a_manager_not_on_the_panel_is_refused_with_a_reason(client, login, make_user, panel, bank):
    candidate, mine, _ = panel
    rate(mine, questions_of(bank)[0].id, 4, "Private note")
    submit(mine)
    login(make_user("manager"))
    response = page_of(client, candidate)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert NOT_ON_PANEL in page and SEALED not in page
    assert "Private note" not in page


def test_an_unknown_candidate_is_not_found(client, login, users):
    login(users["hr"])
    assert client.get("/candidates/999").status_code == 404


def test_a_candidate_without_evidence_shows_empty_states(client, login, users, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    response = page_of(client, candidate)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No ratings yet" in page and "No self-assessment yet" in page
    assert "No panel yet" in page
    assert "Insufficient evidence" in page and overall_on_page(page) is None
    assert "carry 0% of the weight" in page


def test_an_invited_self_assessment_without_answers(client, login, users, make_candidate, bank):
    candidate = make_candidate()
    self_assessment(candidate, list(bank.scenarios.values())[:3], {}, status="invited")
    login(users["hr"])
    page = page_of(client, candidate).get_data(as_text=True)
    assert "invited" in page and "0 of 3 items answered" in page and "No answers yet" in page
    assert "No self-assessment yet" not in page


def test_ratings_on_some_competencies_only_say_why_others_are_missing(
    client, login, users, panel, bank
):
    candidate, mine, _ = panel
    q = questions_of(bank)[0]
    rate(mine, q.id, 4, "One answer")
    submit(mine)
    login(users["hr"])
    page = page_of(client, candidate).get_data(as_text=True)
    assert "insufficient evidence" in page
    assert "no self-assessment yet" in page  # why the scenario and self-view parts are missing
    assert "single interviewer" in page
    assert "4.0" in page  # the 1–5 panel score, one decimal


def test_hostile_names_and_notes_are_escaped(
    client, login, users, make_user, make_candidate, make_interview, bank
):
    candidate = make_candidate(name=HOSTILE, external_id=HOSTILE)
    interview = make_interview(candidate, make_user("manager", name=HOSTILE))
    rate(interview, questions_of(bank)[0].id, 4, HOSTILE)
    login(users["hr"])
    page = page_of(client, candidate).get_data(as_text=True)
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self.tick)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self.tick)

    def tick(self, *args):
        self.count += 1


def test_every_demo_candidate_renders_in_a_constant_number_of_queries(client, login, make_user):
    from assessment.demo import load_demo

    load_demo()
    hr = make_user("hr")
    login(hr)
    ids = db.session.scalars(db.select(Candidate.id).order_by(Candidate.id)).all()
    client.get(f"/candidates/{ids[0]}")  # the first request after signing in caches a few things
    counts = set()
    for candidate_id in ids:
        with QueryCounter(db.engine) as counter:
            response = client.get(f"/candidates/{candidate_id}")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        counts.add(counter.count)
    # One fewer without a self-assessment (no answers to read); never more with more evidence.
    # (BEGIN, the user, the viewer's own interview for the sealed rule, candidate,
    # interviews, ratings, self-assessment, answers, local figures, the scorecard's standing
    # decision, and the page's list of decisions.)
    assert max(counts) - min(counts) <= 1 and max(counts) <= 10, counts


def test_the_partials_render_without_a_request(app, users, panel, bank):
    """The later PDF includes the same partials, outside any request: they need only `card`."""
    from flask import render_template_string

    candidate, mine, _ = panel
    rate(mine, questions_of(bank)[0].id, 4, "Called the customer first")
    card = build_scorecard(candidate.id, users["hr"])
    for name in ("_summary", "_competencies", "_flags", "_evidence"):
        html = render_template_string(f'{{% include "scorecard/{name}.html" %}}', card=card)
        assert html.strip()
    assert "Called the customer first" in html


def test_a_nan_weight_in_the_database_is_refused_never_a_band(client, login, users, panel, bank):
    """The form refuses NaN (test_positions.py); one typed into the database is refused where
    it is read, with what it is. PostgreSQL's JSON cannot even hold a NaN."""
    candidate, mine, _ = panel
    rate(mine, questions_of(bank)[0].id, 4, "Seen")
    submit(mine)
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's JSON rejects NaN: nothing to refuse")
    with write_transaction() as session:
        session.execute(
            db.text("UPDATE position SET weights = :w WHERE id = :id"),
            {"w": '{"lead": NaN, "own": 1}', "id": candidate.position_id},
        )
    login(users["hr"])
    response = page_of(client, candidate)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "These scores cannot be computed: the weight of lead is not a number (nan)" in page
