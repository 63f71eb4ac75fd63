"""First-run setup, login, logout, session replay and the login rate limit."""

from __future__ import annotations

from assessment.extensions import db
from assessment.models import AuditEntry, User
from tests.conftest import PASSWORD, csrf_token, post_form

SETUP = {
    "name": "Ada Admin",
    "email": "ada@example.com",
    "password": "a long admin passphrase",
    "confirm": "a long admin passphrase",
}


def test_everything_leads_to_setup_until_an_admin_exists(client):
    for url in ("/", "/login", "/admin/users", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/setup")
    assert client.get("/setup").status_code == 200


def test_setup_creates_the_first_admin_and_signs_in(client):
    response = post_form(client, "/setup", SETUP)
    assert response.status_code == 302
    admin = db.session.scalar(db.select(User))
    assert (admin.email, admin.role) == ("ada@example.com", "admin")
    assert admin.password_hash.startswith("$argon2id$")
    assert client.get("/").status_code == 200  # signed in
    audit = db.session.scalar(db.select(AuditEntry))
    assert audit.action == "create_user" and audit.new == {
        "email": "ada@example.com",
        "role": "admin",
    }


def test_setup_closes_once_done(client, admin):
    response = client.get("/setup")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    client.post("/setup", data=SETUP)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_setup_errors_keep_what_was_typed(client):
    data = {**SETUP, "email": "not-an-email", "confirm": "something else"}
    response = post_form(client, "/setup", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ada Admin"' in page and 'value="not-an-email"' in page
    assert "Invalid email address" in page and "The passwords differ." in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_weak_short_and_overlong_passwords_are_form_errors(client):
    for password, message in (
        ("short", "Use at least 12 characters"),
        ("1234567890", "Use at least 12 characters"),
        ("password1234", "among the most common ones"),
        ("ada-is-my-password", "may not contain your e-mail"),
        ("y" * 257, "Use at most 256 characters."),
    ):
        response = post_form(client, "/setup", {**SETUP, "password": password, "confirm": password})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True), password
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_login_with_email_and_password(client, admin):
    response = post_form(client, "/login", {"email": "ADMIN@example.com ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert b"Hello" in client.get("/").data
    assert db.session.get(User, admin.id).last_login_at is not None


def test_wrong_password_and_unknown_user_get_the_same_answer(client, admin):
    wrong = post_form(client, "/login", {"email": admin.email, "password": "wrong password!"})
    unknown = post_form(
        client, "/login", {"email": "who@example.com", "password": "wrong password!"}
    )
    assert wrong.status_code == unknown.status_code == 422
    assert b"E-mail or password is wrong." in wrong.data
    assert b"E-mail or password is wrong." in unknown.data
    assert b'value="who@example.com"' in unknown.data  # what was typed is kept


def test_login_follows_only_local_next(client, admin):
    for target, expected in (
        ("/admin/users", "/admin/users"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
    ):
        client.get("/")  # fresh page for the token
        token = csrf_token(client.get("/login"))
        response = client.post(
            f"/login?next={target}",
            data={"email": admin.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == expected
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})


def test_session_changes_at_login_and_old_cookie_dies_at_logout(client, admin, login):
    client.get("/login")
    before = client.get_cookie("session").value
    login(admin)
    after = client.get_cookie("session").value
    assert before != after
    stolen = after
    response = client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert response.status_code == 302
    client.set_cookie("session", stolen)  # replay the cookie from before logout
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_deactivated_user_is_signed_out(client, admin, make_user, login):
    user = make_user("hr")
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_logout_needs_post_and_csrf(client, admin, login):
    login(admin)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_sixth_failed_login_in_a_minute_is_refused(client, admin):
    statuses = []
    for _ in range(6):
        response = post_form(
            client, "/login", {"email": admin.email, "password": "wrong password!"}
        )
        statuses.append(response.status_code)
    assert statuses == [422] * 5 + [429]
    assert b"Too many attempts" in response.data


def test_successful_logins_are_not_counted_against_the_limit(client, admin, login):
    for _ in range(7):
        login(admin)
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
