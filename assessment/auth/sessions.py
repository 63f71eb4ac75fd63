"""Signed-in sessions: a new one at each sign-in, and an end however busy it is.

Flask's permanent session slides: each request renews its idle lifetime (12 hours). The
time of the sign-in is kept in the (signed) session too, and a session older than
SESSION_ABSOLUTE_LIFETIME is ended at its next request (ASVS 7.3.2).
"""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import current_user, login_user, logout_user

SIGNED_IN_AT = "signed_in_at"  # seconds since the epoch


def start_session(user) -> None:
    session.clear()  # a new session at sign-in (ASVS 7.2.4)
    login_user(user)
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def session_expired() -> bool:
    """True when the signed-in session is older than its absolute lifetime (or carries no
    sign-in time, as sessions made before it was recorded)."""
    started = session.get(SIGNED_IN_AT)
    if not isinstance(started, int):
        return True
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    return time.time() - started > limit


def end_expired_session() -> None:
    """before_request, before the access rules: an expired session continues as nobody, so
    pages ask to sign in again (and a script's save gets 401 and keeps its entry)."""
    if session.get("_user_id") is None:  # nobody signed in: nothing to load or end
        return
    if current_user.is_authenticated and session_expired():
        logout_user()
        session.clear()
