"""The demo's fairness evidence (assessment/demo/fairness.py): decisions, self-identification
after a sent self-assessment only, outcomes of the hired; at the large size both pages show
figures, at the default size validity says how many more outcomes it needs."""

from __future__ import annotations

from assessment.extensions import db
from assessment.fairness.models import Outcome, SelfIdentification
from assessment.models import Decision, SelfAssessment


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def sign_in_hr(client) -> None:
    page = client.get("/login")
    from tests.conftest import csrf_token

    client.post("/login", data={"email": "hr@demo.example", "password": "demo-password-2026",
                                "csrf_token": csrf_token(page)})  # fmt: skip


def test_the_default_demo_answers_only_after_sending(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    sent = set(db.session.scalars(
        db.select(SelfAssessment.candidate_id).where(SelfAssessment.status == "submitted")
    ))  # fmt: skip
    answered = set(db.session.scalars(db.select(SelfIdentification.candidate_id)))
    assert answered and answered <= sent and len(answered) < len(sent)  # never required
    hired = set(
        db.session.scalars(db.select(Decision.candidate_id).where(Decision.decision == "advance"))
    )
    assert set(db.session.scalars(db.select(Outcome.candidate_id))) <= hired
    sign_in_hr(client)
    page = client.get("/validity").get_data(as_text=True)
    assert "Not enough data yet" in page and "more are needed" in page


def test_the_large_demo_shows_figures_on_both_pages(runner, client):
    assert runner.invoke(args=["demo", "--size", "large"]).exit_code == 0
    assert _count(Outcome) >= 30
    sign_in_hr(client)
    fairness = client.get("/fairness").get_data(as_text=True)
    assert "highest rate: the reference" in fairness
    assert "[" in fairness.split('id="differences"')[1]  # d with its interval
    assert "Female" in fairness.split('id="dif"')[1]  # DIF for women and men at least
    validity = client.get("/validity").get_data(as_text=True)
    rating = validity.split('id="rating"')[1].split("</section>")[0]
    assert "Not enough data yet" not in rating and "Thorndike II" in rating
    assert "Suggested" in validity and "never applied" in validity
