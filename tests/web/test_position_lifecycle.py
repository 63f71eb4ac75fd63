"""A position over time: renamed, closed (read-only, out of the default lists, exports still
work) and reopened; every change audited."""

from __future__ import annotations

import pytest

from assessment.extensions import db
from assessment.models import Candidate, Position
from assessment.positions.closing import close_position
from assessment.selfassess.invites import create_invite
from tests.conftest import csrf_token, post_form
from tests.web.helpers import audits, wait_done


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def press(client, url: str, page: str):
    return client.post(url, data={"csrf_token": csrf_token(client.get(page))})


def test_rename_a_position(client, hr, make_position):
    position = make_position(title="Support lead")
    url = f"/positions/{position.id}/settings"
    response = post_form(client, url, {"title": "  Head of  support "})
    assert response.status_code == 302
    assert db.session.get(Position, position.id).title == "Head of support"
    empty = post_form(client, url, {"title": "   "})
    assert empty.status_code == 422
    [entry] = audits("position.rename")
    assert (entry.old, entry.new) == ({"title": "Support lead"}, {"title": "Head of support"})


def test_a_closed_position_leaves_the_lists_and_comes_back(client, hr, make_position):
    position = make_position(title="Founding AE")
    page = f"/positions/{position.id}"
    assert "Founding AE" in client.get("/positions").get_data(as_text=True)
    assert press(client, f"{page}/close", page).status_code == 302
    stored = db.session.get(Position, position.id)
    assert stored.archived and stored.closed_at is not None
    assert "Founding AE" not in client.get("/positions").get_data(as_text=True)
    assert "Founding AE" not in client.get("/").get_data(as_text=True)
    closed = client.get("/positions?closed=1").get_data(as_text=True)
    assert "Founding AE" in closed
    shown = client.get(page).get_data(as_text=True)
    assert "read-only" in shown and "Add candidates" not in shown
    assert press(client, f"{page}/reopen", page).status_code == 302
    assert "Founding AE" in client.get("/positions").get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Position, position.id).archived
    assert [a.action for a in audits("position.close") + audits("position.reopen")] == [
        "position.close",
        "position.reopen",
    ]


def test_a_closed_position_is_read_only_everywhere(
    client, hr, users, make_position, make_candidate, make_interview
):
    position = make_position()
    candidate = make_candidate(position)
    interview = make_interview(candidate, users["manager"])
    _, token = create_invite(candidate.id, users["hr"])
    close_position(position.id, users["hr"])
    csrf = csrf_token(client.get(f"/positions/{position.id}"))
    changes = [
        f"/positions/{position.id}/candidates",
        f"/positions/{position.id}/setup",
        f"/positions/{position.id}/settings",
        f"/positions/{position.id}/hide",
        f"/candidates/{candidate.id}/panel",
        f"/candidates/{candidate.id}/decision",
        f"/candidates/{candidate.id}/invite",
        f"/candidates/{candidate.id}/withdraw",
        f"/interviews/{interview.id}",
        f"/interviews/{interview.id}/submit",
        f"/a/{token}/start",
    ]
    for url in changes:
        response = client.post(url, data={"csrf_token": csrf, "name": "X", "consent": "yes"})
        assert response.status_code == 409, url
        assert "position is closed" in response.get_data(as_text=True), url
    assert db.session.scalar(db.select(db.func.count(Candidate.id))) == 1
    # Reading and exporting still work.
    assert client.get(f"/candidates/{candidate.id}").status_code == 200
    export = client.post(
        f"/positions/{position.id}/exports",
        data={"csrf_token": csrf, "kind": "csv", "paper": "A4", "confirm_all": "y"},
    )
    assert export.status_code == 303
    assert wait_done(client, export.headers["Location"])["status"] == "done"


def test_managers_may_not_rename_close_or_reopen(client, users, login, make_position):
    position = make_position()
    login(users["manager"])
    for url in ("settings", "close", "reopen"):
        assert client.post(f"/positions/{position.id}/{url}").status_code == 403
