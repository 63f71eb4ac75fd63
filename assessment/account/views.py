"""The signed-in person's settings page (their time zone)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..models import utcnow
from ..policy import ANY_ROLE, EXPERT, allow
from .forms import SettingsForm
from .reader import reader_zone
from .services import SettingsError, set_time_zone

bp = Blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
@allow(*ANY_ROLE, EXPERT)
def settings():
    form = SettingsForm(time_zone=current_user.time_zone or reader_zone())
    if form.validate_on_submit():
        try:
            set_time_zone(current_user.id, form.time_zone.data)
        except SettingsError as error:
            form.time_zone.errors.append(str(error))
        else:
            flash(f"Times are now shown in {form.time_zone.data}.", "success")
            return redirect(url_for("account.settings"))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("account/settings.html", form=form, now=utcnow()), status


from . import password_views  # noqa: E402,F401  (its routes join this blueprint)
