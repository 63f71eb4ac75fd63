"""Decisions on the candidate page: a person's, with a rationale, and a reason when they go
against the scores' band; the latest stands, earlier ones stay; managers only read it."""

from __future__ import annotations

import pytest

from assessment.extensions import db
from assessment.models import Decision
from assessment.review.rules import against_hint, goes_against
from tests.conftest import csrf_token
from tests.web.helpers import ROLE_REFUSAL, audits, rate_every_question, sign_out


@pytest.fixture
def rated(users, make_candidate, make_interview):
    """rated(value): a candidate whose manager's interview is submitted at `value` everywhere
    (value None: no ratings, so the overall is insufficient evidence)."""

    def make(value: int | None, **kw):
        candidate = make_candidate(**kw)
        interview = make_interview(candidate, users["manager"])
        if value is not None:
            rate_every_question(interview, value)
        return candidate

    return make


def _post(client, page_url: str, data: dict):
    """GET the candidate page (its form's CSRF token), POST the decision form."""
    token = csrf_token(client.get(page_url))
    return client.post(page_url + "/decision", data={**data, "csrf_token": token})


def switch(client, login, user) -> None:
    """Sign out whoever is signed in, then sign in as `user`."""
    sign_out(client)
    login(user)


def decisions(candidate) -> list[Decision]:
    query = db.select(Decision).where(Decision.candidate_id == candidate.id)
    return db.session.scalars(query.order_by(Decision.id)).all()


# --- the rule (pure) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "band", "against"),
    [
        ("advance", "strong evidence against", True),
        ("advance", "evidence against", True),
        ("advance", "insufficient evidence", True),
        ("advance", "inconclusive", False),
        ("advance", "evidence for", False),
        ("decline", "strong evidence for", True),
        ("decline", "evidence for", True),
        ("decline", "inconclusive", False),
        ("decline", "insufficient evidence", False),
        ("decline", "evidence against", False),
        ("hold", "strong evidence for", False),
        ("hold", "strong evidence against", False),
        ("hold", "insufficient evidence", False),
    ],
)
def test_which_decisions_go_against_the_band(decision, band, against):
    assert goes_against(decision, band) is against


def test_the_hint_names_the_decisions_that_need_a_reason():
    assert "to advance you also give" in against_hint("evidence against")
    assert "to decline you also give" in against_hint("strong evidence for")
    assert "not needed" in against_hint("inconclusive")


# --- recording ------------------------------------------------------------------------


def test_hr_records_a_decision_with_its_rationale_band_and_audit(client, login, users, rated):
    candidate = rated(value=None)  # no ratings: insufficient evidence
    login(users["hr"])
    page = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert "No decision yet" in page and "Record decision" in page
    assert "insufficient evidence" in page
    url = f"/candidates/{candidate.id}"
    response = _post(client, url, {"decision": "hold", "rationale": "Wait"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/candidates/{candidate.id}#decision")
    [row] = decisions(candidate)
    assert (row.decision, row.rationale, row.band) == ("hold", "Wait", "insufficient evidence")
    assert row.decided_by_id == users["hr"].id and row.against_band_reason is None
    [entry] = audits("decision.record")
    assert (entry.entity, entry.entity_id) == ("candidate", candidate.id)
    assert entry.user_id == users["hr"].id
    assert entry.new["decision"] == "hold" and entry.new["band"] == "insufficient evidence"
    assert entry.reason == "Wait"
    page = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert "Decision recorded." in page and "Hold" in page and users["hr"].name in page


def test_the_rationale_is_required_and_what_was_typed_is_kept(client, login, users, rated):
    candidate = rated(value=None)
    login(users["admin"])
    response = _post(
        client,
        f"/candidates/{candidate.id}",
        {"decision": "hold", "rationale": "   ", "against_band_reason": "typed <b>text</b>"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write the rationale for this decision" in page
    assert "typed &lt;b&gt;text&lt;/b&gt;" in page  # kept, escaped
    assert "checked" in page  # the choice is kept too
    no_choice = _post(client, f"/candidates/{candidate.id}", {"rationale": "Because"})
    assert no_choice.status_code == 422
    assert "Choose advance, hold or decline." in no_choice.get_data(as_text=True)
    assert decisions(candidate) == []


def test_advancing_against_the_band_asks_for_a_reason_then_takes_it(client, login, users, rated):
    candidate = rated(value=1)  # every question 1: strong evidence against
    login(users["hr"])
    url = f"/candidates/{candidate.id}"
    assert "strong evidence against" in client.get(url).get_data(as_text=True)
    refused = _post(client, url, {"decision": "advance", "rationale": "Great energy in person"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Advancing goes against the scores" in page and "strong evidence against" in page
    assert "Great energy in person" in page  # the rationale is kept
    assert decisions(candidate) == []

    reason = "The panel missed the customer project she led; references confirm it."
    data = {"decision": "advance", "rationale": "Great energy", "against_band_reason": reason}
    assert _post(client, url, data).status_code == 302
    [row] = decisions(candidate)
    assert (row.decision, row.band, row.against_band_reason) == (
        "advance",
        "strong evidence against",
        reason,
    )
    assert audits("decision.record")[0].new["against_band_reason"] == reason
    assert "Against the band, because:" in client.get(url).get_data(as_text=True)


def test_advancing_on_insufficient_evidence_needs_a_reason(client, login, users, rated):
    candidate = rated(value=None)
    login(users["hr"])
    url = f"/candidates/{candidate.id}"
    refused = _post(client, url, {"decision": "advance", "rationale": "Looks good"})
    assert refused.status_code == 422
    assert "do not yet carry enough evidence" in refused.get_data(as_text=True)


def test_declining_against_strong_evidence_for_needs_a_reason(client, login, users, rated):
    candidate = rated(value=5)  # strong evidence for
    login(users["hr"])
    url = f"/candidates/{candidate.id}"
    refused = _post(client, url, {"decision": "decline", "rationale": "Salary too high"})
    assert refused.status_code == 422
    assert "Declining goes against the scores" in refused.get_data(as_text=True)
    data = {"decision": "decline", "rationale": "Salary", "against_band_reason": "Budget is fixed"}
    assert _post(client, url, data).status_code == 302
    assert decisions(candidate)[0].band == "strong evidence for"
    # Advancing on the same band needs nothing more; a reason typed anyway is not stored.
    data = {"decision": "advance", "rationale": "Budget found", "against_band_reason": "x"}
    assert _post(client, url, data).status_code == 302
    assert decisions(candidate)[1].against_band_reason is None


def test_the_latest_decision_stands_and_earlier_ones_stay_with_who_and_when(
    client, login, users, make_user, rated
):
    candidate = rated(value=3)
    other_hr = make_user("hr", name="Olga Other")
    url = f"/candidates/{candidate.id}"
    login(users["hr"])
    _post(client, url, {"decision": "hold", "rationale": "First look: wait for references"})
    switch(client, login, other_hr)
    _post(client, url, {"decision": "advance", "rationale": "References are in"})
    first, second = decisions(candidate)
    assert (first.decision, second.decision) == ("hold", "advance")
    page = client.get(url).get_data(as_text=True)
    standing = page.index("References are in")
    earlier = page.index("Earlier decisions")
    assert standing < earlier < page.index("First look: wait for references")
    assert users["hr"].name in page[earlier:] and "Olga Other" in page[:earlier]
    assert [a.old for a in audits("decision.record")] == [None, {"decision": "hold"}]


def test_managers_see_the_standing_decision_read_only_and_cannot_record(
    client, login, users, make_user, make_candidate, make_interview
):
    candidate = make_candidate()
    mine = make_interview(candidate, users["manager"])
    outsider = make_user("manager")
    login(users["hr"])
    url = f"/candidates/{candidate.id}"
    _post(client, url, {"decision": "hold", "rationale": "Early hold", "against_band_reason": ""})
    _post(client, url, {"decision": "decline", "rationale": "Withdrew their application"})

    switch(client, login, users["manager"])  # on the panel, not yet submitted: sealed
    assert client.get(url).status_code == 403
    rate_every_question(mine, 3)
    page = client.get(url).get_data(as_text=True)
    assert "Withdrew their application" in page and "Decline" in page
    assert "Early hold" not in page  # the history is HR's
    assert "Record decision" not in page and 'name="rationale"' not in page
    response = client.post(url + "/decision", data={"decision": "advance", "rationale": "x"})
    assert response.status_code == 403 and ROLE_REFUSAL in response.get_data(as_text=True)

    switch(client, login, outsider)  # not on the panel: no evidence, no decision
    assert client.get(url).status_code == 403
    assert client.post(url + "/decision", data={"decision": "advance"}).status_code == 403
    assert len(decisions(candidate)) == 2


def test_an_hr_panellist_decides_only_after_their_own_submit(
    client, login, users, make_candidate, make_interview
):
    candidate = make_candidate()
    mine = make_interview(candidate, users["hr"])
    url = f"/candidates/{candidate.id}"
    login(users["hr"])
    assert client.get(url).status_code == 403  # sealed: no page, so no form either
    token = csrf_token(client.get("/positions/new"))
    data = {"decision": "hold", "rationale": "x", "csrf_token": token}
    response = client.post(url + "/decision", data=data)
    assert response.status_code == 403
    assert "Submit your own interview first" in response.get_data(as_text=True)
    assert decisions(candidate) == []
    rate_every_question(mine, 4)
    assert _post(client, url, {"decision": "hold", "rationale": "Now"}).status_code == 302


def test_a_decision_refreshes_the_position_list_summary(client, login, users, rated):
    summary_model = pytest.importorskip("assessment.comparison.summary_model")
    candidate = rated(value=4)
    login(users["hr"])
    _post(client, f"/candidates/{candidate.id}", {"decision": "hold", "rationale": "Wait"})
    row = db.session.get(summary_model.CandidateSummary, candidate.id)
    assert row is not None and row.decision == "hold"
