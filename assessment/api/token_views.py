"""Integrations (admins): API tokens, made, listed and revoked; the webhooks have their page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..policy import allow
from .forms import TokenForm
from .models import ApiToken
from .tokens import TokenError, create_token, list_tokens, revoke_token

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


def _page(form: TokenForm, status: int = 200, new_token: str | None = None):
    return render_template(
        "api/tokens.html", form=form, tokens=list_tokens(), new_token=new_token
    ), status


@bp.route("", methods=["GET", "POST"])
@allow("admin")
def index():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.is_submitted() else 200)
    try:
        _, token = create_token(form.name.data, form.scope.data, current_user)
    except TokenError as error:
        form.name.errors.append(str(error))
        return _page(form, 422)
    # Shown in this answer only (never in a URL or a flash that a log could keep).
    return _page(TokenForm(formdata=None), 201, new_token=token)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@allow("admin")
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if request.method == "POST":
        revoke_token(token_id, current_user)
        flash(f"Token “{token.name}” revoked: calls with it now get 401.", "success")
        return redirect(url_for("api_tokens.index"), 303)
    return render_template("api/revoke.html", token=token)
