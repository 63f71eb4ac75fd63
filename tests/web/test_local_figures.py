"""This company's own figures: computed once SCIENCE §7's minimums are met, stored, used by
every band with their source, and the summaries re-banded to match (docs/scoring.md §5)."""

from __future__ import annotations

import math

import pytest

from assessment.comparison.figures_refresh import interview_submitted, self_assessment_submitted
from assessment.comparison.recombine import recombine_position
from assessment.comparison.refresh import fill_missing, refresh_position
from assessment.comparison.summary_model import CandidateSummary
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.insights.figures_model import LocalFigures, bank_scope, position_scope
from assessment.insights.local_figures import update_figures
from assessment.models import Rating, utcnow
from assessment.scorecard import build_scorecard
from tests.web.test_insights import respond  # noqa: F401  (a fixture: 100 self-assessments)


@pytest.fixture
def panel_of_two(make_user, make_position, make_candidate, make_interview):
    """30 candidates, each interviewed by the same two managers, every interview submitted:
    A rates each question 1 + i % 5, B one higher on odd candidates (capped at 5)."""
    a, b = make_user("manager", name="A"), make_user("manager", name="B")
    position = make_position()
    candidates = []
    for i in range(30):
        candidate = make_candidate(position)
        candidates.append(candidate)
        level = 1 + i % 5
        for who, value in ((a, level), (b, min(5, level + i % 2))):
            interview = make_interview(candidate, who, status="submitted", submitted_at=utcnow())
            with write_transaction() as session:
                for q in position.questions:
                    session.add(Rating(interview_id=interview.id, question_id=q["id"], value=value))
    with write_transaction():
        fill_missing(position.id)
    return position, candidates


def stored_rows(position) -> dict:
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(CandidateSummary).where(CandidateSummary.position_id == position.id)
    )
    return {r.candidate_id: {c.name: getattr(r, c.name) for c in r.__table__.columns} for r in rows}


def test_the_interview_figures_are_computed_when_due_and_band_every_candidate(
    app, users, panel_of_two
):
    position, candidates = panel_of_two
    card = build_scorecard(candidates[0].id, users["admin"])
    assert card.band_sources[0] == ("Interview", "default", "default")
    with write_transaction():
        interview_submitted(candidates[0].id)  # 60 submitted interviews: due
    row = db.session.get(LocalFigures, position_scope(position.id))
    assert row.basis == 60 and row.next_at == 66  # again after a tenth more
    r1 = {c: (value, n, basis) for c, m, value, n, basis in row.figures["r1"]}
    assert set(r1) == set(position.weights)  # every competency: 30 candidates, same panel
    assert all(n == 30 and basis.startswith("ICC(2,1) = ") for _, n, basis in r1.values())
    norms = {c: (mean, sd, n) for c, m, mean, sd, n in row.figures["norms"]}
    # Panel means per candidate: level + 0.5 on odd i (capped at 5 for level 5).
    panel = [min(5.0, 1 + i % 5 + (0.5 if i % 2 else 0)) for i in range(30)]
    mean = sum(25 * (p - 1) for p in panel) / 30
    assert norms["lead"][0] == pytest.approx(mean) and norms["lead"][2] == 30
    assert row.figures["error_corr"][0][0] == "interview"

    card = build_scorecard(candidates[3].id, users["admin"])
    name, reliability, scale = card.band_sources[0]
    assert (name, reliability, scale) == (
        "Interview",
        "this company's data, n = 30",
        "this company's data, n = 30",
    )
    part = card.score.competency("lead").interview
    value, _, _ = r1["lead"]
    ratings = 2 * sum(1 for q in position.questions if q["competency"] == "lead")
    r = ratings * value / (1 + (ratings - 1) * value)
    assert part.reliability == pytest.approx(r)
    assert part.sem == pytest.approx(norms["lead"][1] * math.sqrt(1 - r))
    # The summaries were re-banded in the same transaction: they match the scorecards.
    summary = stored_rows(position)[candidates[3].id]
    assert summary["overall"] == pytest.approx(card.score.overall.score)
    assert (summary["overall_lo"], summary["overall_hi"]) == pytest.approx(card.score.overall.band)


def test_re_banding_from_stored_parts_equals_recomputing_from_the_evidence(
    app, users, panel_of_two
):
    position, _ = panel_of_two
    with write_transaction():
        update_figures(position_scope(position.id), force=True)
        recombine_position(position.id)
    recombined = stored_rows(position)
    with write_transaction():
        refresh_position(position.id)
    recomputed = stored_rows(position)
    for cid, row in recombined.items():
        for column in ("overall", "overall_sem", "overall_lo", "overall_hi", "label", "reason"):
            assert row[column] == recomputed[cid][column], (cid, column)
        assert row["competencies"] == recomputed[cid]["competencies"]
        assert row["flag_codes"] == recomputed[cid]["flag_codes"]


def test_the_self_assessment_figures_come_from_alpha_and_the_respondents(
    app,
    bank,
    make_position,
    respond,  # noqa: F811
):
    position = make_position()
    respond(position, 100)
    with write_transaction():
        self_assessment_submitted(bank.version)
    row = db.session.get(LocalFigures, bank_scope(bank.version))
    r1 = {(c, m): (value, n, basis) for c, m, value, n, basis in row.figures["r1"]}
    # Lead's statements: α = 20/23 over 4 (test_insights.py), stepped down to one statement:
    # (20/23) / (4 − 3·20/23) = 20/32 = .625.
    value, n, basis = r1[("lead", "self")]
    assert value == pytest.approx(0.625) and n == 100 and basis == "α = .87 over 4 statements"
    # Per respondent, lead's self-view on 0–100: 18.75, 43.75, 75, 62.5, 25 of each: mean 50,
    # SD √(25·1796.875/99) = 21.30.
    norms = {(c, m): (mean, sd, n) for c, m, mean, sd, n in row.figures["norms"]}
    mean, sd, n = norms[("lead", "self")]
    assert (mean, n) == (pytest.approx(50), 100)
    assert sd == pytest.approx(math.sqrt(25 * 1796.875 / 99))


def test_rows_written_before_the_model_changed_are_brought_up_to_date(
    app, users, panel_of_two, runner
):
    """A summary as 0006 wrote it: parts as [score, SEM, default], no raw scores, no
    self-assessment version. New weights recompute it from the evidence, and so does
    `flask rebuild-summaries`, after computing the local figures."""
    position, candidates = panel_of_two
    S = CandidateSummary.__table__
    old = {c: {"score": 50.0, "sem": 9.0, "lo": 32.0, "hi": 68.0, "reason": None,
               "parts": {"interview": [50.0, 9.0, True], "scenario": [None, None, False],
                         "self": [None, None, False]}, "flags": []}
           for c in position.weights}  # fmt: skip
    with write_transaction() as session:
        session.execute(S.update().values(competencies=old, overall=50.0, cells="c0ld\nx"))
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0 and "Rebuilt 30 candidate summaries" in result.output
    rows = stored_rows(position)
    card = build_scorecard(candidates[0].id, users["admin"])
    assert rows[candidates[0].id]["overall"] == pytest.approx(card.score.overall.score)
    assert all("evidence" in e for e in rows[candidates[0].id]["competencies"].values())
    assert db.session.get(LocalFigures, position_scope(position.id)) is not None
