"""Every view declares who may use it, and the others are refused (roles × routes)."""

from __future__ import annotations

import pytest

from assessment.policy import PUBLIC, TOKEN, allowed_roles
from tests.conftest import csrf_token, post_form
from tests.web.helpers import ROLE_REFUSAL

# The URL to try for each endpoint; rule arguments are filled from `examples` by name.
EXAMPLE_URLS = {
    "static": "/static/css/app.css",
}
# ROLE_REFUSAL: what a role-level refusal says; a row-level one (not your interview)
# explains itself.


@pytest.fixture
def expert(make_user):
    return make_user("expert")


@pytest.fixture
def examples(users, expert, make_candidate, make_interview, bank):
    """One of each object a URL can name; the interview is the manager's own, the keying
    task the expert's."""
    from assessment.api.tokens import create_token
    from assessment.database import write_transaction
    from assessment.extensions import db
    from assessment.fairness.keying import invite_experts
    from assessment.fairness.models import KeyingTask
    from assessment.selfassess.invites import create_invite
    from assessment.webhooks.models import Webhook, WebhookDelivery

    candidate = make_candidate()
    interview = make_interview(candidate, users["manager"])
    assessment, token = create_invite(candidate.id, users["hr"])
    api_token, _ = create_token("matrix", "write", users["admin"])
    with write_transaction() as session:
        hook = Webhook(url="https://example.com/h", events=["decision.recorded"], secret="s")
        session.add(hook)
        session.flush()
        delivery = WebhookDelivery(webhook_id=hook.id, event="decision.recorded", body="{}")
        session.add(delivery)
    scenario = next(iter(bank.scenarios))
    invite_experts(bank, [scenario], [expert.id], users["admin"])
    return {
        "token_id": api_token.id,
        "hook_id": hook.id,
        "delivery_id": delivery.id,
        "token": token,
        "assessment_id": assessment.id,
        "item": 1,
        "position_id": candidate.position_id,
        "candidate_id": candidate.id,
        "interview_id": interview.id,
        "question_id": interview.items[0]["id"],
        "user_id": users["manager"].id,
        "item_id": scenario,
        "task_id": db.session.scalar(db.select(KeyingTask.id)),
    }


def _rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_declares_its_access(app):
    undeclared = [r.endpoint for r in _rules(app) if allowed_roles(app, r.endpoint) is None]
    assert undeclared == []


def _url(rule, examples) -> str:
    if rule.endpoint in EXAMPLE_URLS:
        return EXAMPLE_URLS[rule.endpoint]
    missing = rule.arguments - examples.keys()
    assert not missing, f"add an example for {missing} of {rule.endpoint}"
    return rule.build({name: examples[name] for name in rule.arguments})[1]


@pytest.mark.parametrize("role", ["anonymous", "admin", "hr", "manager", "expert"])
def test_roles_by_routes_matrix(app, client, users, expert, examples, login, role):
    if role != "anonymous":
        login(expert if role == "expert" else users[role])
    for rule in _rules(app):
        roles = allowed_roles(app, rule.endpoint)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            response = client.open(_url(rule, examples), method=method)
            allowed = PUBLIC in roles or role in roles
            if TOKEN in roles:  # the API: a session counts for nothing, only a bearer token
                assert response.status_code == 401, (rule.endpoint, method, role)
                assert response.is_json
            elif role == "anonymous" and not allowed:
                assert response.status_code == 302, (rule.endpoint, method)
                assert "/login" in response.headers["Location"]
            elif not allowed:
                assert response.status_code == 403, (rule.endpoint, method, role)
                assert ROLE_REFUSAL in response.get_data(as_text=True)
            else:
                # Allowed: whatever it answers, it is not a crash, and a refusal can only be
                # about this object (it says why), never about the role.
                assert response.status_code != 500, (rule.endpoint, method, role)
                if response.status_code == 403:
                    page = response.get_data(as_text=True)
                    assert ROLE_REFUSAL not in page, (rule.endpoint, method, role)


@pytest.mark.parametrize("role", ["anonymous", "admin", "hr", "manager"])
def test_head_answers_as_get_does_on_every_page(app, client, users, examples, login, role):
    """HEAD asks for a page without its body: the same status as GET, never the 422 of a
    form sent back (HEAD /login answered 422)."""
    if role != "anonymous":
        login(users[role])
    for rule in _rules(app):
        if "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        url = _url(rule, examples)
        head, get = client.head(url).status_code, client.get(url).status_code
        assert head == get, (rule.endpoint, role, head, get)


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
        "password": "a passphrase of her own",
        "confirm": "a passphrase of her own",
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
            client, "/login", {"email": "hana@example.com", "password": "a passphrase of her own"}
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


# HR review (decisions, blind review, side by side): HR and admins only; a manager is refused
# by role even on a candidate whose evidence they may see.
REVIEW_URLS = [
    ("GET", "/positions/{position_id}/compare?c={candidate_id}&c={other_id}"),
    ("GET", "/positions/{position_id}/reveal"),
    ("POST", "/positions/{position_id}/reveal"),
    ("POST", "/positions/{position_id}/hide"),
    ("POST", "/candidates/{candidate_id}/decision"),
]


@pytest.mark.parametrize(("method", "url"), REVIEW_URLS)
@pytest.mark.parametrize("role", ["admin", "hr", "manager"])
def test_hr_review_pages_are_for_hr_and_admins(
    client, users, examples, make_candidate, login, role, method, url
):
    from assessment.extensions import db
    from assessment.models import Position

    other = make_candidate(db.session.get(Position, examples["position_id"]))
    login(users[role])
    response = client.open(url.format(**examples, other_id=other.id), method=method)
    if role == "manager":
        assert response.status_code == 403
        assert ROLE_REFUSAL in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 302, 400, 422), (method, url, role)


# The expert role: its keying pages, its own settings and password, signing out, nothing
# else; and its pages are no one else's.
def test_an_expert_reaches_only_the_keying_pages(app, client, expert, examples, login):
    login(expert)
    reachable = set()
    for rule in _rules(app):
        roles = allowed_roles(app, rule.endpoint)
        if PUBLIC in roles:
            continue
        if "expert" in roles:
            reachable.add(rule.endpoint)
    assert reachable == {
        "keys.keying_list",
        "keys.keying_task",
        "auth.logout",
        "main.index",
        "account.settings",
        "account.password",
    }
    assert client.get("/account").status_code == 200
    assert client.get("/").headers["Location"].endswith("/keying")
    assert client.get(f"/keying/{examples['task_id']}").status_code == 200
