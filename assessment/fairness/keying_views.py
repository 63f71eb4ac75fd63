"""Scenario keys from experts: the bank's keys pages (admins invite and adopt, HR reads) and
the expert's own keying pages, the only pages an expert account can open."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..mail import mail_configured
from ..policy import allow
from ..question_bank import current_bank
from ..scoring.stats.agreement import icc_label
from . import consensus
from .adopted import keyed_bank
from .forms import AdoptForm, InviteExpertsForm, key_name, make_keying_form
from .key_review import adopt_consensus, item_review, review_keys
from .keying import (
    KeyingError,
    KeyingNotFound,
    expert_accounts,
    invite_experts,
    my_tasks,
    submit_keying,
    task_of,
)
from .keying_mail import mail_experts

bp = Blueprint("keys", __name__)


def _invite_form(bank, item_ids=None) -> InviteExpertsForm:
    form = InviteExpertsForm()
    form.items.choices = [(i, i) for i in (item_ids or bank.scenarios)]
    form.experts.choices = [(str(u.id), f"{u.name} ({u.email})") for u in expert_accounts()]
    return form


def _page(template: str, **context):
    return render_template(template, minimum=consensus.MIN_EXPERTS, icc_label=icc_label, **context)


@bp.route("/bank/keys")
@allow("admin", "hr")
def overview():
    bank = current_bank()
    return _page(
        "fairness/keys.html",
        reviews=review_keys(bank),
        form=_invite_form(bank),
        version=keyed_bank(bank).version,
    )


@bp.route("/bank/keys/invite", methods=["POST"])
@allow("admin")
def invite():
    bank = current_bank()
    form = _invite_form(bank)
    back = request.form.get("back") or url_for("keys.overview")
    if not back.startswith("/bank/keys"):
        back = url_for("keys.overview")
    if not form.validate_on_submit():
        flash("Tick scenario items and experts from the lists shown.", "error")
        return redirect(back)
    experts = [int(e) for e in form.experts.data]
    try:
        created = invite_experts(bank, form.items.data, experts, current_user)
    except KeyingError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_invited(created), "success")
    for problem in mail_experts(created) if created and mail_configured() else ():
        flash(f"The e-mail could not be sent: {problem}", "error")
    return redirect(back)


def _invited(created) -> str:
    count = sum(created.values())
    told = "they get an e-mail" if mail_configured() else "give them the app's address"
    return (
        f"{count} keying task{'' if count == 1 else 's'} created. The experts see them when "
        f"they sign in, under My keying; {told}."
    )


@bp.route("/bank/keys/<item_id>")
@allow("admin", "hr")
def item(item_id: str):
    bank = current_bank()
    try:
        review = item_review(bank, item_id)
    except KeyingNotFound:
        abort(404)
    return _page("fairness/item_keys.html", review=review, form=_invite_form(bank, [item_id]))


@bp.route("/bank/keys/<item_id>/adopt", methods=["GET", "POST"])
@allow("admin")
def adopt(item_id: str):
    bank = current_bank()
    try:
        review = item_review(bank, item_id)
    except KeyingNotFound:
        abort(404)
    form, status = AdoptForm(), 200
    if form.validate_on_submit():
        try:
            row = adopt_consensus(bank, item_id, current_user, form.reason.data)
        except KeyingError as error:
            form.reason.errors.append(str(error))
            status = error.status
        else:
            flash(
                f"Consensus key adopted for {item_id}: new self-assessments use bank version "
                f"{row.bank_version}; every earlier one keeps the keys it was scored with.",
                "success",
            )
            return redirect(url_for("keys.item", item_id=item_id))
    elif request.method == "POST":
        status = 422
    return _page("fairness/adopt.html", review=review, form=form), status


@bp.route("/keying")
@allow("expert")
def keying_list():
    return _page("fairness/keying_list.html", tasks=my_tasks(current_user))


@bp.route("/keying/<int:task_id>", methods=["GET", "POST"])
@allow("expert")
def keying_task(task_id: int):
    try:
        task = task_of(task_id, current_user)
    except KeyingNotFound:
        abort(404)
    responses = task.item["responses"]
    form = make_keying_form(responses, formdata=None if request.method == "GET" else request.form)
    status = 200
    if task.submitted_at is None and request.method == "POST":
        status = 422
        if form.validate():
            ratings = {r["id"]: int(form[key_name(r["id"])].data) for r in responses}
            try:
                submit_keying(task_id, current_user, ratings)
            except KeyingError as error:
                flash(str(error), "error")
                status = error.status
            else:
                flash("Thank you: your key is sent.", "success")
                return redirect(url_for("keys.keying_list"))
    elif request.method == "POST":
        status = 409  # a sent key is final
    return _page("fairness/keying_task.html", task=task, form=form, key_name=key_name), status
