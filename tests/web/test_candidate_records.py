"""Correcting a candidate's name, e-mail and external id, and marking them withdrawn (or
back in the process): through their page, audited, and under blind review not at all."""

from __future__ import annotations

import pytest

from assessment.extensions import db
from assessment.models import Candidate, SelfAssessment
from assessment.selfassess.invites import create_invite
from tests.conftest import csrf_token, post_form
from tests.web.helpers import audits


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def details(**changes) -> dict:
    return {"name": "Ana Lima", "email": "ana@lima.example", "external_id": "", **changes}


def test_correct_a_candidates_details(client, hr, make_position, make_candidate):
    position = make_position()
    ana = make_candidate(position, name="Ana Lmia", email="ana@lmia.example", external_id="A1")
    make_candidate(position, name="Bo", email="bo@x.example")
    form = client.get(f"/candidates/{ana.id}/edit").get_data(as_text=True)
    assert 'value="Ana Lmia"' in form
    clash = post_form(client, f"/candidates/{ana.id}/edit", details(email="BO@x.example"))
    assert clash.status_code == 422 and "has this e-mail" in clash.get_data(as_text=True)
    saved = post_form(client, f"/candidates/{ana.id}/edit", details(external_id="ATS-7"))
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Candidate, ana.id)
    assert (stored.name, stored.email, stored.external_id) == (
        "Ana Lima",
        "ana@lima.example",
        "ATS-7",
    )
    assert "Ana Lima" in client.get("/candidates?q=lima").get_data(as_text=True)
    assert "Ana Lmia" not in client.get("/candidates?q=lmia").get_data(as_text=True)
    [entry] = audits("candidate.edit")
    assert entry.old == {"name": "Ana Lmia", "email": "ana@lmia.example", "external_id": "A1"}
    assert entry.new["external_id"] == "ATS-7"


def test_bad_details_come_back_with_what_was_typed(client, hr, make_candidate):
    ana = make_candidate(name="Ana")
    bad = post_form(client, f"/candidates/{ana.id}/edit", details(email="not an e-mail"))
    assert bad.status_code == 422 and 'value="not an e-mail"' in bad.get_data(as_text=True)
    assert db.session.get(Candidate, ana.id).name == "Ana"


def test_under_blind_review_details_are_not_shown_for_editing(
    client, hr, make_position, make_candidate
):
    ana = make_candidate(make_position(blind=True), name="Ana Secret")
    page = client.get(f"/candidates/{ana.id}/edit")
    assert page.status_code == 403 and "Ana Secret" not in page.get_data(as_text=True)


def test_withdraw_and_reinstate(client, hr, users, make_candidate):
    ana = make_candidate(name="Ana")
    assessment, token = create_invite(ana.id, users["hr"])
    page = f"/candidates/{ana.id}"
    done = client.post(f"{page}/withdraw", data={"csrf_token": csrf_token(client.get(page))})
    assert done.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Withdrew from the process" in shown and "Back in the process" in shown
    listing = client.get(f"/positions/{ana.position_id}").get_data(as_text=True)
    assert "withdrawn" in listing
    assert db.session.get(SelfAssessment, assessment.id).revoked_at is not None
    assert client.get(f"/a/{token}").status_code == 410  # their link stopped
    back = client.post(f"{page}/reinstate", data={"csrf_token": csrf_token(client.get(page))})
    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(Candidate, ana.id).withdrawn_at is None
    assert [a.action for a in audits("candidate.withdraw") + audits("candidate.reinstate")] == [
        "candidate.withdraw",
        "candidate.reinstate",
    ]


def test_managers_cannot_edit_or_withdraw(client, users, login, make_candidate):
    ana = make_candidate()
    login(users["manager"])
    assert client.get(f"/candidates/{ana.id}/edit").status_code == 403
    assert client.post(f"/candidates/{ana.id}/withdraw").status_code == 403
