"""The JSON API: tokens (CLI and page), scopes, blind review and the seal, writes, limits."""

from __future__ import annotations

import pytest

from assessment.api.models import ApiToken
from assessment.api.tokens import create_token, hash_token
from assessment.blind import candidate_code
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Candidate, User
from tests.conftest import csrf_token, post_form
from tests.web.helpers import audits, pdf_text, rate_every_question


def code_of(candidate_id: int) -> str:
    """The code blind review shows for this candidate (random, stored with them)."""
    db.session.rollback()
    return candidate_code(db.session.get(Candidate, candidate_id))


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(users):
    """A read and a write token made by the admin, and a system one (the command line's)."""
    return {
        "read": create_token("ATS read", "read", users["admin"])[1],
        "write": create_token("ATS write", "write", users["admin"])[1],
        "system": create_token("script", "read", None)[1],
    }


@pytest.fixture
def blind_setup(users, make_position, make_candidate, make_interview):
    """A blind position with one fully rated candidate, and an open position with another."""
    blind = make_position(blind=True, title="Blind role")
    hidden = make_candidate(blind, name="Hidden Person", email="hidden@example.org")
    rate_every_question(make_interview(hidden, users["manager"]), 4)
    open_position = make_position(title="Open role")
    named = make_candidate(open_position, name="Named Person", external_id="ATS-7")
    return blind, hidden, open_position, named


def test_the_cli_prints_a_token_that_works_and_revokes_it(app, runner, client, admin):
    made = runner.invoke(args=["api-token", "create", "--scope", "read", "--name", "nightly"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("hat_") and len(token) > 40
    row = db.session.scalar(db.select(ApiToken))
    assert row.token_hash == hash_token(token) and token not in row.prefix + row.token_hash
    assert row.created_by_id is None and row.scope == "read"
    assert client.get("/api/v1/positions", headers=bearer(token)).status_code == 200
    listed = runner.invoke(args=["api-token", "list"])
    assert "nightly" in listed.output and "system viewer" in listed.output
    assert runner.invoke(args=["api-token", "revoke", str(row.id)]).exit_code == 0
    refused = client.get("/api/v1/positions", headers=bearer(token))
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    bad = runner.invoke(args=["api-token", "create", "--scope", "admin", "--name", "x"])
    assert bad.exit_code != 0
    assert [a.action for a in audits("api_token.create")] == ["api_token.create"]


@pytest.mark.parametrize(
    "header", [None, "Bearer ", "Bearer hat_not-a-token", "Basic dXNlcjpwYXNz", "hat_x"]
)
def test_no_or_a_wrong_token_is_401_in_json(client, admin, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/positions", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["message"].startswith("Send a valid token")


def test_a_token_dies_with_its_admin(client, users, tokens, make_user):
    assert client.get("/api/v1/positions", headers=bearer(tokens["read"])).status_code == 200
    with write_transaction():
        db.session.get(User, users["admin"].id).role = "hr"  # demoted: no longer an admin
    assert client.get("/api/v1/positions", headers=bearer(tokens["read"])).status_code == 401
    assert client.get("/api/v1/positions", headers=bearer(tokens["system"])).status_code == 200


def test_lists_give_codes_on_blind_positions(client, tokens, blind_setup):
    blind, hidden, open_position, named = blind_setup
    body = client.get("/api/v1/positions", headers=bearer(tokens["read"])).get_json()
    assert body["total"] == 2 and body["pages"] == 1
    assert {p["title"]: (p["blind"], p["candidates"]) for p in body["positions"]} == {
        "Blind role": (True, 1),
        "Open role": (False, 1),
    }
    for token in (tokens["read"], tokens["system"]):
        people = client.get(f"/api/v1/positions/{blind.id}/candidates", headers=bearer(token))
        person = people.get_json()["candidates"][0]
        assert person == {
            "id": hidden.id,
            "position_id": blind.id,
            "name": code_of(hidden.id),
            "email": None,
            "external_id": None,
            "blind": True,
        }
        assert "Hidden" not in people.get_data(as_text=True)
    named_list = client.get(
        f"/api/v1/positions/{open_position.id}/candidates", headers=bearer(tokens["read"])
    ).get_json()["candidates"]
    assert named_list[0]["name"] == "Named Person" and named_list[0]["external_id"] == "ATS-7"
    assert client.get("/api/v1/positions?page=0", headers=bearer(tokens["read"])).status_code == 400
    missing = client.get("/api/v1/positions/999/candidates", headers=bearer(tokens["read"]))
    assert missing.status_code == 404


def test_a_candidate_with_status_scores_and_decision(client, login, users, tokens, blind_setup):
    from assessment.review.services import record_decision

    _, hidden, _, named = blind_setup
    record_decision(hidden.id, users["hr"], "hold", "Wait for the self-assessment.", "x")
    body = client.get(f"/api/v1/candidates/{hidden.id}", headers=bearer(tokens["read"])).get_json()
    assert body["name"] == code_of(hidden.id) and body["sealed"] is False
    assert body["status"] == {
        "interviews_planned": 1,
        "interviews_submitted": 1,
        "self_assessment": None,
    }
    assert body["scores"]["overall"]["score"] is not None
    lead = next(c for c in body["scores"]["competencies"] if c["id"] == "lead")
    assert lead["interview"] == 75.0 and lead["self"] is None
    assert body["decision"]["decision"] == "hold"
    pdf = client.get(
        f"/api/v1/candidates/{hidden.id}/scorecard.pdf", headers=bearer(tokens["read"])
    )
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert code_of(hidden.id) in text and "Hidden Person" not in text
    bad_paper = f"/api/v1/candidates/{hidden.id}/scorecard.pdf?paper=A3"
    assert client.get(bad_paper, headers=bearer(tokens["read"])).status_code == 400
    assert client.get("/api/v1/candidates/999", headers=bearer(tokens["read"])).status_code == 404


def test_the_seal_holds_for_the_admin_a_token_acts_for(
    client, users, tokens, blind_setup, make_interview
):
    _, hidden, _, _ = blind_setup
    make_interview(hidden, users["admin"])  # the admin sits on the panel, not submitted
    body = client.get(f"/api/v1/candidates/{hidden.id}", headers=bearer(tokens["read"])).get_json()
    assert body["sealed"] is True and body["scores"] is None and body["decision"] is None
    assert body["status"]["interviews_planned"] == 2
    pdf = client.get(
        f"/api/v1/candidates/{hidden.id}/scorecard.pdf", headers=bearer(tokens["read"])
    )
    assert pdf.status_code == 403 and "sealed" in pdf.get_json()["message"]
    # The system viewer is on no panel: it sees the submitted ratings.
    system = client.get(f"/api/v1/candidates/{hidden.id}", headers=bearer(tokens["system"]))
    assert system.get_json()["sealed"] is False


def test_writes_need_a_write_token_and_are_audited(client, users, tokens, blind_setup):
    blind, *_ = blind_setup
    url = f"/api/v1/positions/{blind.id}/candidates"
    payload = {"candidates": [{"name": "Ann  Lee", "email": "ann@example.org"}]}
    refused = client.post(url, json=payload, headers=bearer(tokens["read"]))
    assert refused.status_code == 403 and "write" in refused.get_json()["message"]
    made = client.post(url, json=payload, headers=bearer(tokens["write"]))
    assert made.status_code == 201
    added = made.get_json()["candidates"][0]
    assert added["name"] == code_of(added["id"])  # blind: the code, even here
    assert db.session.get(Candidate, added["id"]).name == "Ann Lee"
    writes = audits("api.write")
    assert [(a.new["status"], a.user_id) for a in writes] == [
        (403, users["admin"].id),
        (201, users["admin"].id),
    ]
    created = audits("candidate.create")[-1]
    assert created.entity_id == added["id"] and created.new["via"] == "api"


def test_bad_rows_are_listed_and_nothing_is_added(client, tokens, blind_setup):
    _, _, open_position, named = blind_setup
    url = f"/api/v1/positions/{open_position.id}/candidates"
    rows = [
        {"name": "Good One", "email": "good@example.org"},
        {"name": "", "email": "x@example.org"},
        {"name": "Bad Mail", "email": "not-an-email"},
        {"name": "Dup", "email": named.email},
        {"name": 5, "email": "five@example.org"},
        "a string",
    ]
    response = client.post(url, json={"candidates": rows}, headers=bearer(tokens["write"]))
    assert response.status_code == 422
    problems = {p["index"]: p["reason"] for p in response.get_json()["problems"]}
    assert set(problems) == {1, 2, 3, 4, 5}
    assert "already has a candidate" in problems[3] and "invalid e-mail" in problems[2]
    count = db.session.scalar(db.select(db.func.count(Candidate.id)))
    assert count == 2  # the two of the fixture
    for body in ({"candidates": []}, {"candidates": "x"}, {}):
        assert client.post(url, json=body, headers=bearer(tokens["write"])).status_code == 400
    not_json = client.post(url, data="x", headers=bearer(tokens["write"]))
    assert not_json.status_code == 400


def test_an_invite_returns_a_working_link(client, tokens, blind_setup):
    _, _, _, named = blind_setup
    url = f"/api/v1/candidates/{named.id}/invites"
    response = client.post(url, json={"days": 7}, headers=bearer(tokens["write"]))
    assert response.status_code == 201
    link = response.get_json()["link"]
    assert link.startswith("http://127.0.0.1:5000/a/")
    assert client.get(link.removeprefix("http://127.0.0.1:5000")).status_code == 200
    too_long = client.post(url, json={"days": 365}, headers=bearer(tokens["write"]))
    assert too_long.status_code == 422
    assert client.post(url, json={"days": "7"}, headers=bearer(tokens["write"])).status_code == 400
    nobody = client.post("/api/v1/candidates/999/invites", json={}, headers=bearer(tokens["write"]))
    assert nobody.status_code == 404


def test_each_token_has_its_rate_limit(app, client, tokens):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(3):
            assert (
                client.get("/api/v1/positions", headers=bearer(tokens["read"])).status_code == 200
            )
        limited = client.get("/api/v1/positions", headers=bearer(tokens["read"]))
        assert limited.status_code == 429 and limited.is_json
        # Another token has its own count.
        assert client.get("/api/v1/positions", headers=bearer(tokens["write"])).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"


def test_admins_make_and_revoke_tokens_on_the_integrations_page(client, login, users):
    login(users["admin"])
    page = post_form(client, "/admin/api-tokens", {"name": "Greenhouse", "scope": "write"})
    text = page.get_data(as_text=True)
    assert page.status_code == 201 and "Copy it now" in text
    token = text.split('id="new-token">')[1].split("<")[0]
    assert client.get("/api/v1/positions", headers=bearer(token)).status_code == 200
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Greenhouse" in listing and token not in listing  # never shown again
    row = db.session.scalar(db.select(ApiToken))
    ask = client.get(f"/admin/api-tokens/{row.id}/revoke")
    assert "stops getting answers" in ask.get_data(as_text=True)
    done = client.post(f"/admin/api-tokens/{row.id}/revoke", data={"csrf_token": csrf_token(ask)})
    assert done.status_code == 303
    assert client.get("/api/v1/positions", headers=bearer(token)).status_code == 401
    empty = post_form(client, "/admin/api-tokens", {"name": "", "scope": "write"})
    assert empty.status_code == 422
