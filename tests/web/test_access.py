"""Every view declares who may use it, and the others are refused (roles × routes)."""

from __future__ import annotations

import pytest

from assessment.policy import PUBLIC, allowed_roles
from tests.conftest import csrf_token, post_form

# The URL to try for each endpoint (rules with arguments need an example value).
EXAMPLE_URLS = {
    "static": "/static/css/app.css",
}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_declares_its_access(app):
    undeclared = [r.endpoint for r in _rules(app) if allowed_roles(app, r.endpoint) is None]
    assert undeclared == []


def _url(rule) -> str:
    if rule.endpoint in EXAMPLE_URLS:
        return EXAMPLE_URLS[rule.endpoint]
    assert not rule.arguments, f"add an example URL for {rule.endpoint}"
    return rule.rule


@pytest.mark.parametrize("role", ["anonymous", "admin", "hr", "manager"])
def test_roles_by_routes_matrix(app, client, users, login, role):
    if role != "anonymous":
        login(users[role])
    for rule in _rules(app):
        roles = allowed_roles(app, rule.endpoint)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            response = client.open(_url(rule), method=method)
            allowed = PUBLIC in roles or role in roles
            if role == "anonymous" and not allowed:
                assert response.status_code == 302, (rule.endpoint, method)
                assert "/login" in response.headers["Location"]
            elif not allowed:
                assert response.status_code == 403, (rule.endpoint, method, role)
            else:
                # Allowed: whatever it answers, it is not a refusal or a crash.
                assert response.status_code not in (403, 500), (rule.endpoint, method, role)


def test_managers_cannot_create_accounts(client, users, login):
    login(users["manager"])
    response = client.post("/admin/users", data={"email": "x@example.com", "role": "admin"})
    assert response.status_code == 403


def test_admin_creates_an_account_that_can_sign_in(client, users, login):
    login(users["admin"])
    data = {
        "name": "Hana HR",
        "email": "hana@example.com",
        "role": "hr",
        "password": "hana's passphrase",
        "confirm": "hana's passphrase",
    }
    response = post_form(client, "/admin/users", data)
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "hana@example.com" in page
    duplicate = post_form(client, "/admin/users", data)
    assert duplicate.status_code == 422
    assert "already exists" in duplicate.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert (
        post_form(
            client, "/login", {"email": "hana@example.com", "password": "hana's passphrase"}
        ).status_code
        == 302
    )


def test_role_field_accepts_only_known_roles(client, users, login):
    login(users["admin"])
    data = {
        "name": "X",
        "email": "x@example.com",
        "role": "superuser",
        "password": "long enough pw",
        "confirm": "long enough pw",
    }
    response = post_form(client, "/admin/users", data)
    assert response.status_code == 422
    assert b"Not a valid choice" in response.data
