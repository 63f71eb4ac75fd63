"""Log set-up: a request id on every request and log line, and JSON lines when asked.

LOG_FORMAT=json writes one JSON object per line to stderr (time, level, logger, message,
request_id, and the traceback when there is one), which log collectors read without a
parser of their own; the default stays Flask's plain text. The request id comes from the
proxy's X-Request-ID header when it sends a sane one, else a new one; the response carries
it back, so a user's error report can be matched with the server's lines.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "X-Request-ID"


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    if not has_request_context():
        return None
    return g.get("request_id")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so any formatter may use it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in ("method", "path", "status", "duration_ms", "remote"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


_installed: logging.Handler | None = None


def configure_logging(log_format: str, level: str) -> None:
    """Install the JSON handler on the root logger once per process (tests make many apps)."""
    global _installed
    root = logging.getLogger()
    if log_format != "json":
        return
    if _installed is None:
        _installed = logging.StreamHandler()
        _installed.setFormatter(JsonFormatter())
        _installed.addFilter(RequestIdFilter())
        root.addHandler(_installed)
    root.setLevel(level)


def register_logging(app: Flask) -> None:
    configure_logging(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    for handler in app.logger.handlers:  # Flask's default handler, in text mode
        handler.addFilter(RequestIdFilter())

    @app.before_request
    def give_request_id():
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if SANE_ID.match(sent) else uuid.uuid4().hex

    @app.after_request
    def return_request_id(response):
        if has_request_context() and g.get("request_id"):
            response.headers[HEADER] = g.request_id
        return response
