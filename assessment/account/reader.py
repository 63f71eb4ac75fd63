"""The reader's zone for pages: the templates' `when` filter, and the first sign-in's default.

A signed-in person reads times in their own zone. Before they have one (or with no one
signed in) it is the browser's, which static/js/zone.js keeps in a cookie; failing that
UTC. Every shown time names its zone, so none of these is ever ambiguous.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user, user_logged_in

from ..local_time import ZONE_COOKIE, is_zone, show, zone_name
from .services import adopt_browser_zone


def reader_zone() -> str:
    """The zone times are shown in for this request ("UTC" outside a request)."""
    if not has_request_context():
        return "UTC"
    found = g.get("reader_zone")
    if found is None:
        own = getattr(current_user, "time_zone", None) if current_user else None
        browser = request.cookies.get(ZONE_COOKIE)
        found = zone_name(own if is_zone(own) else browser)
        g.reader_zone = found
    return found


def when(moment: datetime | None, style: str = "datetime", zone: str | None = None) -> str:
    """{{ moment|when }}: "4 Dec 2026, 14:05 CET" in the reader's zone (or `zone`); styles
    in local_time.STYLES."""
    return show(moment, zone or reader_zone(), style)


def _first_sign_in(_app, user, **_kw) -> None:
    """Flask-Login's user_logged_in: a person without a zone gets the browser's."""
    if getattr(user, "time_zone", None) is not None or not has_request_context():
        return
    browser = request.cookies.get(ZONE_COOKIE)
    if adopt_browser_zone(user.id, browser):
        user.time_zone = browser


def register_reader_zone(app: Flask) -> None:
    app.add_template_filter(when, "when")
    app.add_template_global(reader_zone, "reader_zone")
    user_logged_in.connect(_first_sign_in, app)
