"""The OpenAPI document: valid 3.1, covers every API route, and each operation answers as
it says (status among the documented ones, body matching the documented schema)."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from assessment.api.tokens import create_token
from tests.web.helpers import rate_every_question


@pytest.fixture
def document(client, admin):
    response = client.get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def _rule_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_every_api_route_is_documented_and_nothing_else(app, document):
    routes = {
        (_rule_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert routes == documented


@pytest.fixture
def world(users, make_position, make_candidate, make_interview):
    position = make_position(blind=True)
    rated = make_candidate(position)
    rate_every_question(make_interview(rated, users["manager"]), 3)
    sealed = make_candidate(position)
    make_interview(sealed, users["admin"])  # the token's admin has not submitted
    return {
        "position": position.id,
        "rated": rated.id,
        "sealed": sealed.id,
        "read": create_token("r", "read", users["admin"])[1],
        "write": create_token("w", "write", users["admin"])[1],
    }


def people(*emails: str) -> dict:
    return {"candidates": [{"name": "A" if e != "x" else "", "email": e} for e in emails]}


# (method, path template, body, token) for each operation: the happy path and its errors.
CALLS = [
    ("get", "/positions", None, "read"),
    ("get", "/positions?page=x", None, "read"),
    ("get", "/positions", None, None),
    ("get", "/positions/{position}/candidates", None, "read"),
    ("get", "/positions/999/candidates", None, "read"),
    ("post", "/positions/{position}/candidates", people("a@b.org"), "write"),
    ("post", "/positions/{position}/candidates", people("x"), "write"),
    ("post", "/positions/{position}/candidates", {"candidates": []}, "write"),
    ("post", "/positions/{position}/candidates", people("c@b.org"), "read"),
    ("post", "/positions/999/candidates", people("d@b.org"), "write"),
    ("get", "/candidates/{rated}", None, "read"),
    ("get", "/candidates/{sealed}", None, "read"),
    ("get", "/candidates/999", None, "read"),
    ("post", "/candidates/{rated}/invites", {"days": 3}, "write"),
    ("post", "/candidates/{rated}/invites", {"days": 0}, "write"),
    ("post", "/candidates/{rated}/invites", {"days": 3}, "read"),
    ("post", "/candidates/999/invites", {}, "write"),
    ("get", "/candidates/{rated}/scorecard.pdf", None, "read"),
    ("get", "/candidates/{rated}/scorecard.pdf?paper=Letter", None, "read"),
    ("get", "/candidates/{rated}/scorecard.pdf?paper=B5", None, "read"),
    ("get", "/candidates/{sealed}/scorecard.pdf", None, "read"),
    ("get", "/openapi.json", None, None),
]  # fmt: skip


def _operation(document, method: str, url: str) -> dict:
    path = url.split("?")[0]
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[0-9]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return item[method]
    raise AssertionError(f"{method} {path} is not documented")


def _check(document, operation: dict, response) -> None:
    documented = operation["responses"]
    assert str(response.status_code) in documented, (operation["operationId"], response.status_code)
    content = documented[str(response.status_code)].get("content", {})
    assert response.mimetype in content, (operation["operationId"], response.mimetype)
    if response.mimetype == "application/json":
        schema = {**content["application/json"]["schema"], "components": document["components"]}
        Draft202012Validator(schema).validate(response.get_json())


def test_every_operation_answers_as_documented(client, document, world):
    answered: dict[str, set[int]] = {}
    for method, template, body, token in CALLS:
        url = template.format(**world)
        headers = {"Authorization": f"Bearer {world[token]}"} if token else {}
        response = client.open("/api/v1" + url, method=method.upper(), json=body, headers=headers)
        operation = _operation(document, method, url)
        _check(document, operation, response)
        answered.setdefault(operation["operationId"], set()).add(response.status_code)
    operations = {
        op["operationId"]
        for item in document["paths"].values()
        for key, op in item.items()
        if key != "parameters"
    }
    assert set(answered) == operations  # every operation was called
    assert all(any(200 <= s < 300 for s in statuses) for statuses in answered.values())
    assert answered["getCandidate"] == {200, 404}  # the sealed one is 200 with sealed: true
