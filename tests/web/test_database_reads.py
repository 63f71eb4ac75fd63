"""Reads outside a transaction on PostgreSQL (no BEGIN, no ROLLBACK: psycopg keeps its
prepared statements), a transaction again before anything that may write or lock, and
pooled connections checked before use only when in doubt, not on every checkout."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from assessment.database import _has_news, _plain_read, write_transaction
from assessment.extensions import db
from assessment.models import User
from assessment.policy import allow


@pytest.fixture
def reading_client(app, app_settings):
    """A second app on the same database whose views read, lock, or flush without
    committing (which no service does: writes go through write_transaction). Each answers
    whether a transaction is open on the database after what it did."""
    from assessment import create_app
    from tests.conftest import FreshContextClient

    other = create_app(app_settings["overrides"], instance_path=app_settings["instance_path"])
    other.test_client_class = FreshContextClient  # a request's own app context, as live

    def in_transaction() -> str:
        dbapi = db.session.connection().connection.dbapi_connection
        return "in transaction" if dbapi.info.transaction_status else "no transaction"

    @allow("admin", "hr", "manager")
    def read():
        db.session.scalar(db.select(db.func.count(User.id)))
        return in_transaction()

    @allow("admin", "hr", "manager")
    def lock():
        db.session.scalar(db.select(User.id).limit(1).with_for_update())
        return in_transaction()

    @allow("admin", "hr", "manager")
    def stray_write():
        db.session.add(User(email="stray@example.com", name="s", role="hr", password_hash="x"))
        db.session.flush()
        return in_transaction()

    for name, view in (("read", read), ("lock", lock), ("stray", stray_write)):
        other.add_url_rule(f"/_test/{name}", name, view)
    with other.app_context():
        yield other.test_client()
        db.session.remove()


def _sign_in(client, user):
    from tests.conftest import PASSWORD, post_form

    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _postgres_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL reads without a transaction")


def test_reads_open_no_transaction_and_a_lock_does(reading_client, admin):
    _postgres_only()
    _sign_in(reading_client, admin)
    assert reading_client.get("/_test/read").get_data(as_text=True) == "no transaction"
    assert reading_client.get("/_test/lock").get_data(as_text=True) == "in transaction"


def test_a_flush_outside_a_write_transaction_is_still_rolled_back(reading_client, admin):
    _sign_in(reading_client, admin)
    response = reading_client.get("/_test/stray")
    if db.engine.dialect.name == "postgresql":
        assert response.get_data(as_text=True) == "in transaction"
    db.session.rollback()
    assert db.session.scalar(db.select(User).where(User.email == "stray@example.com")) is None


def test_a_write_unit_after_reads_is_one_transaction(app, make_user):
    """Reads, then write_transaction: its statements commit together or not at all."""
    user = make_user("hr")
    db.session.get(User, user.id)  # a read first, as a request does
    with pytest.raises(RuntimeError), write_transaction() as session:
        session.get(User, user.id).name = "Changed"
        session.flush()
        raise RuntimeError("halfway")
    db.session.expire_all()
    assert db.session.get(User, user.id).name != "Changed"


def test_an_idle_socket_with_nothing_to_read_has_no_news():
    near, far = socket.socketpair()
    try:
        assert not _has_news(near)
        far.sendall(b"E")  # what a server's goodbye looks like from here
        assert _has_news(near)
        far.close()
    finally:
        near.close()
    assert _has_news(near)  # closed: fileno() is -1


def test_a_connection_the_server_closed_is_replaced_before_use(app, client, admin, login):
    """The server ends every connection of the pool (as a restart does); the next
    request gets a working one instead of an error."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that can close connections")
    login(admin)
    assert client.get("/").status_code == 200
    db.session.rollback()
    url = db.engine.url
    killer = create_engine(url, poolclass=NullPool)
    with killer.connect() as conn:
        mine = "datname = current_database() AND pid <> pg_backend_pid()"
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {mine}"))
        for _ in range(100):  # until they are gone
            if not conn.execute(
                text(f"SELECT count(*) FROM pg_stat_activity WHERE {mine}")
            ).scalar():
                break
            time.sleep(0.02)
    killer.dispose()
    assert client.get("/").status_code == 200
    assert db.session.get(User, admin.id) is not None


@pytest.mark.parametrize(
    ("statement", "plain"),
    [
        ("SELECT 1", True),
        ('  select "user".id FROM "user" WHERE "user".name = %(name)s', True),
        ("SELECT position.id FROM position FOR UPDATE", False),
        ("SELECT id FROM interview WHERE id = 1\nFOR NO KEY UPDATE", False),
        ("SELECT id FROM interview FOR SHARE", False),
        ("INSERT INTO position (title) VALUES (%(title)s)", False),
        ("WITH x AS (DELETE FROM rating RETURNING id) SELECT * FROM x", False),
        ("SAVEPOINT sa_savepoint_1", False),
    ],
)
def test_what_counts_as_a_plain_read(statement, plain):
    assert _plain_read(statement) is plain
