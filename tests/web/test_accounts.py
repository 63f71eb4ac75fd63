"""Accounts over time: deactivate and reactivate, change a role, never lose the last admin,
one-time reset links, changing one's own password, the operator's reset-password; every
change audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from assessment.auth.reset_model import PasswordReset
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import User, utcnow
from tests.conftest import PASSWORD, FreshContextClient, csrf_token, post_form
from tests.web.helpers import audits
from tests.web.test_reminders import Inbox, free_port

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r'value="(http://[^"]+/reset/[^"]+)"')


@pytest.fixture
def second_client(app):
    """Another browser: the same person's other session, or someone else's."""
    app.test_client_class = FreshContextClient
    return app.test_client()


def sign_in(client, user, password=PASSWORD):
    return post_form(client, "/login", {"email": user.email, "password": password})


def signed_in(client) -> bool:
    return client.get("/interviews").status_code == 200


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def press(client, url: str, page: str | None = None, **data):
    """Post a button's form, with the CSRF token of the page it is on."""
    token = csrf_token(client.get(page or url.rsplit("/", 1)[0]))
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def admin_in(client, users, login):
    login(users["admin"])
    return users["admin"]


def test_deactivated_person_is_signed_out_at_once_and_cannot_sign_in(
    client, second_client, admin_in, users
):
    manager = users["manager"]
    assert sign_in(second_client, manager).status_code == 302 and signed_in(second_client)
    page = f"/admin/users/{manager.id}"
    response = press(client, f"{page}/deactivate", page)
    assert response.status_code == 302
    assert not fresh(manager).active
    assert not signed_in(second_client)  # the open session ended with the deactivation
    assert sign_in(second_client, manager).status_code == 422
    assert "deactivated" in client.get("/admin/users").get_data(as_text=True)
    press(client, f"{page}/reactivate", page)
    assert sign_in(second_client, manager).status_code == 302
    assert [a.new for a in audits("user.deactivate")] == [{"active": False}]
    assert [a.user_id for a in audits("user.reactivate")] == [admin_in.id]


def test_role_change_signs_the_person_out_and_takes_effect(client, second_client, admin_in, users):
    manager = users["manager"]
    sign_in(second_client, manager)
    assert second_client.get("/positions").status_code == 403
    page = f"/admin/users/{manager.id}"
    response = press(client, f"{page}/role", page, role="hr")
    assert response.status_code == 302
    assert fresh(manager).role == "hr"
    assert not signed_in(second_client)
    sign_in(second_client, manager)
    assert second_client.get("/positions").status_code == 200
    [entry] = audits("user.role")
    assert (entry.old, entry.new, entry.entity_id) == (
        {"role": "manager"},
        {"role": "hr"},
        manager.id,
    )


def test_the_last_admin_is_never_demoted_nor_deactivated(client, admin_in):
    page = f"/admin/users/{admin_in.id}"
    demote = press(client, f"{page}/role", page, role="hr")
    assert demote.status_code == 409
    assert "last active admin" in demote.get_data(as_text=True)
    off = press(client, f"{page}/deactivate", page)
    assert off.status_code == 409
    admin = fresh(admin_in)
    assert (admin.role, admin.active) == ("admin", True)
    assert signed_in(client)  # nothing changed, so the session goes on
    assert audits("user.role") == [] and audits("user.deactivate") == []


def test_an_admin_may_step_down_when_another_admin_remains(client, admin_in, make_user):
    other = make_user("admin")
    page = f"/admin/users/{admin_in.id}"
    response = press(client, f"{page}/role", page, role="hr")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert fresh(admin_in).role == "hr"
    assert not signed_in(client)  # their own session ended with the change
    # The other admin is now the last one, and stays one.
    from assessment.admin.accounts import LastAdmin, change_role, set_active

    with pytest.raises(LastAdmin):
        change_role(other.id, "manager", None)
    with pytest.raises(LastAdmin):
        set_active(other.id, False, None)


def test_two_admins_cannot_demote_each_other_into_none(make_user):
    from assessment.admin.accounts import LastAdmin, change_role

    first, second = make_user("admin"), make_user("admin")
    change_role(second.id, "hr", first)
    with pytest.raises(LastAdmin):
        change_role(first.id, "hr", second)  # the second one's request, a moment later
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.role == "admin")) == 1


def _make_link(client, user) -> str:
    page = f"/admin/users/{user.id}"
    shown = press(client, f"{page}/reset-link", page)
    assert shown.status_code == 200
    return LINK.search(shown.get_data(as_text=True)).group(1)


def test_reset_link_is_shown_once_stored_hashed_and_works_once(
    client, second_client, admin_in, users
):
    manager = users["manager"]
    sign_in(second_client, manager)
    link = _make_link(client, manager)
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalars(db.select(PasswordReset.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64
    path = link.removeprefix("http://127.0.0.1:5000")
    anonymous = FreshContextClient(client.application)
    form = anonymous.get(path)
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "no-referrer"
    weak = post_form(anonymous, path, {"password": "password123", "confirm": "password123"})
    assert weak.status_code == 422  # the policy refuses it; the link still works
    done = post_form(anonymous, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and "/login" in done.headers["Location"]
    assert not signed_in(second_client)  # signed out everywhere
    assert sign_in(anonymous, manager).status_code == 422
    assert sign_in(anonymous, manager, NEW_PASSWORD).status_code == 302
    assert FreshContextClient(client.application).get(path).status_code == 410  # used
    assert [a.entity_id for a in audits("user.reset_link")] == [manager.id]
    assert [a.user_id for a in audits("user.password_reset")] == [manager.id]


def test_reset_links_expire_are_replaced_and_unknown_ones_404(client, admin_in, users):
    manager = users["manager"]
    first = _make_link(client, manager).removeprefix("http://127.0.0.1:5000")
    second = _make_link(client, manager).removeprefix("http://127.0.0.1:5000")
    anonymous = FreshContextClient(client.application)
    assert anonymous.get(first).status_code == 410  # replaced by the newer link
    assert anonymous.get(second).status_code == 200
    with write_transaction():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(1)))
    assert anonymous.get(second).status_code == 410
    assert anonymous.get("/reset/not-a-token").status_code == 404


def test_a_deactivated_account_gets_no_working_link(client, admin_in, users):
    manager = users["manager"]
    link = _make_link(client, manager).removeprefix("http://127.0.0.1:5000")
    page = f"/admin/users/{manager.id}"
    press(client, f"{page}/deactivate", page)
    assert FreshContextClient(client.application).get(link).status_code == 410
    refused = press(client, f"{page}/reset-link", page)
    assert refused.status_code == 409 and "reactivate it first" in refused.get_data(as_text=True)


def test_reset_link_is_emailed_when_smtp_is_set(client, admin_in, users, app, monkeypatch):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    try:
        link = _make_link(client, users["hr"])
    finally:
        controller.stop()
    [message] = inbox.to(users["hr"].email)
    assert link in message.get_content()


def test_changing_ones_password_keeps_this_session_and_ends_the_others(
    client, second_client, users, login
):
    hr = users["hr"]
    login(hr)
    sign_in(second_client, hr)
    wrong = post_form(
        client,
        "/account/password",
        {"current_password": "nope", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    weak = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": "hr1", "confirm": "hr1"},
    )
    assert weak.status_code == 422
    done = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert signed_in(client) and not signed_in(second_client)
    assert sign_in(second_client, hr, NEW_PASSWORD).status_code == 302
    assert [a.user_id for a in audits("user.password_change")] == [hr.id]


def test_operator_resets_a_password_from_the_command_line(runner, users, client):
    manager = users["manager"]
    result = runner.invoke(
        args=["reset-password", manager.email.upper()], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert sign_in(client, manager, NEW_PASSWORD).status_code == 302
    weak = runner.invoke(args=["reset-password", manager.email], input="short\nshort\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    unknown = runner.invoke(args=["reset-password", "nobody@example.com"])
    assert unknown.exit_code == 1 and "no account" in unknown.output
    link = runner.invoke(args=["reset-password", manager.email, "--link"])
    assert link.exit_code == 0 and "/reset/" in link.stdout
    assert [a.user_id for a in audits("user.password_set")] == [None]


def test_accounts_pages_are_for_admins(client, users, login):
    login(users["hr"])
    assert client.get(f"/admin/users/{users['hr'].id}").status_code == 403
    assert client.get("/account/password").status_code == 200  # everyone has their own
