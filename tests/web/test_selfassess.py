"""The candidate's self-assessment through an invite link: consent, answers, timing, submit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Answer, SelfAssessment, utcnow
from assessment.selfassess import timing
from assessment.selfassess.invites import create_invite, shown_items

COMPETENCIES = ("lead", "own", "perspective", "process", "trust", "relationship")
FORBIDDEN_WORDS = re.compile(r"\b(key|keys|rationale|fails_on|reverse|competency)\b", re.I)
SHOWN_RE = re.compile(r'name="shown" value="([^"]+)"')
FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


@pytest.fixture
def invite(users, make_position, make_candidate):
    """A fresh invite: (assessment, token); `users` makes the admin the app needs to run."""
    position = make_position(title="Customer Support Lead")
    candidate = make_candidate(position)
    return create_invite(candidate.id, users["hr"])


def stored_items(assessment) -> list[dict]:
    db.session.rollback()
    return db.session.get(SelfAssessment, assessment.id).items


def answers(assessment) -> dict[str, Answer]:
    db.session.rollback()  # see what the requests committed
    rows = db.session.scalars(db.select(Answer).where(Answer.assessment_id == assessment.id))
    return {a.item_id: a for a in rows}


def state(assessment) -> SelfAssessment:
    db.session.rollback()
    return db.session.get(SelfAssessment, assessment.id)


def good_answer(item: dict) -> dict:
    """A valid answer: the best response as most, the worst as least; 4 on statements."""
    if item["type"] == "scenario":
        ranked = sorted(item["responses"], key=lambda r: r["key"])
        return {"most": ranked[-1]["id"], "least": ranked[0]["id"]}
    return {"value": "4"}


def consent(client, token):
    response = client.post(f"/a/{token}/start", data={"consent": "yes"})
    assert response.status_code == 302
    return response


def post_item(client, token, number, data, **kwargs):
    """GET the item page (as a browser shows it), then POST it with its shown-at stamp."""
    page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
    stamp = SHOWN_RE.search(page).group(1)
    return client.post(f"/a/{token}/item/{number}", data={"shown": stamp, **data}, **kwargs)


def answer_all(client, token, items, but=()):
    for number, item in enumerate(items, 1):
        if number not in but:
            assert post_item(client, token, number, good_answer(item)).status_code == 302


def test_welcome_says_what_it_is_and_asks_for_consent(client, invite):
    assessment, token = invite
    page = client.get(f"/a/{token}").get_data(as_text=True)
    assert "Customer Support Lead" in page
    assert "About 25 minutes" in page
    expires = assessment.expires_at  # in UTC; the browser shows it in its own zone
    assert f'<time datetime="{expires:%Y-%m-%dT%H:%M}Z" data-local-time>' in page
    assert f"{expires.day} {expires:%b %Y}, {expires:%H:%M} UTC</time>" in page
    assert "the time you spend on each item" in page
    assert "hiring team for this position" in page
    assert "Start" in page and 'name="consent"' in page
    assert client.get(f"/a/{token}").headers["Referrer-Policy"] == "no-referrer"


def test_consent_is_required_before_any_answer(client, invite):
    assessment, token = invite
    item = stored_items(assessment)[0]
    # Item pages and saves before consent lead back to the welcome page; nothing stored.
    assert client.get(f"/a/{token}/item/1").headers["Location"].endswith(f"/a/{token}")
    refused = client.post(f"/a/{token}/item/1", data=good_answer(item))
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/a/{token}")
    assert client.get(f"/a/{token}/review").status_code == 302
    assert answers(assessment) == {}
    # Start without ticking the box: the page again, with a clear message.
    unticked = client.post(f"/a/{token}/start", data={})
    assert unticked.status_code == 422
    assert "tick the box" in unticked.get_data(as_text=True)
    assert state(assessment).consented_at is None
    started = consent(client, token)
    assert started.headers["Location"].endswith(f"/a/{token}/item/1")
    first = state(assessment)
    assert first.consented_at is not None and first.status == "in_progress"
    consent(client, token)  # again: recorded once
    assert state(assessment).consented_at == first.consented_at


def test_answering_follows_the_stored_shuffled_order(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    for number, item in enumerate(items, 1):
        page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
        assert f"Item {number} of {len(items)}" in page
        if item["type"] == "scenario":
            assert escape(item["situation"]) in page
            where = [page.index(escape(r["text"])) for r in item["responses"]]
            assert where == sorted(where), "responses in the stored order"
            assert page.count("<fieldset") == 2
            assert "Most effective" in page and "Least effective" in page
        else:
            assert escape(item["text"]) in page
            assert "Strongly disagree" in page and "Strongly agree" in page
        response = post_item(client, token, number, good_answer(item))
        assert response.status_code == 302
        target = f"/a/{token}/item/{number + 1}" if number < len(items) else f"/a/{token}/review"
        assert response.headers["Location"].endswith(target)
    stored = answers(assessment)
    assert len(stored) == len(items)
    for index, item in enumerate(items):
        assert stored[item["id"]].position == index


def test_orders_are_per_candidate_and_stable(client, users, make_candidate, bank, invite):
    assessment, token = invite
    # The order is the assessment's seeded shuffle, of the items and of each one's responses.
    assert shown_items(bank, state(assessment).seed) == stored_items(assessment)
    orders = [[r["id"] for r in i["responses"]] for i in assessment.items if "responses" in i]
    assert any(order != sorted(order) for order in orders)
    _, other_token = create_invite(make_candidate().id, users["hr"])
    other = db.session.scalar(db.select(SelfAssessment).where(SelfAssessment.id != assessment.id))
    mine = [i["id"] for i in stored_items(assessment)]
    theirs = [i["id"] for i in other.items]
    assert sorted(mine) == sorted(theirs) and mine != theirs
    consent(client, token)
    first = client.get(f"/a/{token}/item/1").get_data(as_text=True)
    again = client.get(f"/a/{token}/item/1").get_data(as_text=True)
    assert SHOWN_RE.sub("", first) == SHOWN_RE.sub("", again)


def test_leaving_and_coming_back_resumes_at_the_item_last_seen(app, client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    assert client.post(f"/a/{token}/start").headers["Location"].endswith("/item/1")  # none seen
    for number in (1, 2, 4):
        post_item(client, token, number, good_answer(items[number - 1]))
    client.get(f"/a/{token}/item/2")  # went back to look at item 2, then left
    fresh = app.test_client()  # another device, no cookies at all
    page = fresh.get(f"/a/{token}").get_data(as_text=True)
    assert "Continue where you left off" in page
    assert f'href="/a/{token}/item/2"' in page  # where they were, not the first unanswered
    assert "3 of 45" in page
    assert fresh.post(f"/a/{token}/start").headers["Location"].endswith("/item/2")
    assert state(assessment).last_item == 2
    # "Back" saves what is chosen and shows the previous item with its saved answer.
    item3 = items[2]
    back = post_item(fresh, token, 3, {**good_answer(item3), "go": "back"})
    assert back.headers["Location"].endswith(f"/a/{token}/item/2")
    shown = fresh.get(f"/a/{token}/item/2").get_data(as_text=True)
    saved = good_answer(items[1])
    for field, value in saved.items():
        assert re.search(rf'name="{field}" id="[^"]+" value="{value}"\s+checked', shown)
    assert items[2]["id"] in answers(assessment)


def test_a_double_post_stores_one_answer_the_latest(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    number = next(n for n, i in enumerate(items, 1) if i["type"] != "scenario")
    consent(client, token)
    page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
    stamp = SHOWN_RE.search(page).group(1)
    for value in ("2", "5"):
        sent = client.post(f"/a/{token}/item/{number}", data={"value": value, "shown": stamp})
        assert sent.status_code == 302
    rows = db.session.scalars(db.select(Answer).where(Answer.assessment_id == assessment.id))
    assert [(r.item_id, r.value) for r in rows] == [(items[number - 1]["id"], 5)]


def _scenario(items, min_responses=0) -> tuple[int, dict]:
    return next(
        (n, i)
        for n, i in enumerate(items, 1)
        if i["type"] == "scenario" and len(i["responses"]) >= min_responses
    )


def test_most_and_least_must_differ_and_the_page_keeps_the_choices(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    number, item = _scenario(items)
    pick = item["responses"][1]["id"]
    consent(client, token)
    refused = post_item(client, token, number, {"most": pick, "least": pick})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "cannot be both the most and the least effective" in page
    assert re.search(rf'name="most" id="most-{pick}" value="{pick}"\s+checked', page)
    assert re.search(rf'name="least" id="least-{pick}" value="{pick}"\s+checked', page)
    assert answers(assessment) == {}
    # One pick only on Next: asked for the other one, and kept.
    half = post_item(client, token, number, {"most": pick})
    assert half.status_code == 422
    assert "Also choose the least effective response" in half.get_data(as_text=True)


@pytest.mark.parametrize(
    "bad",
    [
        {"most": "zz", "least": "a"},
        {"most": "a", "least": "<script>"},
        {"most": "a'--", "least": "b"},
    ],
)
def test_picks_must_be_responses_of_this_item(client, invite, bad):
    assessment, token = invite
    number, _ = _scenario(stored_items(assessment))
    consent(client, token)
    refused = post_item(client, token, number, bad)
    assert refused.status_code == 422
    assert "Choose among the responses shown" in refused.get_data(as_text=True)
    assert "<script>" not in refused.get_data(as_text=True)
    assert answers(assessment) == {}


def test_a_pick_from_another_item_is_refused(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    number, item = next(
        (n, i)
        for n, i in enumerate(items, 1)
        if i["type"] == "scenario" and len(i["responses"]) == 4
    )
    ours = {r["id"] for r in item["responses"]}
    foreign = next(
        r["id"]
        for other in items
        if other["type"] == "scenario"
        for r in other["responses"]
        if r["id"] not in ours
    )
    consent(client, token)
    refused = post_item(client, token, number, {"most": foreign, "least": sorted(ours)[0]})
    assert refused.status_code == 422
    assert answers(assessment) == {}


@pytest.mark.parametrize("value", ["0", "6", "5.5", "-1", "NaN", "1e309", "x"])
def test_agreement_is_1_to_5(client, invite, value):
    assessment, token = invite
    items = stored_items(assessment)
    number = next(n for n, i in enumerate(items, 1) if i["type"] == "statement")
    consent(client, token)
    refused = post_item(client, token, number, {"value": value})
    assert refused.status_code == 422
    assert "from 1 to 5" in refused.get_data(as_text=True)
    assert answers(assessment) == {}


def test_extra_fields_and_bad_item_numbers_change_nothing(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    data = {**good_answer(items[0]), "position": "99", "item_id": items[1]["id"]}
    post_item(client, token, 1, data)
    assert list(answers(assessment)) == [items[0]["id"]]
    assert answers(assessment)[items[0]["id"]].position == 0
    for number in (0, len(items) + 1):
        assert client.get(f"/a/{token}/item/{number}").status_code == 404
        assert client.post(f"/a/{token}/item/{number}", data={"value": "3"}).status_code == 404
    assert client.get(f"/a/{token}/item/x").status_code == 404


def test_next_without_an_answer_moves_on_and_the_review_lists_it(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    skipped = post_item(client, token, 1, {})
    assert skipped.status_code == 302 and skipped.headers["Location"].endswith("/item/2")
    page = client.get(f"/a/{token}/review").get_data(as_text=True)
    assert f"0 of {len(items)}" in page
    assert f'href="/a/{token}/item/1"' in page
    assert "Send my answers" not in page
    overview = post_item(client, token, 2, {"go": "review"})
    assert overview.headers["Location"].endswith(f"/a/{token}/review")


def test_submitting_needs_every_item_answered(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    answer_all(client, token, items, but=(5, 9))
    refused = client.post(f"/a/{token}/submit")
    assert refused.status_code == 303  # post-redirect-get: Back and reload send nothing
    page = client.get(refused.location).get_data(as_text=True)
    assert "2 item(s) still need an answer" in page
    assert f'href="/a/{token}/item/5"' in page and f'href="/a/{token}/item/9"' in page
    assert state(assessment).status == "in_progress"


def test_submit_locks_and_a_second_submit_is_harmless(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    answer_all(client, token, items)
    review = client.get(f"/a/{token}/review").get_data(as_text=True)
    assert "Send my answers" in review
    sent = client.post(f"/a/{token}/submit")
    assert sent.status_code == 200
    assert "What happens next" in sent.get_data(as_text=True)
    assert "close this page" in sent.get_data(as_text=True)
    done = state(assessment)
    assert done.status == "submitted" and done.submitted_at is not None
    before = {k: (a.most, a.least, a.value, a.ms_total) for k, a in answers(assessment).items()}
    again = client.post(f"/a/{token}/submit")
    assert again.status_code == 200 and "What happens next" in again.get_data(as_text=True)
    assert state(assessment).submitted_at == done.submitted_at
    # After submitting, the link is used: pages show the thank-you with 410 Gone, saves
    # answer 409, and nothing changes.
    for url in (f"/a/{token}", f"/a/{token}/item/1", f"/a/{token}/review"):
        page = client.get(url)
        assert page.status_code == 410 and "What happens next" in page.get_data(as_text=True)
    item = items[0]
    change = {"value": "1"} if item["type"] != "scenario" else {"most": item["responses"][0]["id"]}
    locked = client.post(f"/a/{token}/item/1", data=change)
    assert locked.status_code == 409
    assert "nothing was changed" in locked.get_data(as_text=True)
    assert client.post(f"/a/{token}/item/1", json=change, headers=FETCH).status_code == 409
    assert client.post(f"/a/{token}/start", data={"consent": "yes"}).status_code == 302
    after = {k: (a.most, a.least, a.value, a.ms_total) for k, a in answers(assessment).items()}
    assert after == before and state(assessment).status == "submitted"


def _leaks(text: str, items: list[dict]) -> list[str]:
    found = [m.group(0) for m in FORBIDDEN_WORDS.finditer(text)]
    for item in items:
        found += [item["id"]] if item["id"] in text else []
        for r in item.get("responses", ()):
            rationale = r["rationale"]
            found += [rationale] if rationale in text or escape(rationale) in text else []
    found += [f'"{c}"' for c in COMPETENCIES if f'"{c}"' in text or f"'{c}'" in text]
    found += [f"{c}-" for c in COMPETENCIES if re.search(rf"\b{c}-(sjt|self)", text)]
    return found


def test_no_page_or_response_leaks_the_scoring_key(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    seen = [client.get(f"/a/{token}"), client.post(f"/a/{token}/start")]
    consent(client, token)
    seen.append(client.get(f"/a/{token}"))
    for number, item in enumerate(items, 1):
        seen.append(client.get(f"/a/{token}/item/{number}"))
        if item["type"] == "scenario":  # a refused post re-renders the item
            pick = item["responses"][0]["id"]
            seen.append(post_item(client, token, number, {"most": pick, "least": pick}))
            seen.append(
                client.post(f"/a/{token}/item/{number}", json={"most": pick}, headers=FETCH)
            )
        else:
            seen.append(client.post(f"/a/{token}/item/{number}", json={"value": 9}, headers=FETCH))
        seen.append(post_item(client, token, number, good_answer(item)))
    seen.append(client.get(f"/a/{token}/review"))
    seen.append(client.post(f"/a/{token}/submit", follow_redirects=True))
    seen.append(client.get(f"/a/{token}/item/1"))
    seen.append(client.post(f"/a/{token}/item/1", data={"value": "3"}))
    assert "What happens next" in seen[-3].get_data(as_text=True)
    for response in seen:
        text = response.get_data(as_text=True)
        assert _leaks(text, items) == [], (response.request.path, response.status_code)
    for asset in ("/static/js/selfassess.js", "/static/css/selfassess.css"):
        assert _leaks(client.get(asset).get_data(as_text=True), items) == []


def test_unknown_expired_and_revoked_links_get_a_polite_page(client, users, invite):
    assessment, token = invite
    unknown = client.get("/a/" + token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert unknown.status_code == 404
    assert "This link does not work" in unknown.get_data(as_text=True)
    assert "the person who sent you the link" in unknown.get_data(as_text=True)
    assert client.get("/a/" + "x" * 200).status_code == 404
    with write_transaction():
        db.session.get(SelfAssessment, assessment.id).expires_at = utcnow() - timedelta(hours=1)
    for url in (f"/a/{token}", f"/a/{token}/item/1", f"/a/{token}/review"):
        expired = client.get(url)
        assert expired.status_code == 410
        page = expired.get_data(as_text=True)
        assert "This link has expired" in page and "the person who sent you the link" in page
        assert "Traceback" not in page and "Sign out" not in page
    assert client.post(f"/a/{token}/item/1", data={"value": "3"}).status_code == 410
    assert client.post(f"/a/{token}/submit").status_code == 410
    fetch = client.post(f"/a/{token}/item/1", json={"value": "3"}, headers=FETCH)
    assert fetch.status_code == 410 and fetch.is_json
    with write_transaction():
        row = db.session.get(SelfAssessment, assessment.id)
        row.expires_at = utcnow() + timedelta(days=3)
        row.revoked_at = utcnow()
    revoked = client.get(f"/a/{token}")
    assert revoked.status_code == 410
    assert "no longer active" in revoked.get_data(as_text=True)
    assert "the person who sent you the link" in revoked.get_data(as_text=True)
    assert answers(assessment) == {}


def test_timings_from_the_page_script_add_up_over_visits(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    number, item = _scenario(items)
    consent(client, token)
    timed = {**good_answer(item), "ms_first": "3500", "ms_total": "9000"}
    post_item(client, token, number, timed)
    row = answers(assessment)[item["id"]]
    assert (row.position, row.ms_to_first_answer, row.ms_total) == (number - 1, 3500, 9000)
    # A revisit adds its time; the first pick keeps the time of the first showing.
    post_item(client, token, number, {**good_answer(item), "ms_first": "400", "ms_total": "2000"})
    row = answers(assessment)[item["id"]]
    assert (row.ms_to_first_answer, row.ms_total) == (3500, 11000)
    # The script's save as a pick is made, then Next from the same page: not counted twice.
    page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
    stamp = SHOWN_RE.search(page).group(1)
    early = {"most": item["responses"][0]["id"], "ms_first": 800, "ms_total": 800, "shown": stamp}
    saved = client.post(f"/a/{token}/item/{number}", json=early, headers=FETCH)
    assert saved.status_code == 200 and saved.json["saved"] is True
    assert answers(assessment)[item["id"]].ms_total == 11800
    final = {**good_answer(item), "ms_first": "800", "ms_total": "1500", "shown": stamp}
    client.post(f"/a/{token}/item/{number}", data=final)
    assert answers(assessment)[item["id"]].ms_total == 12500


def test_without_the_script_the_signed_shown_at_time_is_used(client, invite, monkeypatch):
    assessment, token = invite
    items = stored_items(assessment)
    consent(client, token)
    clock = {"now": 1_700_000_000_000}
    monkeypatch.setattr(timing, "now_ms", lambda: clock["now"])
    page = client.get(f"/a/{token}/item/1").get_data(as_text=True)
    stamp = SHOWN_RE.search(page).group(1)
    clock["now"] += 7_250
    client.post(f"/a/{token}/item/1", data={**good_answer(items[0]), "shown": stamp})
    row = answers(assessment)[items[0]["id"]]
    assert (row.ms_to_first_answer, row.ms_total, row.position) == (None, 7_250, 0)
    # A forged or foreign stamp is ignored (the answer still counts); the time stays.
    other = SHOWN_RE.search(client.get(f"/a/{token}/item/2").get_data(as_text=True)).group(1)
    for bad in (stamp[:-2] + "xx", other):
        clock["now"] += 60_000
        sent = client.post(f"/a/{token}/item/1", data={**good_answer(items[0]), "shown": bad})
        assert sent.status_code == 302
        assert answers(assessment)[items[0]["id"]].ms_total == 7_250


def test_the_script_saves_single_picks_as_they_are_made(client, invite):
    assessment, token = invite
    items = stored_items(assessment)
    number, item = _scenario(items)
    pick = item["responses"][2]["id"]
    consent(client, token)
    saved = client.post(f"/a/{token}/item/{number}", json={"most": pick}, headers=FETCH)
    assert saved.status_code == 200
    assert saved.json == {
        "saved": True,
        "version": 1,
        "replaced": None,
        "answered": 0,
        "total": len(items),
    }
    row = answers(assessment)[item["id"]]
    assert (row.most, row.least) == (pick, None)
    same = client.post(
        f"/a/{token}/item/{number}", json={"most": pick, "least": pick}, headers=FETCH
    )
    assert same.status_code == 422 and "cannot be both" in same.json["message"]
    not_json = client.post(
        f"/a/{token}/item/{number}", data="[1, 2", content_type="application/json", headers=FETCH
    )
    assert not_json.status_code == 400 and not_json.json["error"] == "Bad request"
    assert answers(assessment)[item["id"]].most == pick


def test_the_link_is_rate_limited_per_address(client, invite):
    _, token = invite
    statuses = {client.get(f"/a/{token}").status_code for _ in range(300)}
    assert statuses == {200}
    assert client.get(f"/a/{token}").status_code == 429


def test_two_tabs_on_one_item_the_later_save_wins_and_says_what_it_replaced(client, invite):
    """The server issues each answer's version: the page's script always stores (the later
    arrival wins) and hears what it replaced unseen; a form's Next based on an older
    version keeps the stored answer and shows it (409), never overwriting it silently."""
    assessment, token = invite
    items = stored_items(assessment)
    number = next(n for n, i in enumerate(items, 1) if i["type"] != "scenario")
    consent(client, token)
    url = f"/a/{token}/item/{number}"
    tab_a = client.post(url, json={"value": "2", "base": 0}, headers=FETCH)
    tab_b = client.post(url, json={"value": "5", "base": 0}, headers=FETCH)
    assert tab_a.json["version"] == 1 and tab_b.json["version"] == 2
    assert tab_b.json["replaced"] == {"most": None, "least": None, "value": 2}
    stale = client.post(url, data={"value": "1", "base": "1", "go": "next"})
    assert stale.status_code == 409 and "another tab" in stale.get_data(as_text=True)
    assert answers(assessment)[items[number - 1]["id"]].value == 5
    again = client.post(url, json={"value": "5", "base": 0}, headers=FETCH)  # a retry
    assert again.json["version"] == 2 and again.json["replaced"] is None


@pytest.mark.parametrize("base", [-1, 10**30, "x", [1], 2.5, True, {"a": {"b": 1}}])
def test_a_malformed_version_is_a_400_and_stores_nothing(client, invite, base):
    assessment, token = invite
    consent(client, token)
    response = client.post(f"/a/{token}/item/1", json={"value": "3", "base": base}, headers=FETCH)
    assert response.status_code == 400
    assert answers(assessment) == {}


def test_json_nested_past_pythons_limit_is_a_400(client, invite):
    assessment, token = invite
    consent(client, token)
    deep = "[" * 100_000 + "]" * 100_000
    for headers in (FETCH, {}):
        response = client.post(
            f"/a/{token}/item/1",
            data=deep,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 400
    assert answers(assessment) == {}
