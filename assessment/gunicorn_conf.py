"""gunicorn settings for production: `gunicorn -c assessment/gunicorn_conf.py app:app`.

Every value can be changed from the environment (names below) without editing this file.
Never `--preload`: WeasyPrint must be imported after the fork (HARDENING §1.4), and the
scorecard package imports it lazily in each worker.
"""

from __future__ import annotations

import json
import os

from gunicorn.glogging import Logger


def _cores() -> int:
    """The cores this process may use (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


env = os.environ.get

bind = env("BIND", "127.0.0.1:8000")
# Sync workers, gunicorn's rule of thumb: 2 per core + 1. Requests are short (saves, lists,
# one PDF at most); batch exports never run in a request (HARDENING §1.5).
workers = int(env("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "sync"
# One scorecard PDF renders in the request: warm it takes a few hundred ms, a worker's first
# one also imports WeasyPrint (about a second). 60 s leaves room for a slow database too;
# past it gunicorn kills the worker and the proxy gets a 502.
timeout = int(env("GUNICORN_TIMEOUT") or 60)
graceful_timeout = int(env("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(env("GUNICORN_KEEPALIVE") or 5)
# Replace a worker after this many requests (with jitter, so not all at once): caps the
# memory a long-lived process may gather (WeasyPrint's caches among it).
max_requests = int(env("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a slow disk (gunicorn's own advice for containers).
SHARED_MEMORY = "/dev/shm"  # only gunicorn's own per-worker files, made private  # nosec B108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
accesslog = env("ACCESS_LOG", "-")  # "-" is stderr; a path writes a file
errorlog = "-"
loglevel = env("LOG_LEVEL", "info").lower()
# The request id the app gives every request (X-Request-ID) ends each access line.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-request-id}o)s'


class JsonLogger(Logger):
    """LOG_FORMAT=json: gunicorn's own lines and the access log as JSON lines too."""

    def access(self, resp, req, environ, request_time):
        if not getattr(self, "access_log_enabled", True):
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        line = {
            "time": atoms["t"].strip("[]"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"] + (("?" + atoms["q"]) if atoms["q"] not in ("", "-") else ""),
            "status": resp.status_code,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": atoms["a"],
            "request_id": None if atoms["{x-request-id}o"] == "-" else atoms["{x-request-id}o"],
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - as gunicorn's own access(): never fail a request
            self.error("Failed to format access log line")

    def setup(self, cfg):
        super().setup(cfg)
        from assessment.logs import JsonFormatter

        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


if env("LOG_FORMAT", "").lower() == "json":
    logger_class = JsonLogger
