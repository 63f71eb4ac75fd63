"""The app shell: error pages in the layout, security headers, static files, navigation."""

from __future__ import annotations

import pytest
from flask import abort

from assessment.extensions import db
from assessment.models import User
from assessment.policy import allow


def test_404_is_a_page_in_the_layout_with_headers(client, admin):
    response = client.get("/nowhere")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Not found" in page and "Hiring assessment" in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_stylesheet_is_served_locally(client, admin):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and b"--accent" in response.data


def test_navigation_follows_the_role(client, users, login):
    login(users["manager"])
    assert b"Accounts" not in client.get("/").data
    client.post("/logout", data={"csrf_token": _token(client)})
    login(users["admin"])
    assert b"Accounts" in client.get("/").data


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client.get("/"))


@pytest.fixture
def failing_client(app, app_settings):
    """A second app on the same database, with routes that fail on purpose."""
    from assessment import create_app

    other = create_app(app_settings["overrides"], instance_path=app_settings["instance_path"])

    @allow("admin", "hr", "manager")
    def boom():
        db.session.add(User(email="half@example.com", name="h", role="hr", password_hash="x"))
        db.session.flush()
        raise RuntimeError("secret detail")

    @allow("admin", "hr", "manager")
    def gone():
        abort(410)

    other.add_url_rule("/_test/boom", "boom", boom)
    other.add_url_rule("/_test/gone", "gone", gone)
    with other.app_context():
        yield other.test_client()
        db.session.remove()


def _sign_in(client, user):
    from tests.conftest import PASSWORD, post_form

    assert (
        post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    )


def test_500_is_generic_and_rolls_back(failing_client, admin):
    _sign_in(failing_client, admin)
    response = failing_client.get("/_test/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "secret detail" not in page
    assert "Traceback" not in page
    assert db.session.scalar(db.select(User).where(User.email == "half@example.com")) is None


def test_410_has_its_own_message(failing_client, admin):
    _sign_in(failing_client, admin)
    response = failing_client.get("/_test/gone")
    assert response.status_code == 410 and b"no longer valid" in response.data


def test_forms_without_csrf_are_refused(client, admin, login):
    login(admin)
    response = client.post("/admin/users", data={"email": "x@example.com", "role": "hr"})
    assert response.status_code == 400
    assert b"The form had expired" in response.data
