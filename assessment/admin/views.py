"""Administration views (admins only): accounts and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import services
from ..extensions import db
from ..models import User
from ..policy import allow
from .audit_log import ACTIONS, audit_page
from .forms import NewUserForm

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
    people = db.session.scalars(db.select(User).order_by(User.role, User.name)).all()
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("admin/users.html", form=form, users=people), status


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
