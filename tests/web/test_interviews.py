"""The interviewer's screen: autosave by upsert, sealed ratings, submit, reopen."""

from __future__ import annotations

import re

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


def save(client, interview, qid, value="", notes="", base=None, token=None):
    """The page script's autosave of one entry; `base` is the version the page saw."""
    token = token or csrf_token(client.get(f"/interviews/{interview.id}"))
    data = {"value": value, "notes": notes}
    if base is not None:
        data["base"] = str(base)
    url = f"/interviews/{interview.id}/ratings/{qid}"
    if qid == "recommendation":
        url = f"/interviews/{interview.id}/recommendation"
    return client.post(
        url,
        data=data,
        headers={"X-CSRFToken": token, "X-Requested-With": "fetch"},
    )


def rate_all(client, interview, value="3", notes="Clear example with numbers."):
    token = csrf_token(client.get(f"/interviews/{interview.id}"))
    for item in interview.items:
        response = save(client, interview, item["id"], value, notes, token=token)
        assert response.status_code == 200, response.json
        token = response.json["csrf_token"]
    return recommend(client, interview, token=token)


def recommend(client, interview, value="yes", evidence="Concrete examples.", token=None):
    """The overall recommendation and its key evidence, saved as the page's script does."""
    response = save(client, interview, "recommendation", value, evidence, token=token)
    assert response.status_code == 200, response.json
    return response.json["csrf_token"]


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
    assert page.count('type="radio"') == 6 * len(mine.items) + 4  # and the recommendation


def test_each_save_is_an_upsert_and_repeats_make_no_second_row(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    qid = mine.items[0]["id"]
    first = save(client, mine, qid, "3", "Solid", base=0)
    assert first.status_code == 200 and first.json["stored"] is True
    assert first.json["version"] == 1 and first.json["replaced"] is None
    assert first.json["answered"] == 1 and first.json["total"] == len(mine.items)
    assert first.json["csrf_token"]
    again = save(client, mine, qid, "3", "Solid", base=0)  # a retry: nothing new to store
    assert again.status_code == 200 and again.json["version"] == 1
    assert again.json["replaced"] is None
    later = save(client, mine, qid, "4", "Better on reflection", base=1)
    assert later.json["version"] == 2 and later.json["replaced"] is None
    [rating] = ratings_of(mine)
    assert (rating.value, rating.notes, rating.version) == (4, "Better on reflection", 2)
    assert db.session.get(Interview, mine.id).status == "in_progress"


def test_the_later_save_wins_and_says_what_it_replaced_unseen(client, login, panel):
    """Two tabs: each save carries the version its page saw; no clock is compared."""
    _, mine, _, me, _ = panel
    login(me)
    qid = mine.items[0]["id"]
    tab_a = save(client, mine, qid, "3", "From tab A", base=0)
    tab_b = save(client, mine, qid, "4", "From tab B", base=0)  # never saw tab A's edit
    assert tab_b.status_code == 200 and tab_b.json["version"] == 2
    assert tab_b.json["replaced"] == {"value": "3", "notes": "From tab A"}
    [rating] = ratings_of(mine)
    assert (rating.value, rating.notes) == (4, "From tab B")
    entries = client.get(f"/interviews/{mine.id}/entries").json["entries"]
    assert entries[qid] == {"value": "4", "notes": "From tab B", "version": 2}
    assert tab_a.json["version"] == 1 < entries[qid]["version"]  # tab A sees it changed


def test_a_whole_form_keeps_entries_changed_elsewhere_and_shows_both(client, login, panel):
    """A form posted without scripts cannot say which fields were edited: an entry changed
    since the page was loaded is kept, and the page shows it with what was typed."""
    _, mine, _, me, _ = panel
    login(me)
    first, second = mine.items[0]["id"], mine.items[1]["id"]
    token = csrf_token(client.get(f"/interviews/{mine.id}"))  # the form: every version 0
    save(client, mine, first, "5", "Changed in another tab", token=token)
    data = {"csrf_token": token, "action": "save", f"version-{first}": "0"}
    data[f"value-{first}"], data[f"notes-{first}"] = "2", "Typed in the old form"
    data[f"value-{second}"], data[f"version-{second}"] = "3", "0"
    response = client.post(f"/interviews/{mine.id}", data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Changed in another tab" in page and "Typed in the old form" in page
    saved = {r.question_id: (r.value, r.notes) for r in ratings_of(mine)}
    assert saved[first] == (5, "Changed in another tab")
    assert saved[second] == (3, "")  # not changed elsewhere: stored


@pytest.mark.parametrize(
    "base", ["-1", "1e9", "99999999999", "abc", "1.5", "٣", " 2 3", "[]", "{'a': 1}"]
)
def test_a_malformed_version_is_a_400_and_stores_nothing(client, login, panel, base):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    response = client.post(
        f"/interviews/{mine.id}/ratings/{mine.items[0]['id']}",
        data={"value": "3", "notes": "x", "base": base},
        headers={"X-CSRFToken": token, "X-Requested-With": "fetch"},
    )
    assert response.status_code == 400 and response.json["error"]
    assert ratings_of(mine) == []


def test_a_save_without_its_fields_or_as_json_is_refused_with_a_4xx(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    headers = {"X-CSRFToken": token, "X-Requested-With": "fetch"}
    url = f"/interviews/{mine.id}/ratings/{mine.items[0]['id']}"
    nested = {"value": [[[[["3"]]]]], "notes": {"a": {"b": {"c": "d"}}}, "base": 10**40}
    as_json = client.post(url, json=nested, headers=headers)
    assert as_json.status_code == 415 and "takes a form" in as_json.json["message"]
    assert client.post(url, data={"value": "3"}, headers=headers).status_code == 400
    huge = client.post(url, data={"value": "9" * 5000, "notes": ""}, headers=headers)
    assert huge.status_code == 422
    assert ratings_of(mine) == []


def test_notes_of_20000_characters_are_kept_and_longer_ones_refused_whole(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    qid = mine.items[0]["id"]
    note = ("word " * 4000)[:19_999] + "."
    assert save(client, mine, qid, "3", note).status_code == 200
    refused = save(client, mine, qid, "3", note + "!")
    assert refused.status_code == 422 and "20,000" in refused.json["error"]
    [rating] = ratings_of(mine)
    assert rating.notes == note  # stored whole, and the longer one was not cut to fit
    page = client.get(f"/interviews/{mine.id}").get_data(as_text=True)
    assert "maxlength" not in page


def test_the_form_without_scripts_saves_every_question(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    data = {"csrf_token": token, "action": "save"}
    data[f"value-{mine.items[0]['id']}"] = "2"
    data[f"notes-{mine.items[0]['id']}"] = "Vague"
    data[f"value-{mine.items[1]['id']}"] = "nc"
    response = client.post(f"/interviews/{mine.id}", data=data)
    assert response.status_code == 303
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
    for url in (
        f"/interviews/{mine.id}",
        f"/interviews/{mine.id}/entries",
        f"/candidates/{candidate.id}",
    ):
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
    assert refused.status_code == 303  # post-redirect-get: Back and reload never post again
    assert refused.location.endswith(f"/interviews/{mine.id}?check=1#problems")
    page = client.get(refused.location).get_data(as_text=True)
    assert 'id="problems"' in page and f'href="#q-{qid}"' in page and "needs a note" in page
    assert db.session.get(Interview, mine.id).status == "in_progress"


def test_submit_needs_every_question_and_then_locks(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    save(client, mine, mine.items[0]["id"], "3", token=token)
    incomplete = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert incomplete.status_code == 303
    page = client.get(incomplete.location).get_data(as_text=True)
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert links == [f"q-{item['id']}" for item in mine.items[1:]] + ["recommendation"] * 2
    token = rate_all(client, mine, "nc", "")  # "not covered" is an answer, never a low score
    done = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert done.status_code == 303
    twice = client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert twice.status_code == 303  # a double click is harmless
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
    assert done.status_code == 303


def test_my_interviews_lists_open_ones_first(client, login, panel, make_candidate, make_interview):
    candidate, mine, _, me, _ = panel
    login(me)
    page = client.get("/interviews").get_data(as_text=True)
    assert candidate.name in page and f"/interviews/{mine.id}" in page
