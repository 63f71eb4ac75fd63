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
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from ..policy import ANY_ROLE, EXPERT, PUBLIC, allow
from . import services
from .forms import AccountForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a local path: an open redirect would hand our login page to phishers."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


def _start_session(user) -> None:
    session.clear()  # a new session at login (ASVS 7.2.4)
    login_user(user)
    session.permanent = True


@bp.route("/setup", methods=["GET", "POST"])
@allow(PUBLIC)
def setup():
    if services.admin_exists():
        return redirect(url_for("auth.login"))
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = services.create_first_admin(form.email.data, form.name.data, form.password.data)
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            _start_session(user)
            flash("Your admin account is ready. Welcome!", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/setup.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=lambda r: r.status_code != 302,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.info("failed login for %r", form.email.data)
        form.password.errors.append("E-mail or password is wrong.")
    status = 200 if request.method == "GET" else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@allow(*ANY_ROLE, EXPERT)
def logout():
    services.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
