"""The optional self-identification step: offered only after the self-assessment is sent,
never required, stored apart, never shown back, and withdrawn on request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.fairness.models import SelfIdentification
from assessment.models import AuditEntry, SelfAssessment, utcnow
from assessment.selfassess.invites import create_invite
from tests.web.test_selfassess import answer_all, consent, stored_items

ANSWERS = {"sex": "female", "race": "aian", "age": "55plus", "disability": "yes"}


@pytest.fixture
def invite(users, make_candidate):
    return create_invite(make_candidate().id, users["hr"])


def send(assessment) -> None:
    """Mark the self-assessment sent (the answers themselves do not matter here)."""
    with write_transaction() as session:
        row = session.get(SelfAssessment, assessment.id)
        row.status, row.consented_at, row.submitted_at = "submitted", utcnow(), utcnow()


def stored(candidate_id: int) -> SelfIdentification | None:
    db.session.rollback()
    return db.session.get(SelfIdentification, candidate_id)


def test_not_offered_before_the_answers_are_sent(client, invite):
    assessment, token = invite
    response = client.get(f"/a/{token}/about-you")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/a/{token}")
    response = client.post(f"/a/{token}/about-you", data=ANSWERS)
    assert response.status_code == 302
    assert stored(assessment.candidate_id) is None
    consent(client, token)
    assert "about-you" not in client.get(f"/a/{token}/review").get_data(as_text=True)


def test_offered_on_the_thank_you_page_after_sending(client, invite):
    assessment, token = invite
    consent(client, token)
    answer_all(client, token, stored_items(assessment))
    thanks = client.post(f"/a/{token}/submit")
    assert thanks.status_code == 200
    page = thanks.get_data(as_text=True)
    assert f"/a/{token}/about-you" in page
    assert "only if you wish" in page
    # Coming back later (410: the link is used up) still offers it, until answered.
    assert f"/a/{token}/about-you" in client.get(f"/a/{token}").get_data(as_text=True)
    client.post(f"/a/{token}/about-you", data=ANSWERS)
    later = client.get(f"/a/{token}")
    assert later.status_code == 410
    assert "about-you" not in later.get_data(as_text=True)


def test_the_page_says_why_that_it_is_voluntary_and_has_no_effect(client, invite):
    assessment, token = invite
    send(assessment)
    response = client.get(f"/a/{token}/about-you")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    expected = ("Why we ask", "Voluntary.", "No effect on your assessment.", "Prefer not to say",
                "Hispanic or Latino", "Two or More Races", "55 or older", "disability")  # fmt: skip
    for words in expected:
        assert words in page


def test_answers_are_stored_apart_without_an_audit_entry_and_never_shown_back(client, invite):
    assessment, token = invite
    send(assessment)
    audits_before = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    response = client.post(f"/a/{token}/about-you", data={**ANSWERS, "go": "save"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your answers are stored" in page
    # The choices are not even on the page any more: nothing the candidate gave is echoed.
    for label in ("American Indian", "55 or older", "Female"):
        assert label not in page
    row = stored(assessment.candidate_id)
    assert (row.sex, row.race, row.age, row.disability) == ("female", "aian", "55plus", "yes")
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == audits_before
    # A second send changes nothing: answers are withdrawn first, never overwritten unseen.
    client.post(f"/a/{token}/about-you", data={"sex": "male", "go": "save"})
    assert stored(assessment.candidate_id).sex == "female"


def test_any_question_may_be_skipped_or_declined(client, invite):
    assessment, token = invite
    send(assessment)
    response = client.post(f"/a/{token}/about-you", data={"go": "save"})
    assert "nothing was stored" in response.get_data(as_text=True)
    assert stored(assessment.candidate_id) is None
    client.post(f"/a/{token}/about-you", data={"race": "declined", "age": "25to39"})
    row = stored(assessment.candidate_id)
    assert (row.sex, row.race, row.age, row.disability) == (None, "declined", "25to39", None)


def test_an_unknown_answer_is_refused_and_nothing_stored(client, invite):
    assessment, token = invite
    send(assessment)
    response = client.post(f"/a/{token}/about-you", data={"sex": "robot", "age": "25to39"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert stored(assessment.candidate_id) is None


def test_withdrawing_deletes_the_answers(client, invite):
    assessment, token = invite
    send(assessment)
    client.post(f"/a/{token}/about-you", data=ANSWERS)
    response = client.post(f"/a/{token}/about-you", data={"go": "withdraw"})
    assert "withdrawn" in response.get_data(as_text=True)
    assert stored(assessment.candidate_id) is None
    assert "Save my answers" in client.get(f"/a/{token}/about-you").get_data(as_text=True)


def test_an_expired_link_opens_nothing(client, invite):
    assessment, token = invite
    send(assessment)
    with write_transaction() as session:
        session.get(SelfAssessment, assessment.id).expires_at = utcnow() - timedelta(days=1)
    assert client.get(f"/a/{token}/about-you").status_code == 410
    assert client.post(f"/a/{token}/about-you", data=ANSWERS).status_code == 410
    assert stored(assessment.candidate_id) is None
