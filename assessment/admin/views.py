"""Administration views (admins only): accounts and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..auth import services
from ..auth.account import mail_reset_link, make_reset_link
from ..policy import allow
from . import accounts
from .audit_log import ACTIONS, audit_page
from .forms import AccountActionForm, NewUserForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@allow("admin")
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.role.data, form.password.data, current_user
            )
        except services.AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            flash(f"Account created for {user.email}. Give them their password.", "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("admin/users.html", form=form, users=accounts.list_accounts()), status


def _account_or_404(user_id: int):
    user = accounts.get_account(user_id)
    if user is None:
        abort(404)
    return user


def _render_account(user, role_form=None, problem: str | None = None, status: int = 200):
    return render_template(
        "admin/account.html",
        user=user,
        role_form=role_form or RoleForm(formdata=None, role=user.role),
        action_form=AccountActionForm(formdata=None),
        problem=problem,
        is_me=user.id == current_user.id,
    ), status


def _after_change(user, message: str, signed_out: bool = True):
    """Back to the account; to sign-in when admins changed their own (it ended their
    session)."""
    if signed_out and user.id == current_user.id:
        logout_user()
        session.clear()
        flash(message + " Your session ended with it: sign in again.", "info")
        return redirect(url_for("auth.login"))
    flash(message, "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.route("/users/<int:user_id>")
@allow("admin")
def account(user_id: int):
    return _render_account(_account_or_404(user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@allow("admin")
def change_role(user_id: int):
    user = _account_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _render_account(user, form, status=422)
    before = user.role
    try:
        accounts.change_role(user_id, form.role.data, current_user)
    except services.AccountError as error:
        return _render_account(_account_or_404(user_id), form, str(error), 409)
    if before == form.role.data:
        return _after_change(user, f"{user.name} already has this role.", signed_out=False)
    return _after_change(user, f"{user.name} is now {form.role.data}, and was signed out.")


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@allow("admin")
def deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@allow("admin")
def reactivate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = _account_or_404(user_id)
    if not AccountActionForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_active(user_id, active, current_user)
    except services.AccountError as error:
        return _render_account(_account_or_404(user_id), problem=str(error), status=409)
    if active:
        return _after_change(user, f"{user.name} can sign in again.", signed_out=False)
    return _after_change(user, f"{user.name} is deactivated: signed out, and cannot sign in.")


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@allow("admin")
def reset_link(user_id: int):
    """The link is shown on this answer only: only its hash is kept."""
    user = _account_or_404(user_id)
    if not AccountActionForm().validate_on_submit():
        abort(400)
    try:
        link = make_reset_link(user_id, current_user)
    except services.AccountError as error:
        return _render_account(user, problem=str(error), status=409)
    link = mail_reset_link(link, current_user)
    return render_template("admin/reset_link.html", user=user, link=link)


@bp.route("/audit")
@allow("admin")
def audit():
    """Who changed what and when, newest first; ?action= narrows it to one kind."""
    action = request.args.get("action") or None
    if action not in ACTIONS:
        action = None
    number = request.args.get("page", 1, type=int)
    page = audit_page(current_user, number, action)
    return render_template("admin/audit.html", page=page, action=action, actions=ACTIONS)
