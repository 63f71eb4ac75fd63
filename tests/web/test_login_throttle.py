"""Login throttling (finding 3): failed sign-ins counted per account and per address, in
Redis or the database so that every process sees them, and the client's address read
behind TRUSTED_PROXIES. The last tests send 30 bad logins to four gunicorn workers."""

from __future__ import annotations

import http.client
import secrets
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from urllib.parse import urlencode

import pytest

from assessment import create_app
from assessment.auth.security_model import LoginCounter
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import utcnow
from tests.conftest import PASSWORD, FreshContextClient, csrf_token
from tests.web.servers import gunicorn, redis_server

WRONG = "not the password at all"


def attempt(client, email: str, password: str = WRONG, address: str = "10.0.0.1", **headers):
    """One sign-in from `address` (the connecting peer), with a fresh form."""
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client.get("/login", environ_base=environ, headers=headers))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data, environ_base=environ, headers=headers)


def test_an_account_is_limited_whichever_addresses_guess(client, admin):
    """15 guesses on one account from three addresses met no limit before."""
    statuses = [
        attempt(client, admin.email, address=f"10.0.0.{n % 3 + 1}").status_code for n in range(15)
    ]
    assert statuses == [422] * 5 + [429] * 10
    refused = attempt(client, admin.email, PASSWORD, address="10.0.0.9")
    assert refused.status_code == 429  # the right password too, until the window ends
    assert int(refused.headers["Retry-After"]) in range(1, 61)
    assert "Too many attempts" in refused.get_data(as_text=True)


def test_one_persons_typos_do_not_lock_out_the_office(client, admin, make_user):
    """Five failures from one address locked out everyone behind it (a proxy) before."""
    colleague = make_user("hr")
    for _ in range(5):
        assert attempt(client, admin.email, address="10.0.0.1").status_code == 422
    assert attempt(client, admin.email, address="10.0.0.1").status_code == 429
    assert attempt(client, colleague.email, PASSWORD, address="10.0.0.1").status_code == 302


def test_an_address_is_limited_whichever_accounts_it_tries(client, admin):
    statuses = [
        attempt(client, f"guess{n}@example.com", address="10.0.0.7").status_code for n in range(21)
    ]
    assert statuses == [422] * 20 + [429]
    assert attempt(client, "other@example.com", address="10.0.0.8").status_code == 422


def test_successful_sign_ins_are_not_counted(client, admin):
    for _ in range(4):
        assert attempt(client, admin.email).status_code == 422
    for _ in range(3):
        assert attempt(client, admin.email, PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert attempt(client, admin.email).status_code == 422  # the fifth failure
    assert attempt(client, admin.email).status_code == 429


def test_a_new_window_starts_when_the_last_has_ended(client, admin):
    for _ in range(5):
        attempt(client, admin.email)
    assert attempt(client, admin.email).status_code == 429
    with write_transaction() as session:  # a minute later
        session.execute(LoginCounter.__table__.update().values(window_ends=utcnow()))
    assert attempt(client, admin.email, PASSWORD).status_code == 302


def test_counters_keep_no_email_nor_address(client, admin):
    attempt(client, admin.email, address="10.0.0.42")
    keys = db.session.scalars(db.select(LoginCounter.key)).all()
    assert len(keys) == 2 and {k.split(":")[0] for k in keys} == {"account", "address"}
    assert not [k for k in keys if "example.com" in k or "10.0.0.42" in k]


@pytest.fixture
def proxied(app_settings):
    """The app behind one proxy (TRUSTED_PROXIES=1), on the same database."""
    overrides = {**app_settings["overrides"], "TRUSTED_PROXIES": 1}
    behind = create_app(overrides, instance_path=app_settings["instance_path"])
    behind.test_client_class = FreshContextClient
    return behind.test_client()


def test_behind_a_trusted_proxy_the_client_address_counts(proxied, client, admin):
    """Each client behind the proxy has its own count; without TRUSTED_PROXIES the header
    is the client's own word, and changing it escapes nothing."""
    for n in range(21):  # 21 clients, one guess each, all through the proxy at 10.0.0.1
        forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert attempt(proxied, f"g{n}@example.com", **forwarded).status_code == 422
    statuses = [
        attempt(client, f"h{n}@example.com", address="10.0.0.5", **{
            "X-Forwarded-For": f"198.51.100.{n}"
        }).status_code
        for n in range(21)
    ]  # fmt: skip
    assert statuses == [422] * 20 + [429]


def test_counters_live_in_redis_when_it_is_set(app, client, admin):
    with redis_server() as url:
        from redis import Redis

        app.config["REDIS_URL"] = url
        try:
            statuses = [attempt(client, admin.email).status_code for _ in range(6)]
            assert statuses == [422] * 5 + [429]
            assert len(Redis.from_url(url).keys("assessment:login:*")) == 2
            assert db.session.scalar(db.select(db.func.count()).select_from(LoginCounter)) == 0
        finally:
            app.config["REDIS_URL"] = None


def test_without_redis_answering_the_database_counts(app, client, admin, caplog):
    from tests.web.servers import free_port

    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        statuses = [attempt(client, admin.email).status_code for _ in range(6)]
    finally:
        app.config["REDIS_URL"] = None
    assert statuses == [422] * 5 + [429]
    assert "Redis failed" in caplog.text


def _bad_logins(port: int, email: str, count: int) -> list[int]:
    """`count` wrong-password sign-ins at once, each on its own connection."""

    def one(_n: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            body = urlencode({"email": email, "password": WRONG})
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/login", body, headers)
            return connection.getresponse().status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


@pytest.mark.parametrize("store", ["database", "redis"])
def test_four_worker_processes_let_no_more_than_the_limit_through(
    app, admin, database_url, tmp_path, store
):
    """Under `gunicorn -w 4`, 19 of 30 bad logins got through before."""
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "LOGIN_RATE_LIMIT": "5 per minute",
    }
    with redis_server() if store == "redis" else nullcontext() as redis_url:
        if redis_url:
            env["REDIS_URL"] = redis_url
        with gunicorn(tmp_path, env, workers=4) as port:
            statuses = _bad_logins(port, admin.email, 30)
    assert sorted(set(statuses)) == [422, 429], statuses
    assert statuses.count(422) == 5 and statuses.count(429) == 25
