"""Security headers on every response (HARDENING.md §5.6), and the checks every request
passes before any view sees it: a trusted Host, no NUL character, and JSON only where a
view takes it (`@accepts_json`), and only JSON a parser can read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import SecurityError

CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
NUL_REFUSED = (
    "The request contains a NUL character (code 0), which no field of this app accepts. "
    "Remove it and send again."
)


JSON_REFUSED = "This address takes a form, not JSON."


def accepts_json(view: Callable) -> Callable:
    """Mark a view that reads a JSON body (a page's script saving). Other views get 415 for
    one: WTForms would read JSON numbers into text fields, and no page of ours sends them."""
    view.accepts_json = True
    return view


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class StrictJSONProvider(DefaultJSONProvider):
    """Reads only what a page's script can send: no NaN or Infinity, and a body nested too
    deeply for the parser (say 100,000 brackets) is a bad request, not a RecursionError."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _no_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _strings(value: Any) -> Iterable[str]:
    """Every key and string inside a parsed JSON value (a loop, not recursion: the value may
    be nested as deeply as the parser allows)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (str(key) for key in item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _request_texts() -> Iterable[str]:
    """Every text a request brings to a view: path arguments, query, form fields, JSON."""
    yield from (str(v) for v in (request.view_args or {}).values())
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            yield key
            yield value
    if request.is_json:
        yield from _strings(request.get_json(silent=True))


def check_request() -> None:
    """before_request, first of all: refuse what no view may see.

    A Host outside TRUSTED_HOSTS was found when Flask matched the URL; raised here, before
    any hook tries to build a link from it. PostgreSQL cannot store a NUL character, and
    no person types one, so it is refused wherever it is (also on SQLite, so both answer
    alike)."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception
    if request.is_json and request.get_data(cache=True):
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and not getattr(view, "accepts_json", False):
            abort(415, description=JSON_REFUSED)
        request.get_json()  # 400 when it cannot be read (too deep, NaN, not JSON at all)
    if any("\x00" in text for text in _request_texts()):
        abort(400, description=NUL_REFUSED)


def register_input_checks(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.before_request(check_request)
