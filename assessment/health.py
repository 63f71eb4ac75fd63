"""/healthz for load balancers (the database and Redis answer) and /livez (the process does).

No login, no session, no rate limit: a proxy polls them every few seconds. The answer names
what failed, never why in detail (a connection string may be in the error).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db, limiter
from .policy import PUBLIC, allow

bp = Blueprint("health", __name__)
PROBE_TIMEOUT = 2.0  # seconds: a health check that hangs is worse than one that fails


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        current_app.logger.warning("health check: the database does not answer", exc_info=True)
        db.session.rollback()
        return False


def _redis_client(url: str):
    clients = current_app.extensions.setdefault("health_redis", {})
    if url not in clients:
        from redis import Redis

        clients[url] = Redis.from_url(
            url, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT
        )
    return clients[url]


def redis_answers(url: str) -> bool:
    try:
        return bool(_redis_client(url).ping())
    except Exception:  # noqa: BLE001
        current_app.logger.warning("health check: Redis does not answer", exc_info=True)
        return False


@bp.route("/healthz")
@allow(PUBLIC)
@limiter.exempt
def healthz():
    """200 when every configured dependency answers, else 503 naming the one that did not."""
    checks = {"database": "ok" if database_answers() else "failing"}
    url = current_app.config.get("REDIS_URL")
    checks["redis"] = ("ok" if redis_answers(url) else "failing") if url else "not configured"
    healthy = "failing" not in checks.values()
    return jsonify(status="ok" if healthy else "failing", **checks), 200 if healthy else 503


@bp.route("/livez")
@allow(PUBLIC)
@limiter.exempt
def livez():
    """The process serves requests (touches nothing else): also the load bench's bare view."""
    return jsonify(status="ok")
