"""Scenario keys from experts through pages: invite, key independently, agreement and
consensus on the bank's keys page, adoption (audited, a new bank version for new
self-assessments only), and the expert role's narrow access."""

from __future__ import annotations

import pytest

from assessment.bank.model import ScenarioItem
from assessment.extensions import db
from assessment.fairness.adopted import keyed_bank
from assessment.fairness.models import AdoptedKey, KeyingTask
from assessment.models import SelfAssessment
from assessment.scoring import scenario_item_score
from assessment.scoring.evidence import ScenarioAnswer
from assessment.selfassess.invites import create_invite
from tests.conftest import csrf_token, post_form
from tests.web.helpers import ROLE_REFUSAL, audits
from tests.web.test_reminders import configured, inbox  # noqa: F401  (an SMTP server)


def sign_out(client) -> None:
    """As helpers.sign_out, from wherever the account's home is (an expert's is /keying)."""
    page = client.get("/", follow_redirects=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})


@pytest.fixture
def item(bank) -> ScenarioItem:
    return next(iter(bank.scenarios.values()))


@pytest.fixture
def experts(make_user):
    return [make_user("expert", name=f"Expert {n}") for n in (1, 2, 3)]


def invite(client, users, login, item, experts):
    login(users["admin"])
    data = {"items": [item.id], "experts": [str(e.id) for e in experts]}
    token = csrf_token(client.get("/bank/keys"))
    response = client.post("/bank/keys/invite", data={**data, "csrf_token": token})
    assert response.status_code == 302
    sign_out(client)


def task_id(item, expert) -> int:
    db.session.rollback()
    return db.session.scalar(
        db.select(KeyingTask.id).where(
            KeyingTask.item_id == item.id, KeyingTask.expert_id == expert.id
        )
    )


def key_item(client, login, item, expert, keys: dict[str, int]):
    login(expert)
    url = f"/keying/{task_id(item, expert)}"
    response = post_form(client, url, {f"key-{r}": str(v) for r, v in keys.items()})
    sign_out(client)
    return response


def moved(item, response_id, by=1):
    """The shipped keys with one response's key moved (kept within 1-5)."""
    keys = dict(item.keys)
    keys[response_id] = (
        keys[response_id] + by if keys[response_id] + by <= 5 else keys[response_id] - by
    )
    return keys


def test_an_admin_makes_an_expert_account_that_sees_only_its_keying(client, users, login):
    login(users["admin"])
    secret = "a passphrase of her own"
    data = {"name": "Sam Expert", "email": "sam@example.com", "role": "expert",
            "password": secret, "confirm": secret}  # fmt: skip
    assert post_form(client, "/admin/users", data).status_code == 302
    sign_out(client)
    response = post_form(
        client, "/login", {"email": "sam@example.com", "password": "a passphrase of her own"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/keying")
    page = client.get("/keying").get_data(as_text=True)
    assert "My keying" in page and "Nothing to key yet" in page
    for other in ("Positions", "Calibration", "Bank quality", "Fairness", "My interviews"):
        assert f">{other}</a>" not in page
    for url in ("/positions", "/bank/keys", "/bank/quality", "/fairness", "/interviews"):
        refused = client.get(url)
        assert refused.status_code == 403 and ROLE_REFUSAL in refused.get_data(as_text=True)


def test_experts_key_independently_and_a_sent_key_is_final(client, users, login, item, experts):
    invite(client, users, login, item, experts)
    assert len(audits("keying.invite")) == 1
    first = experts[0]
    login(first)
    url = f"/keying/{task_id(item, first)}"
    page = client.get(url).get_data(as_text=True)
    assert item.situation.split()[0] in page
    for response in item.responses:
        assert response.rationale not in page  # nothing that could lead them
    incomplete = post_form(client, url, {f"key-{item.responses[0].id}": "3"})
    assert incomplete.status_code == 422 and "Rate this response." in incomplete.get_data(
        as_text=True
    )
    assert (
        post_form(client, url, {f"key-{r.id}": str(r.key) for r in item.responses}).status_code
        == 302
    )
    db.session.rollback()
    assert db.session.get(KeyingTask, task_id(item, first)).ratings == dict(item.keys)
    again = post_form(client, url, {f"key-{r.id}": "1" for r in item.responses})
    assert again.status_code == 409
    assert db.session.get(KeyingTask, task_id(item, first)).ratings == dict(item.keys)
    # Another expert's task is as unknown as a missing one.
    assert client.get(f"/keying/{task_id(item, experts[1])}").status_code == 404
    assert audits("keying.submit")[-1].new["ratings"] == dict(item.keys)


def test_inviting_twice_asks_nobody_twice(client, users, login, item, experts):
    invite(client, users, login, item, experts)
    invite(client, users, login, item, experts)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(KeyingTask.id))) == 3


def test_the_keys_page_shows_agreement_consensus_and_where_it_differs(
    client, users, login, item, experts
):
    invite(client, users, login, item, experts)
    target = item.responses[0].id
    for expert in experts:
        key_item(client, login, item, expert, moved(item, target))
    login(users["hr"])
    page = client.get(f"/bank/keys/{item.id}").get_data(as_text=True)
    assert "3 experts sent a key" in page
    assert "one expert" in page and "their mean" in page  # ICC(2,1) and ICC(2,k)
    assert "differs from the shipped key on 1 response" in page
    overview = client.get("/bank/keys").get_data(as_text=True)
    assert "differs on 1 response" in overview
    assert "Adopt the consensus key" not in page  # HR reads; admins adopt
    assert client.post(f"/bank/keys/{item.id}/adopt").status_code == 403


def test_adopting_bumps_the_version_for_new_self_assessments_only(
    client, users, login, item, experts, bank, make_candidate
):
    earlier, _ = create_invite(make_candidate().id, users["hr"])
    invite(client, users, login, item, experts)
    target = item.responses[0].id
    new_keys = moved(item, target)
    for expert in experts:
        key_item(client, login, item, expert, new_keys)
    login(users["admin"])
    confirm = client.get(f"/bank/keys/{item.id}/adopt")
    assert confirm.status_code == 200 and "no past score changes" in confirm.get_data(as_text=True)
    response = post_form(client, f"/bank/keys/{item.id}/adopt", {"reason": "three experts agree"})
    assert response.status_code == 302
    db.session.rollback()
    row = db.session.scalar(db.select(AdoptedKey))
    assert row.keys == new_keys and row.previous == dict(item.keys)
    assert row.bank_version == f"{bank.version}+k{row.id}"
    assert keyed_bank(bank).version == row.bank_version
    entry = audits("keying.adopt")[-1]
    assert entry.old["keys"] == dict(item.keys) and entry.new["keys"] == new_keys
    assert entry.reason == "three experts agree"
    # A new self-assessment gets the adopted key and the new version ...
    later, _ = create_invite(make_candidate().id, users["hr"])
    snapshot = next(i for i in later.items if i["id"] == item.id)
    assert {r["id"]: r["key"] for r in snapshot["responses"]} == new_keys
    assert later.bank_version == row.bank_version
    # ... and the earlier one keeps its own keys, so its score never moves.
    kept = db.session.get(SelfAssessment, earlier.id)
    old_snapshot = next(i for i in kept.items if i["id"] == item.id)
    assert {r["id"]: r["key"] for r in old_snapshot["responses"]} == dict(item.keys)
    assert kept.bank_version == bank.version
    answer = ScenarioAnswer(item.id, target, next(r.id for r in item.responses if r.id != target))
    assert scenario_item_score(
        ScenarioItem.from_snapshot(old_snapshot), answer
    ) == scenario_item_score(item, answer)
    # Questions on disk never change: the running bank is as shipped.
    assert dict(bank.scenarios[item.id].keys) == dict(item.keys)


def test_adoption_needs_three_experts_and_a_key_the_bank_accepts(
    client, users, login, item, experts
):
    invite(client, users, login, item, experts)
    flat = {r.id: 3 for r in item.responses}
    for expert in experts[:2]:
        key_item(client, login, item, expert, flat)
    login(users["admin"])
    early = post_form(client, f"/bank/keys/{item.id}/adopt", {})
    assert early.status_code == 422 and "needs 3 experts" in early.get_data(as_text=True)
    sign_out(client)
    key_item(client, login, item, experts[2], flat)
    login(users["admin"])
    refused = post_form(client, f"/bank/keys/{item.id}/adopt", {})
    assert refused.status_code == 422 and "same key" in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AdoptedKey.id))) == 0


def test_unknown_items_and_tasks_are_404(client, users, login, make_user):
    login(users["hr"])
    assert client.get("/bank/keys/no-such-item").status_code == 404
    sign_out(client)
    login(make_user("expert"))
    assert client.get("/keying/999").status_code == 404
    assert client.get("/keying/99999999999999999999").status_code == 404


def test_with_smtp_each_newly_asked_expert_gets_one_e_mail(
    client,
    users,
    login,
    item,
    experts,
    inbox,  # noqa: F811  (the fixture imported above)
):
    invite(client, users, login, item, experts[:2])
    assert sorted(m["To"] for m in inbox.messages) == sorted(e.email for e in experts[:2])
    body = inbox.messages[0].get_content()
    assert "https://hiring.example.com/keying" in body and "a customer scenario" in body
    invite(client, users, login, item, experts)  # only the third is new
    assert [m["To"] for m in inbox.messages[2:]] == [experts[2].email]
