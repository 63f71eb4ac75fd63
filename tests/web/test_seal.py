"""The seal holds everywhere (finding 1): an admin or HR person on a candidate's panel who
has not submitted sees nothing derived from colleagues' ratings in the audit log, the
comparison list's decision column, filter and sort, or the candidate page, and cannot
reopen or revise a colleague's interview."""

from __future__ import annotations

import re

import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.interviews.services import (
    RatingInput,
    record_ratings,
    reopen_interview,
    revise_rating,
    submit_interview,
)
from assessment.models import AuditEntry, Interview, Rating
from assessment.positions.panels import assign_panel
from assessment.review.services import record_decision
from tests.conftest import csrf_token
from tests.web.helpers import sign_out

NAME = re.compile(r'<th scope="row" class="who"><a href="/candidates/(\d+)">')
# What colleagues typed or HR decided: none of it may reach a sealed panellist.
SECRETS = (
    "NOTE-OF-THE-MANAGER",
    "NOTE-OF-THE-REVISION",
    "REASON-FOR-THE-REVISION",
    "RATIONALE-OF-THE-DECISION",
    "REASON-FOR-REOPENING",
    "REASON-FOR-REOPENING-AGAIN",
    "KEY-NOTE-OF-THE-MANAGER",  # the recommendation's key evidence, in the re-submit entry
)


def _interview(candidate, user) -> Interview:
    return db.session.scalar(
        db.select(Interview).where(
            Interview.candidate_id == candidate.id, Interview.interviewer_id == user.id
        )
    )


def _rate_and_submit(interview_id: int, user, notes: str) -> None:
    interview = db.session.get(Interview, interview_id)
    entries = [RatingInput(q["id"], "4", notes) for q in interview.items]
    entries.append(RatingInput("recommendation", "yes", f"KEY-{notes}"))
    record_ratings(interview_id, user, entries)
    submit_interview(interview_id, user)


@pytest.fixture
def panel(users, make_user, make_candidate):
    """A candidate interviewed by the admin and a manager, both submitted; then the manager
    revised a rating, HR (not on the panel) decided, reopened the manager's interview, the
    manager submitted again, and HR reopened the admin's interview: the admin is sealed."""
    admin, hr, manager = users["admin"], users["hr"], make_user("manager")
    candidate = make_candidate()
    assign_panel(candidate.id, {admin.id: None, manager.id: None}, hr)
    mine, theirs = _interview(candidate, admin).id, _interview(candidate, manager).id
    _rate_and_submit(mine, admin, "my own note")
    _rate_and_submit(theirs, manager, "NOTE-OF-THE-MANAGER")
    question = db.session.get(Interview, theirs).items[0]["id"]
    revision = RatingInput(question, "2", "NOTE-OF-THE-REVISION")
    revise_rating(theirs, manager, revision, "REASON-FOR-THE-REVISION")
    record_decision(candidate.id, hr, "hold", "RATIONALE-OF-THE-DECISION")
    reopen_interview(theirs, hr, "REASON-FOR-REOPENING")
    submit_interview(theirs, manager)
    reopen_interview(mine, hr, "REASON-FOR-REOPENING-AGAIN")
    return candidate, mine, theirs, manager


def _log(client, query: str = "") -> str:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_audit_log_keeps_the_seal_for_an_admin_on_the_panel(
    client, users, login, make_user, panel
):
    candidate, mine, _theirs, _manager = panel
    login(users["admin"])
    for query in ("", "?action=interview.reopen", "?action=decision.record"):
        page = _log(client, query)
        assert not [s for s in SECRETS if s in page], query
        assert "Values and reason sealed" in page, query
    page = _log(client)
    assert "Decision recorded" in page and "Interview reopened" in page  # that, and when
    assert "hold" not in page.split("<tbody>", 1)[1]  # neither the decision nor its band
    assert "evidence" not in page.split("<tbody>", 1)[1]
    # Submitted again, the admin reads every value and reason.
    submit_interview(mine, users["admin"])
    page = _log(client)
    assert all(s in page for s in SECRETS) and "Values and reason sealed" not in page


def test_an_admin_off_the_panel_reads_the_whole_log(client, make_user, login, panel):
    login(make_user("admin", email="second.admin@example.com"))
    page = _log(client)
    assert all(s in page for s in SECRETS) and "Values and reason sealed" not in page


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_a_sealed_panellist_cannot_reopen_or_revise_a_colleagues_interview(
    client, users, make_user, make_candidate, login, role
):
    sealed, manager = make_user(role), make_user("manager")
    candidate = make_candidate()
    assign_panel(candidate.id, {sealed.id: None, manager.id: None}, users["hr"])
    theirs = _interview(candidate, manager).id
    _rate_and_submit(theirs, manager, "NOTE-OF-THE-MANAGER")
    audited = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    login(sealed)
    token = csrf_token(client.get("/interviews"))
    reopen = client.post(
        f"/interviews/{theirs}/reopen", data={"csrf_token": token, "reason": "peek"}
    )
    assert reopen.status_code == 403
    assert "Submit your own interview" in reopen.get_data(as_text=True)
    question = db.session.get(Interview, theirs).items[0]["id"]
    revise = client.post(
        f"/interviews/{theirs}/ratings/{question}/revise",
        data={"csrf_token": token, "value": "1", "notes": "x", "reason": "peek"},
    )
    assert revise.status_code == 403
    db.session.expire_all()
    assert db.session.get(Interview, theirs).status == "submitted"
    ratings = db.session.scalars(db.select(Rating.value).where(Rating.interview_id == theirs))
    assert set(ratings) == {4}
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == audited
    # Once their own interview is submitted, they may reopen (HR and admins).
    _rate_and_submit(_interview(candidate, sealed).id, sealed, "mine")
    reopen = client.post(
        f"/interviews/{theirs}/reopen", data={"csrf_token": token, "reason": "a typo"}
    )
    assert reopen.status_code == 302
    assert db.session.get(Interview, theirs).status == "in_progress"


def test_the_standing_decision_stays_sealed_in_the_list_and_on_the_candidate_page(
    client, users, make_user, make_position, make_candidate, login
):
    sealed, other_hr, manager = make_user("hr"), users["hr"], make_user("manager")
    position = make_position()
    mine, other = make_candidate(position), make_candidate(position)
    for candidate in (mine, other):
        assign_panel(candidate.id, {manager.id: None}, other_hr)
        _rate_and_submit(_interview(candidate, manager).id, manager, "seen")
        record_decision(candidate.id, other_hr, "hold", "Why.")
    assign_panel(mine.id, {manager.id: None, sealed.id: None}, other_hr)
    login(sealed)
    base = f"/positions/{position.id}"
    page = client.get(base).get_data(as_text=True)
    mine_row = next(r for r in page.split("<tr")[1:] if f'/candidates/{mine.id}"' in r)
    assert "decision-hold" not in mine_row and "sealed" in mine_row

    def listed(query: str) -> list[int]:
        response = client.get(base + query)
        assert response.status_code == 200
        return [int(i) for i in NAME.findall(response.get_data(as_text=True))]

    assert listed("?decision=hold") == [other.id]
    assert listed("?decision=none") == []  # "undecided" would tell as much
    assert listed("?sort=decision") == [other.id, mine.id]  # sealed: after the others
    assert listed("?sort=decision&dir=asc") == [other.id, mine.id]
    assert client.get(f"/candidates/{mine.id}").status_code == 403
    sign_out(client)
    login(other_hr)  # off the panel: sees it all
    assert listed("?decision=hold") == sorted([mine.id, other.id])


def test_the_rule_is_one_function_every_surface_asks(app, users, make_user, make_candidate):
    from assessment.visibility import hidden_evidence, may_see_evidence

    hr, manager = users["hr"], make_user("manager")
    on_panel, off_panel = make_candidate(), make_candidate()
    assign_panel(on_panel.id, {hr.id: None, manager.id: None}, hr)
    assert hidden_evidence(hr, [on_panel.id, off_panel.id]) == {on_panel.id}
    assert hidden_evidence(manager, [on_panel.id, off_panel.id]) == {on_panel.id, off_panel.id}
    assert not may_see_evidence(hr, on_panel.id) and may_see_evidence(hr, off_panel.id)
    with write_transaction() as session:
        row = session.get(Interview, _interview(on_panel, hr).id)
        row.status = "submitted"
    assert hidden_evidence(hr, [on_panel.id]) == set()
