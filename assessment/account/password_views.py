"""A person's own password: change it when signed in, or set it through a reset link
(routes of the account blueprint, beside the settings page)."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..auth.account import ResetInvalid, change_password, find_reset, reset_password
from ..auth.account_forms import ChangePasswordForm, ResetPasswordForm
from ..auth.services import AccountError
from ..auth.sessions import start_session
from ..extensions import limiter
from ..policy import ANY_ROLE, EXPERT, PUBLIC, allow
from .views import bp


@bp.after_request
def keep_the_link_private(response):
    """A reset token is in the URL: never send it on as a Referer."""
    if request.endpoint == "account.reset":
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*ANY_ROLE, EXPERT)
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=lambda r: r.status_code != 302,
)
def password():
    """A new password; the person's other sessions end, this one goes on."""
    form = ChangePasswordForm(current_user.email)
    if form.validate_on_submit():
        try:
            user = change_password(current_user.id, form.current_password.data, form.password.data)
        except AccountError as error:
            form[error.field or "password"].errors.append(str(error))
        else:
            start_session(user)  # a new session for the new password (ASVS 7.2.4)
            flash("Your password is changed. You were signed out everywhere else.", "success")
            return redirect(url_for("main.index"))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("auth/password.html", form=form), status


def _invalid(error: ResetInvalid):
    return render_template("auth/reset_gone.html", reason=error.reason), error.status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("30 per minute")
def reset(token: str):
    try:
        _, user = find_reset(token)
    except ResetInvalid as error:
        return _invalid(error)
    form = ResetPasswordForm(user.email)
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except ResetInvalid as error:
            return _invalid(error)
        except AccountError as error:
            form.password.errors.append(str(error))
        else:
            flash("Your new password is set. Sign in with it.", "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("auth/reset.html", form=form, user=user), status
