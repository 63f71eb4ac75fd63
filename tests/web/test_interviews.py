"""The interviewer's screen: autosave by upsert, sealed ratings, submit, reopen."""

from __future__ import annotations

import pytest

from assessment.extensions import db
from assessment.models import AuditEntry, Interview, Rating
from tests.conftest import csrf_token


@pytest.fixture
def panel(users, make_user, make_candidate, make_interview):
    """A candidate with a panel of two managers; returns (candidate, mine, theirs, me, them)."""
    me, them = users["manager"], make_user("manager")
    candidate = make_candidate()
    return candidate, make_interview(candidate, me), make_interview(candidate, them), me, them


def save(client, interview, qid, value="", notes="", edited_ms=None, token=None):
    token = token or csrf_token(client.get(f"/interviews/{interview.id}"))
    data = {"value": value, "notes": notes}
    if edited_ms is not None:
        data["edited_ms"] = str(edited_ms)
    return client.post(
        f"/interviews/{interview.id}/ratings/{qid}",
        data=data,
        headers={"X-CSRFToken": token, "X-Requested-With": "fetch"},
    )


def rate_all(client, interview, value="3", notes="Clear example with numbers."):
    token = csrf_token(client.get(f"/interviews/{interview.id}"))
    for item in interview.items:
        response = save(client, interview, item["id"], value, notes, token=token)
        assert response.status_code == 200, response.json
        token = response.json["csrf_token"]
    return token


def ratings_of(interview):
    return db.session.scalars(db.select(Rating).where(Rating.interview_id == interview.id)).all()


def test_screen_shows_questions_grouped_with_probes_and_anchors(client, login, panel, bank):
    candidate, mine, _, me, _ = panel
    login(me)
    page = client.get(f"/interviews/{mine.id}").get_data(as_text=True)
    first = mine.items[0]
    assert candidate.name in page
    assert bank.competencies[first["competency"]].name in page
    assert first["text"] in page and first["probes"][0] in page and first["listen_for"][0] in page
    assert first["anchors"]["5"] in page and "Not covered" in page
    assert page.count('type="radio"') == 6 * len(mine.items)


def test_each_save_is_an_upsert_and_repeats_make_no_second_row(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    qid = mine.items[0]["id"]
    first = save(client, mine, qid, "3", "Solid", edited_ms=1000)
    assert first.status_code == 200
    assert first.json["answered"] == 1 and first.json["total"] == len(mine.items)
    assert first.json["csrf_token"]
    again = save(client, mine, qid, "3", "Solid", edited_ms=1000)  # a retry
    assert again.status_code == 200
    later = save(client, mine, qid, "4", "Better on reflection", edited_ms=2000)
    assert later.json["applied"] is True
    stale = save(client, mine, qid, "2", "an old edit arriving late", edited_ms=1500)
    assert stale.status_code == 200 and stale.json["applied"] is False
    [rating] = ratings_of(mine)
    assert (rating.value, rating.notes, rating.edited_ms) == (4, "Better on reflection", 2000)
    assert db.session.get(Interview, mine.id).status == "in_progress"


def test_the_form_without_scripts_saves_every_question(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    data = {"csrf_token": token, "action": "save"}
    data[f"value-{mine.items[0]['id']}"] = "2"
    data[f"notes-{mine.items[0]['id']}"] = "Vague"
    data[f"value-{mine.items[1]['id']}"] = "nc"
    response = client.post(f"/interviews/{mine.id}", data=data)
    assert response.status_code == 302
    saved = {r.question_id: (r.value, r.not_covered) for r in ratings_of(mine)}
    assert saved[mine.items[0]["id"]] == (2, False)
    assert saved[mine.items[1]["id"]] == (None, True)
    page = client.get(f"/interviews/{mine.id}").get_data(as_text=True)
    assert "Vague" in page and "checked" in page


def test_an_invalid_value_is_refused_and_nothing_is_stored(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    response = save(client, mine, mine.items[0]["id"], "7")
    assert response.status_code == 422 and "1 to 5" in response.json["error"]
    assert save(client, mine, "no-such-question", "3").status_code == 422
    assert ratings_of(mine) == []


def test_a_colleague_cannot_read_or_write_my_interview(client, login, panel):
    candidate, mine, theirs, me, them = panel
    login(me)
    rate_all(client, mine, "4")
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    login(them)
    for url in (f"/interviews/{mine.id}", f"/candidates/{candidate.id}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Clear example with numbers" not in response.get_data(as_text=True)
    response = save(
        client, mine, mine.items[0]["id"], "1", "sabotage", token=csrf_token(client.get("/"))
    )
    assert response.status_code == 403
    assert {r.value for r in ratings_of(mine)} == {4}


def test_an_extreme_rating_needs_a_note_before_submit(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = rate_all(client, mine, "3")
    qid = mine.items[0]["id"]
    response = save(client, mine, qid, "5", "", token=token)
    assert response.status_code == 200  # kept as a draft: nothing typed is lost
    assert "needs a note" in response.json["problem"]
    refused = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "needs a note" in refused.get_data(as_text=True)
    assert db.session.get(Interview, mine.id).status == "in_progress"


def test_submit_needs_every_question_and_then_locks(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    save(client, mine, mine.items[0]["id"], "3", token=token)
    incomplete = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert incomplete.status_code == 422
    token = rate_all(client, mine, "nc", "")  # "not covered" is an answer, never a low score
    done = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert done.status_code == 302
    twice = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert twice.status_code == 302  # a double click is harmless
    interview = db.session.get(Interview, mine.id)
    assert interview.status == "submitted" and interview.submitted_at is not None
    locked = save(client, mine, mine.items[0]["id"], "1", "late change", token=token)
    assert locked.status_code == 409
    assert all(r.not_covered for r in ratings_of(mine))
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("interview.submit") == 1


def test_a_save_after_the_session_ended_asks_to_sign_in_in_json(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    client.post("/logout", data={"csrf_token": token})
    response = save(client, mine, mine.items[0]["id"], "3", token=token)
    assert response.status_code == 401 and response.json["error"] == "Signed out"


def test_an_interview_longer_than_the_token_lifetime_still_saves(
    app, client, login, panel, monkeypatch
):
    """Flask-WTF's default lifetime (1 h): two hours later the page's token has expired."""
    import itsdangerous.timed

    _, mine, _, me, _ = panel
    login(me)
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    later = itsdangerous.timed.TimestampSigner.get_timestamp(None) + 7200
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later)
    expired = save(client, mine, mine.items[0]["id"], "3", token=token)
    assert expired.status_code == 400 and expired.json["csrf_token"] != token
    retried = save(client, mine, mine.items[0]["id"], "3", token=expired.json["csrf_token"])
    assert retried.status_code == 200
    assert len(ratings_of(mine)) == 1
    rate_all(client, mine, "3")
    # Hours later again: the page's script fetches a fresh token before submitting.
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda s: later + 7200)
    stale = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert stale.status_code == 400
    fresh = client.get("/interviews/token").json["csrf_token"]
    done = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": fresh})
    assert done.status_code == 302


def test_my_interviews_lists_open_ones_first(client, login, panel, make_candidate, make_interview):
    candidate, mine, _, me, _ = panel
    login(me)
    page = client.get("/interviews").get_data(as_text=True)
    assert candidate.name in page and f"/interviews/{mine.id}" in page
