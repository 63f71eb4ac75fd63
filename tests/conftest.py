"""Fixtures: one app per test session on SQLite (or PostgreSQL via TEST_DATABASE_URL).

Each test starts from empty tables. Relationships are lazy="raise" here, so a view that
loads related rows one by one (an N+1 query) fails its test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

os.environ["ASSESSMENT_RELATIONSHIP_LAZY"] = "raise"  # before the models are imported

import pytest  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from assessment import create_app  # noqa: E402
from assessment.extensions import db, limiter  # noqa: E402
from assessment.models import Candidate, Position, User  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


def _postgres_reset(url: str) -> None:
    """Drop everything in the test database so the migrations build it from nothing."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        _postgres_reset(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app_settings(database_url, tmp_path_factory) -> dict:
    """What every test app is created with (a test that needs its own app reuses it)."""
    return {
        "overrides": {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "AUTO_MIGRATE": True,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        },
        "instance_path": str(tmp_path_factory.mktemp("instance")),
    }


@pytest.fixture(scope="session")
def _app(app_settings, database_url):
    app = create_app(app_settings["overrides"], instance_path=app_settings["instance_path"])
    if not database_url.startswith("sqlite"):
        # PostgreSQL is upgraded as a deploy step (`flask db upgrade`); do the same here.
        from flask_migrate import upgrade

        from assessment.database import MIGRATIONS_DIR

        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
    return app


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        _empty_tables()
        _app.extensions.pop("assessment_has_admin", None)
        limiter.reset()
        yield _app
        db.session.remove()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (own `g`, own db session), as in production.

    Otherwise requests reuse the test's app context, and `g` (which caches the CSRF
    token) and the database session leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()  # the test's next read sees what the request committed
        return response


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bank(app):
    from assessment.question_bank import current_bank

    return current_bank()


def csrf_token(response) -> str:
    """The CSRF token of the form in a rendered page."""
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, "no csrf token in the page"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict, **kwargs):
    """GET the form, then POST it with its CSRF token, as a browser would."""
    token = csrf_token(client.get(url))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def make_user(app):
    from assessment.auth.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "manager", email: str | None = None, password: str = PASSWORD, **kw):
        n = next(counter)
        return create_user(
            email or f"{role}{n}@example.com", kw.get("name", f"{role} {n}"), role, password
        )

    return make


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@example.com")


@pytest.fixture
def login(client):
    def do(user, password: str = PASSWORD):
        response = post_form(client, "/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


@pytest.fixture
def make_position(app, bank):
    from assessment.database import write_transaction

    def make(kit_id: str = "support-lead", **overrides) -> Position:
        kit = bank.kits[kit_id]
        values = dict(
            title=kit.title,
            kit_id=kit.id,
            bank_version=bank.version,
            weights=dict(kit.weights),
            method_weights=dict(kit.method_weights),
            questions=[bank.questions[q].snapshot() for q in kit.questions],
            blind=False,  # tests read names as HR; blind review's own tests say blind=True
        )
        values.update(overrides)
        with write_transaction() as session:
            position = Position(**values)
            session.add(position)
        return position

    return make


@pytest.fixture
def make_candidate(app, make_position):
    from assessment.database import write_transaction

    counter = iter(range(1, 100_000))

    def make(position: Position | None = None, **overrides) -> Candidate:
        position = position or make_position()
        n = next(counter)
        values = dict(position_id=position.id, name=f"Candidate {n}", email=f"c{n}@example.org")
        values.update(overrides)
        with write_transaction() as session:
            candidate = Candidate(**values)
            session.add(candidate)
        return candidate

    return make


@pytest.fixture
def make_interview(app):
    """An interview of `candidate` by `interviewer`, with the position's question snapshot."""
    from assessment.database import write_transaction
    from assessment.models import Interview

    def make(candidate: Candidate, interviewer: User, **overrides) -> Interview:
        with write_transaction() as session:
            position = session.get(Position, candidate.position_id)
            values = dict(
                candidate_id=candidate.id,
                interviewer_id=interviewer.id,
                bank_version=position.bank_version,
                items=list(position.questions),
            )
            values.update(overrides)
            interview = Interview(**values)
            session.add(interview)
        return interview

    return make


@pytest.fixture
def users(make_user):
    """One account of each role, for access tests."""
    return {role: make_user(role) for role in ("admin", "hr", "manager")}


__all__ = ["PASSWORD", "User", "csrf_token", "post_form"]
