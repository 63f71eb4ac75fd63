"""After submitting: the debrief by disagreement, revisions with a reason, HR's reopen."""

from __future__ import annotations

import re

import pytest

from assessment.extensions import db
from assessment.models import AuditEntry, Interview, Rating
from tests.conftest import csrf_token
from tests.web.helpers import sign_out
from tests.web.test_interviews import rate_all, recommend, save


def blocks(page: str) -> list[str]:
    """The competency ids of the debrief's blocks, in page order."""
    return re.findall(r'class="card debrief-block" id="c-([a-z]+)"', page)


@pytest.fixture
def debriefed(client, login, users, make_user, make_candidate, make_interview):
    """Two managers rated and submitted: `me` rated everything 2, `them` 5 (with notes)."""
    me, them = users["manager"], make_user("manager", name="Tom Rivera")
    candidate = make_candidate(name="Ada Okafor")
    mine, theirs = make_interview(candidate, me), make_interview(candidate, them)
    for user, interview, value, notes in (
        (me, mine, "2", "Vague on numbers"),
        (them, theirs, "5", "Cut churn 9%→4%"),
    ):
        login(user)
        token = rate_all(client, interview, value, notes)
        assert (
            client.post(
                f"/interviews/{interview.id}/submit", data={"csrf_token": token}
            ).status_code
            == 303
        )
        sign_out(client)
    return candidate, mine, theirs, me, them


def test_before_every_panellist_submits_the_debrief_shows_no_ratings(
    client, login, users, make_user, make_candidate, make_interview
):
    me, them = users["manager"], make_user("manager", name="Tom Rivera")
    candidate = make_candidate()
    mine, _ = make_interview(candidate, me), make_interview(candidate, them)
    login(me)
    token = rate_all(client, mine, "4", "Strong example")
    sealed = client.get(f"/candidates/{candidate.id}/debrief")
    assert sealed.status_code == 403  # not submitted yet: nothing of the panel's
    client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    page = client.get(f"/candidates/{candidate.id}/debrief").get_data(as_text=True)
    assert "Waiting for the panel" in page and "Tom Rivera (not started)" in page
    assert "Strong example" not in page


def test_debrief_lists_competencies_by_disagreement_with_notes_side_by_side(
    client, login, users, debriefed, bank
):
    candidate, mine, *_ = debriefed
    login(users["hr"])
    page = client.get(f"/candidates/{candidate.id}/debrief").get_data(as_text=True)
    assert "Vague on numbers" in page and "Cut churn 9%→4%" in page
    rated = list(dict.fromkeys(i["competency"] for i in mine.items))
    # Every rated competency disagrees by 3 here: all of them come first, each flagged.
    assert set(blocks(page)[: len(rated)]) == set(rated)
    assert page.count("panel disagrees: spread 3.0") == len(rated)


def test_debrief_order_puts_the_biggest_disagreement_first(
    client, login, users, make_user, make_candidate, make_interview, bank
):
    me, them = users["manager"], make_user("manager")
    candidate = make_candidate()
    mine, theirs = make_interview(candidate, me), make_interview(candidate, them)
    split = mine.items[-1]["competency"]  # the last competency on the form
    for user, interview, far in ((me, mine, "1"), (them, theirs, "5")):
        login(user)
        token = csrf_token(client.get(f"/interviews/{interview.id}"))
        for item in interview.items:
            value = far if item["competency"] == split else "3"
            response = save(client, interview, item["id"], value, "evidence", token=token)
            token = response.json["csrf_token"]
        token = recommend(client, interview, token=token)
        client.post(f"/interviews/{interview.id}/submit", data={"csrf_token": token})
        sign_out(client)
    login(users["hr"])
    page = client.get(f"/candidates/{candidate.id}/debrief").get_data(as_text=True)
    assert blocks(page)[0] == split


def test_a_change_after_the_debrief_needs_a_reason_and_is_audited(client, login, debriefed):
    candidate, mine, _, me, _ = debriefed
    qid = mine.items[0]["id"]
    login(me)
    token = csrf_token(client.get(f"/candidates/{candidate.id}/debrief"))
    url = f"/interviews/{mine.id}/ratings/{qid}/revise"
    data = {"csrf_token": token, "question_id": qid, "value": "3", "notes": "Heard more in debrief"}
    client.post(url, data={**data, "reason": ""})
    assert (
        db.session.scalar(
            db.select(Rating.value).where(Rating.question_id == qid, Rating.interview_id == mine.id)
        )
        == 2
    )
    client.post(url, data={**data, "reason": "Tom's churn numbers were in her answer too"})
    rating = db.session.scalar(
        db.select(Rating).where(Rating.question_id == qid, Rating.interview_id == mine.id)
    )
    assert (rating.value, rating.notes) == (3, "Heard more in debrief")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "rating.revise"))
    assert entry.user_id == me.id and entry.reason.startswith("Tom's churn")
    assert entry.old[qid]["value"] == 2 and entry.new[qid]["value"] == 3


def test_a_colleague_cannot_revise_my_rating(client, login, debriefed):
    candidate, mine, _, _, them = debriefed
    qid = mine.items[0]["id"]
    login(them)
    token = csrf_token(client.get(f"/candidates/{candidate.id}/debrief"))
    response = client.post(
        f"/interviews/{mine.id}/ratings/{qid}/revise",
        data={"csrf_token": token, "question_id": qid, "value": "5", "reason": "I know better"},
    )
    assert response.status_code == 403


def test_hr_reopens_with_a_reason_and_the_audit_log_keeps_old_and_new(
    client, login, users, debriefed
):
    candidate, mine, _, me, _ = debriefed
    login(users["manager"])
    token = csrf_token(client.get("/"))
    assert (
        client.post(
            f"/interviews/{mine.id}/reopen", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 403
    )
    sign_out(client)
    login(users["hr"])
    token = csrf_token(client.get(f"/candidates/{candidate.id}/debrief"))
    client.post(f"/interviews/{mine.id}/reopen", data={"csrf_token": token, "reason": ""})
    assert db.session.get(Interview, mine.id).status == "submitted"  # no reason, no reopen
    response = client.post(
        f"/interviews/{mine.id}/reopen",
        data={"csrf_token": token, "reason": "Rated the wrong candidate's answers on Q1"},
    )
    assert response.status_code == 302
    assert db.session.get(Interview, mine.id).status == "in_progress"
    sign_out(client)
    login(me)
    qid = mine.items[0]["id"]
    token = save(client, mine, qid, "4", "Corrected").json["csrf_token"]
    assert (
        client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token}).status_code == 303
    )
    reopen, resubmit = db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.action.in_(("interview.reopen", "interview.submit")),
            AuditEntry.entity_id == mine.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(2)
    ).all()[::-1]
    assert reopen.action == "interview.reopen" and reopen.user_id == users["hr"].id
    assert reopen.reason.startswith("Rated the wrong") and reopen.old["ratings"][qid]["value"] == 2
    assert resubmit.user_id == me.id and resubmit.new["ratings"][qid]["value"] == 4
