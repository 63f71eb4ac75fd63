"""First-run setup and its secret, login, logout, session replay and lifetime."""

from __future__ import annotations

import time

import pytest

from assessment.auth.security_model import SetupSecret
from assessment.auth.setup_secret import make_setup_secret
from assessment.extensions import db
from assessment.models import AuditEntry, User
from tests.conftest import PASSWORD, csrf_token, post_form

ACCOUNT = {
    "name": "Ada Admin",
    "email": "ada@example.com",
    "password": "a long admin passphrase",
    "confirm": "a long admin passphrase",
}


@pytest.fixture
def secret(app) -> str:
    """The setup secret, as the operator reads it from `python app.py` or the log."""
    return make_setup_secret(replace=True)


@pytest.fixture
def setup_form(secret) -> dict:
    """The setup form as the operator fills it in."""
    return {**ACCOUNT, "secret": secret}


def test_everything_leads_to_setup_until_an_admin_exists(client):
    for url in ("/", "/login", "/admin/users", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/setup")
    assert client.get("/setup").status_code == 200


def test_setup_creates_the_first_admin_and_signs_in(client, setup_form):
    response = post_form(client, "/setup", setup_form)
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
    client.post("/setup", data=ACCOUNT)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_setup_errors_keep_what_was_typed(client, setup_form):
    data = {**setup_form, "email": "not-an-email", "confirm": "something else"}
    response = post_form(client, "/setup", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ada Admin"' in page and 'value="not-an-email"' in page
    assert "Invalid email address" in page and "The passwords differ." in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_weak_short_and_overlong_passwords_are_form_errors(client, setup_form):
    for password, message in (
        ("short", "Use at least 12 characters"),
        ("1234567890", "Use at least 12 characters"),
        ("password1234", "among the most common ones"),
        ("ada-is-my-password", "may not contain your e-mail"),
        ("y" * 257, "Use at most 256 characters."),
    ):
        response = post_form(
            client, "/setup", {**setup_form, "password": password, "confirm": password}
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True), password
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_setup_without_the_setup_secret_creates_nobody(client, secret):
    """A stranger who reaches a new install first cannot take it (finding 2)."""
    for typed in (None, "", "wrong-secret", secret[:-1]):
        data = dict(ACCOUNT) if typed is None else {**ACCOUNT, "secret": typed}
        response = post_form(client, "/setup", data)
        assert response.status_code == 422, typed
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert "That is not the setup secret" in response.get_data(as_text=True)


def test_the_setup_secret_is_logged_when_made_and_works_once(client, caplog):
    with caplog.at_level("WARNING"):
        page = client.get("/setup")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    logged = [r.getMessage() for r in caplog.records if "setup secret" in r.getMessage()]
    assert len(logged) == 1
    secret = logged[0].split("setup secret: ")[1].split(" ")[0]
    assert client.get("/setup").status_code == 200  # no second secret while one exists
    assert len([r for r in caplog.records if "setup secret" in r.getMessage()]) == 1
    # Its link fills the field in; the page never shows the secret otherwise.
    assert f'value="{secret}"' in client.get(f"/setup?secret={secret}").get_data(as_text=True)
    response = post_form(client, "/setup", {**ACCOUNT, "secret": secret})
    assert response.status_code == 302
    assert db.session.scalar(db.select(SetupSecret)) is None  # used up with the setup
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    token = csrf_token(client.get("/login"))
    again = {**ACCOUNT, "email": "eve@example.com", "secret": secret, "csrf_token": token}
    assert client.post("/setup", data=again).status_code == 302  # closed: to /login
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_the_setup_secret_command_replaces_the_secret(client, runner, secret):
    from assessment.auth.commands import setup_secret_command

    result = runner.invoke(setup_secret_command)
    assert result.exit_code == 0, result.output
    new = result.stdout.strip()
    assert new and new != secret and f"/setup?secret={new}" in result.stderr
    assert post_form(client, "/setup", {**ACCOUNT, "secret": secret}).status_code == 422
    assert post_form(client, "/setup", {**ACCOUNT, "secret": new}).status_code == 302
    refused = runner.invoke(setup_secret_command)  # an admin exists now
    assert refused.exit_code == 1 and "Setup is done" in refused.output


def test_python_app_py_prints_the_setup_link(app, client, capsys):
    from assessment.startup import print_banner

    print_banner(app, "127.0.0.1", 5000)
    out = capsys.readouterr().out
    assert "No admin account yet" in out and "http://127.0.0.1:5000/setup?secret=" in out
    secret = out.split("setup?secret=")[1].split()[0]
    assert post_form(client, "/setup", {**ACCOUNT, "secret": secret}).status_code == 302


def test_a_start_makes_the_secret_once_and_logs_it(app, caplog):
    from assessment.auth.setup_secret import announce_first_run

    with caplog.at_level("WARNING"):
        first = announce_first_run(app)
        second = announce_first_run(app)  # another process starting: it has one already
    assert first and second is None
    assert [first in r.getMessage() for r in caplog.records] == [True]


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
        ("/positions?page=2", "/positions?page=2"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example/x", "/"),  # browsers read it as //evil.example
        ("/admin/users%0d%0aSet-Cookie:%20x=y", "/"),  # CR LF: was a 500
        ("/admin/users%0aX:%20y", "/"),
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


def test_head_asks_for_the_page_as_get_does(client, admin):
    """HEAD /login answered 422, as if a form had been sent (finding 8)."""
    for url in ("/login", "/setup"):
        assert client.head(url).status_code in (200, 302), url
    assert client.head("/login").status_code == 200


def test_a_session_ends_a_day_after_sign_in_however_busy(client, admin, login):
    """Each request renews the 12-hour idle lifetime; the sign-in's age is capped too."""
    login(admin)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - 23 * 3600
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - 25 * 3600
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302  # signed out for good, not only once
    autosave = client.post("/interviews/1/ratings/q", headers={"X-Requested-With": "fetch"})
    assert autosave.status_code == 401


def test_a_short_secret_key_stops_the_start_outside_tests(app_settings):
    from assessment import create_app
    from assessment.config import SettingsError, check_settings

    overrides = {**app_settings["overrides"], "TESTING": False, "SECRET_KEY": "x"}
    with pytest.raises(SettingsError, match="at least 32"):
        create_app(overrides, instance_path=app_settings["instance_path"])
    check_settings({"SECRET_KEY": "k" * 32, "TRUSTED_PROXIES": 0})  # 32 bytes will do
    with pytest.raises(SettingsError, match="at least 32"):
        check_settings({"SECRET_KEY": "é" * 15, "TRUSTED_PROXIES": 0})  # 30 bytes
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        check_settings({"SECRET_KEY": "k" * 32, "TRUSTED_PROXIES": "two"})


def test_a_generated_secret_key_is_long_enough(tmp_path, monkeypatch):
    from assessment.config import SECRET_KEY_MIN_BYTES, load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    key = load_config(str(tmp_path))["SECRET_KEY"]
    assert len(key.encode()) >= SECRET_KEY_MIN_BYTES
    assert (tmp_path / "secret_key").read_text().strip() == key
