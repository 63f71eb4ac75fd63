"""Who may use each view: one decorator per view, enforced for every request, deny by default."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

PUBLIC = "public"
# A bearer token of the JSON API, checked by the API blueprint itself; sessions never count.
TOKEN = "api-token"
ANY_ROLE = ("admin", "hr", "manager")  # the staff; an expert only keys scenario items
EXPERT = "expert"


def allow(*roles: str) -> Callable:
    """Declare who may use a view: roles ("admin", "hr", "manager", "expert"), PUBLIC or
    TOKEN."""

    def mark(view: Callable) -> Callable:
        view.allowed = frozenset(roles)
        return view

    return mark


def allowed_roles(app: Flask, endpoint: str | None) -> frozenset[str] | None:
    """The roles a view declared, or None when it declared nothing (which means no one)."""
    if endpoint == "static":
        return frozenset({PUBLIC})
    view = app.view_functions.get(endpoint or "")
    return getattr(view, "allowed", None)


def enforce_policy():
    """before_request: a view that declared nothing is refused; others get their roles."""
    if request.endpoint is None:  # 404 or 405: let Flask answer
        return None
    roles = allowed_roles(current_app, request.endpoint)
    if roles is None:
        current_app.logger.error("view %s declares no access rule", request.endpoint)
        abort(403)
    if PUBLIC in roles or TOKEN in roles:
        return None
    if not current_user.is_authenticated:
        from .errors import wants_json

        if wants_json():
            abort(401)  # a script's save: the page keeps the entry and asks to sign in
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.role not in roles:
        current_app.logger.warning(
            "refused %s to user %s (%s)", request.endpoint, current_user.id, current_user.role
        )
        abort(403)
    return None
