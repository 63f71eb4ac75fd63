"""Access requests (one JSON file of everything held about a candidate, and their scorecard
PDF), the consent page's terms and the version agreed to, and withdrawing consent."""

from __future__ import annotations

import json

import pytest

from assessment.extensions import db
from assessment.interviews.services import RatingInput, record_ratings, submit_interview
from assessment.models import Candidate, SelfAssessment
from assessment.privacy.consent import CONSENT_WORDING
from assessment.review.services import record_decision
from assessment.selfassess.answers import AnswerInput, record_answer, record_consent
from assessment.selfassess.invites import create_invite
from tests.web.helpers import audits


@pytest.fixture
def evidenced(users, make_position, make_candidate, make_interview):
    """A candidate with a submitted interview (notes), answers with timings and a decision."""
    candidate = make_candidate(
        make_position(), name="Ines Faria", email="ines@faria.example", external_id="ATS-31"
    )
    interview = make_interview(candidate, users["manager"])
    entries = [RatingInput(q["id"], "4", f"note on {q['id']}") for q in interview.items]
    entries.append(RatingInput("recommendation", "yes", "Concrete examples."))
    record_ratings(interview.id, users["manager"], entries)
    submit_interview(interview.id, users["manager"])
    assessment, token = create_invite(candidate.id, users["hr"])
    record_consent(assessment.id)
    number = next(n for n, i in enumerate(assessment.items, 1) if i["type"] != "scenario")
    record_answer(assessment.id, number, AnswerInput(value="5", ms_page=4200))
    record_decision(candidate.id, users["hr"], "hold", "Waiting for a reference.", "Needed.")
    return candidate, interview, assessment, token


def test_access_request_holds_everything_about_the_candidate(client, users, login, evidenced):
    candidate, interview, assessment, _ = evidenced
    login(users["hr"])
    page = client.get(f"/candidates/{candidate.id}/data").get_data(as_text=True)
    assert f"/candidates/{candidate.id}/data.json" in page
    assert f"/candidates/{candidate.id}/scorecard.pdf" in page
    response = client.get(f"/candidates/{candidate.id}/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    record = json.loads(response.data)
    person = record["candidate"]
    assert (person["name"], person["email"], person["external_id"]) == (
        "Ines Faria",
        "ines@faria.example",
        "ATS-31",
    )
    [sent] = record["self_assessments"]
    assert sent["consent_version"].startswith(CONSENT_WORDING)
    [answer] = sent["answers"]
    assert answer["agreement_1_to_5"] == 5 and answer["ms_total"] == 4200
    assert "key" not in json.dumps(sent)  # what they read and chose, never the scoring key
    [met] = record["interviews"]
    assert met["interviewer"] == users["manager"].name
    assert (met["recommendation"], met["key_evidence"]) == ("yes", "Concrete examples.")
    assert {r["notes"] for r in met["ratings"]} == {f"note on {q['id']}" for q in interview.items}
    assert record["scores"]["overall"]["score"] is not None
    assert record["decisions"][0]["rationale"] == "Waiting for a reference."
    assert {"Invite created", "Interview submitted", "Decision recorded"} <= {
        entry["what"] for entry in record["audit_log"]
    }
    assert [a.user_id for a in audits("candidate.access")] == [users["hr"].id]
    pdf = client.get(f"/candidates/{candidate.id}/scorecard.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_access_request_respects_blind_review_and_the_seal(
    client, users, login, make_position, make_candidate, make_interview
):
    blind = make_candidate(make_position(blind=True), name="Hidden Person", email="h@x.example")
    login(users["hr"])
    record = client.get(f"/candidates/{blind.id}/data.json").get_data(as_text=True)
    assert "Hidden Person" not in record and "h@x.example" not in record
    assert json.loads(record)["candidate"]["identity_hidden"] is True
    sealed = make_candidate(make_position())
    make_interview(sealed, users["hr"])  # HR on the panel, not submitted
    for url in (f"/candidates/{sealed.id}/data.json", f"/candidates/{sealed.id}/data"):
        assert client.get(url).status_code == 403, url


def test_managers_cannot_ask_for_a_candidates_data(client, users, login, make_candidate):
    candidate = make_candidate()
    login(users["manager"])
    assert client.get(f"/candidates/{candidate.id}/data.json").status_code == 403
    assert client.post(f"/candidates/{candidate.id}/erase").status_code == 403


def test_consent_page_states_the_terms_and_the_version_is_stored(
    client, app, users, make_candidate, monkeypatch
):
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 90)
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "privacy@company.example")
    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"])
    page = client.get(f"/a/{token}").get_data(as_text=True)
    assert "Kept for 90 days after the hiring process ends" in page
    assert "privacy@company.example" in page
    assert f"/a/{token}/withdraw" in page
    client.post(f"/a/{token}/start", data={"consent": "yes"})
    db.session.expire_all()
    version = db.session.get(SelfAssessment, assessment.id).consent_version
    assert version == f"{CONSENT_WORDING}; kept 90 days"


def test_withdrawing_consent_erases_the_candidate(client, evidenced):
    candidate, _, _, token = evidenced
    confirm = client.get(f"/a/{token}/withdraw")
    assert confirm.status_code == 200 and confirm.headers["Referrer-Policy"] == "no-referrer"
    assert "erase" in confirm.get_data(as_text=True)
    assert db.session.get(Candidate, candidate.id).erased_at is None  # only after the press
    done = client.post(f"/a/{token}/withdraw")
    assert done.status_code == 200 and "consent is withdrawn" in done.get_data(as_text=True)
    db.session.expire_all()
    erased = db.session.get(Candidate, candidate.id)
    assert erased.erased_at is not None and erased.name != "Ines Faria"
    [entry] = audits("candidate.erase")
    assert entry.new["why"] == "consent" and entry.user_id is None
    gone = client.get(f"/a/{token}/withdraw")
    assert gone.status_code == 404 and "write to" in gone.get_data(as_text=True)


def test_a_candidate_who_sent_their_answers_can_still_withdraw(client, users, make_candidate):
    from assessment.selfassess.answers import submit_assessment

    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"])
    record_consent(assessment.id)
    for number, _ in enumerate(assessment.items, 1):
        item = assessment.items[number - 1]
        if item["type"] == "scenario":
            ids = [r["id"] for r in item["responses"]]
            entry = AnswerInput(most=ids[0], least=ids[1])
        else:
            entry = AnswerInput(value="3")
        record_answer(assessment.id, number, entry)
    submit_assessment(assessment.id)
    thanks = client.get(f"/a/{token}").get_data(as_text=True)
    assert f"/a/{token}/withdraw" in thanks
    assert client.post(f"/a/{token}/withdraw").status_code == 200
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).erased_at is not None
