"""Webhooks (admins): register a URL for events, see its deliveries, send one again, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..policy import allow
from . import hooks
from .delivery import SIGNATURE
from .forms import WebhookForm
from .models import Webhook

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _hook_or_404(hook_id: int) -> Webhook:
    hook = db.session.get(Webhook, hook_id)
    if hook is None:
        abort(404)
    return hook


def _index(form: WebhookForm, status: int = 200, secret: str | None = None):
    return render_template(
        "webhooks/index.html",
        form=form,
        hooks=hooks.list_webhooks(),
        secret=secret,
        header=SIGNATURE,
    ), status


@bp.route("", methods=["GET", "POST"])
@allow("admin")
def index():
    form = WebhookForm()
    if not form.validate_on_submit():
        return _index(form, 422 if form.is_submitted() else 200)
    try:
        _, secret = hooks.register_webhook(form.url.data, form.events.data, current_user)
    except hooks.WebhookError as error:
        form[error.field].errors.append(str(error))
        return _index(form, 422)
    return _index(WebhookForm(formdata=None), 201, secret=secret)


@bp.route("/<int:hook_id>")
@allow("admin")
def show(hook_id: int):
    hook = _hook_or_404(hook_id)
    return render_template(
        "webhooks/show.html", hook=hook, deliveries=hooks.deliveries_of(hook_id), header=SIGNATURE
    )


@bp.route("/<int:hook_id>/deliveries/<int:delivery_id>/resend", methods=["POST"])
@allow("admin")
def resend(hook_id: int, delivery_id: int):
    _hook_or_404(hook_id)
    if hooks.resend_delivery(hook_id, delivery_id, current_user):
        flash("Sending it again.", "info")
    else:
        flash("Only a failed delivery can be sent again.", "info")
    return redirect(url_for("webhooks.show", hook_id=hook_id), 303)


@bp.route("/<int:hook_id>/delete", methods=["GET", "POST"])
@allow("admin")
def delete(hook_id: int):
    hook = _hook_or_404(hook_id)
    if request.method == "POST":
        hooks.delete_webhook(hook_id, current_user)
        flash("Webhook removed.", "success")
        return redirect(url_for("webhooks.index"), 303)
    return render_template("webhooks/delete.html", hook=hook)
