"""Running it for real: the health checks, request ids, JSON log lines, gunicorn's settings."""

from __future__ import annotations

import importlib
import json
import logging
import os

from assessment import create_app
from assessment.logs import JsonFormatter, RequestIdFilter
from tests.web.conftest import free_port


def test_healthz_answers_without_login_or_setup(app, client):
    # No admin yet: every page leads to /setup, but not the health checks.
    assert client.get("/").status_code == 302
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "not configured"}
    assert client.get("/livez").get_json() == {"status": "ok"}


def test_healthz_is_503_naming_what_does_not_answer(app, client, redis_url):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {"status": "failing", "database": "ok", "redis": "failing"}
        app.config["REDIS_URL"] = redis_url
        assert client.get("/healthz").get_json()["redis"] == "ok"
    finally:
        app.config["REDIS_URL"] = None


def test_healthz_is_503_when_the_database_is_gone(app_settings, tmp_path):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone"
    broken = create_app(
        {**app_settings["overrides"], "SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": False},
        instance_path=str(tmp_path),
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "failing"
    assert "nobody" not in response.get_data(as_text=True)  # no connection details


def test_every_response_carries_a_request_id(client):
    mine = client.get("/livez", headers={"X-Request-ID": "from-the-proxy.1"})
    assert mine.headers["X-Request-ID"] == "from-the-proxy.1"
    made = client.get("/livez", headers={"X-Request-ID": "bad id\\r\\nX-Evil: 1"})
    assert len(made.headers["X-Request-ID"]) == 32 and "Evil" not in made.headers["X-Request-ID"]
    assert client.get("/livez").headers["X-Request-ID"] != made.headers["X-Request-ID"]


def test_json_log_lines_carry_the_request_id(app):
    record = logging.LogRecord(
        "assessment", logging.WARNING, __file__, 1, "refused %s", ("x",), None
    )
    with app.test_request_context("/", headers={"X-Request-ID": "abc-123"}):
        app.preprocess_request()  # gives the request its id
        RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "refused x" and line["request_id"] == "abc-123"
    assert line["level"] == "WARNING" and line["time"].endswith("+00:00")


def test_gunicorn_settings_follow_the_cores_and_the_environment(monkeypatch):
    import assessment.gunicorn_conf as conf

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    conf = importlib.reload(conf)
    assert conf.workers == 2 * len(os.sched_getaffinity(0)) + 1
    assert conf.timeout >= 60 and conf.accesslog == "-" and conf.worker_class == "sync"
    assert "x-request-id" in conf.access_log_format and not hasattr(conf, "logger_class")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("LOG_FORMAT", "json")
    conf = importlib.reload(conf)
    assert conf.workers == 3 and conf.logger_class is conf.JsonLogger
