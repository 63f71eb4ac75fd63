"""Setup, login and logout views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from ..policy import ANY_ROLE, EXPERT, PUBLIC, allow
from . import services
from .forms import LoginForm, SetupForm
from .sessions import start_session
from .setup_secret import log_setup_secret, make_setup_secret
from .throttle import TooManyAttempts, sign_in

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: an open redirect would hand our login page to phishers.
    No control characters (CR/LF would break the Location header) and no backslash
    (browsers read "/\\evil.example" as "//evil.example")."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and "\\" not in target
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


def _status(form) -> int:
    """200 for a page asked for (GET or HEAD), 422 for a form sent back with errors."""
    return 422 if form.is_submitted() else 200


@bp.route("/setup", methods=["GET", "POST"])
@allow(PUBLIC)
def setup():
    if services.admin_exists():
        return redirect(url_for("auth.login"))
    form = SetupForm(secret=request.args.get("secret", ""))
    if not form.is_submitted():
        secret = make_setup_secret()  # none yet (the database was set up after start)
        if secret is not None:
            log_setup_secret(secret)
    if form.validate_on_submit():
        try:
            user = services.create_first_admin(
                form.email.data, form.name.data, form.password.data, form.secret.data
            )
        except services.AccountError as error:
            form[error.field or "email"].errors.append(str(error))
        else:
            start_session(user)
            flash("Your admin account is ready. Welcome!", "success")
            return redirect(url_for("main.index"))
    page = render_template("auth/setup.html", form=form)
    return page, _status(form), {"Referrer-Policy": "no-referrer"}  # ?secret= stays here


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in(form.email.data, form.password.data, request.remote_addr)
        except TooManyAttempts as error:
            form.password.errors.append(
                f"Too many attempts: wait {error.retry_after} seconds, then try again."
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.info("failed login for %r", form.email.data)
        form.password.errors.append("E-mail or password is wrong.")
    return render_template("auth/login.html", form=form), _status(form)


@bp.route("/logout", methods=["POST"])
@allow(*ANY_ROLE, EXPERT)
def logout():
    services.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
