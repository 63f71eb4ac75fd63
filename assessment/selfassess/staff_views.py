"""Invites for HR and the candidate's panel: create, show the link, e-mail, revoke."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..account.reader import reader_zone
from ..blind import Identity, identity
from ..mail import MailError, mail_configured
from ..policy import ANY_ROLE, allow
from ..public_address import request_warning
from .invite_forms import InviteForm, RevokeForm
from .invite_mail import InviteLetter, send_invite_mail
from .invites import (
    NOT_ON_PANEL,
    InviteError,
    InviteState,
    create_invite,
    invite_link,
    invite_state,
    may_invite,
    revoke_invite,
)

bp = Blueprint("invites", __name__)


def _state_or_refuse(candidate_id: int) -> InviteState:
    """The candidate's invite state: 404 for no such candidate, 403 (explained) if not yours."""
    state = invite_state(candidate_id)
    if state is None:
        abort(404)
    if not may_invite(current_user, candidate_id):
        abort(403, description=NOT_ON_PANEL)
    return state


def shown(state: InviteState) -> Identity:
    """The candidate as the signed-in person may see them: under blind review the code and
    no e-mail (the letter still goes to the real address)."""
    person = SimpleNamespace(
        id=state.candidate_id,
        name=state.candidate_name,
        email=state.candidate_email,
        external_id=None,
        code=state.candidate_code,
    )
    return identity(person, state, current_user)  # state.blind: the position's setting


def _invite_form(state: InviteState, formdata=None) -> InviteForm:
    form = InviteForm() if formdata is None else InviteForm(formdata=formdata)
    to = shown(state).email or "the candidate (their address stays hidden: blind review)"
    form.send_email.label.text = f"Also e-mail it to {to}"
    return form


def _address_warning() -> str | None:
    """Set when the links (built from BASE_URL) would not reach the app as it is opened."""
    return request_warning(current_app.config["BASE_URL"], request.host_url, request.host)


def _render_show(state: InviteState, status: int = 200, **forms):
    return render_template(
        "invites/show.html",
        state=state,
        who=shown(state),
        form=forms.get("form") or _invite_form(state, formdata=None),
        revoke_form=forms.get("revoke_form") or RevokeForm(formdata=None),
        mail_on=mail_configured(),
        problem=forms.get("problem"),
        address_warning=_address_warning(),
    ), status


@bp.route("/candidates/<int:candidate_id>/invite")
@allow(*ANY_ROLE)
def show(candidate_id: int):
    return _render_show(_state_or_refuse(candidate_id))


@bp.route("/candidates/<int:candidate_id>/invite", methods=["POST"])
@allow(*ANY_ROLE)
def create(candidate_id: int):
    state = _state_or_refuse(candidate_id)
    form = _invite_form(state)
    if not form.validate_on_submit():
        return _render_show(state, 422, form=form)
    previous = state.state
    try:
        _, token = create_invite(candidate_id, current_user, form.days.data)
    except InviteError as error:
        return _render_show(invite_state(candidate_id), 422, form=form, problem=str(error))
    state = invite_state(candidate_id)
    link = invite_link(token)
    mailed, mail_problem = None, None
    if form.send_email.data and mail_configured():
        mailed, mail_problem = _mail_invite(state, link)
    return render_template(
        "invites/created.html",
        state=state,
        who=shown(state),
        link=link,
        replaced=previous != "none",
        mailed=mailed,
        mail_problem=mail_problem,
        mail_on=mail_configured(),
        address_warning=_address_warning(),
    )


def _mail_invite(state: InviteState, link: str) -> tuple[str | None, str | None]:
    """(address it went to, None) or (None, why it failed): the link is shown either way."""
    letter = InviteLetter(
        candidate_name=state.candidate_name,
        candidate_email=state.candidate_email,
        position_title=state.position_title,
        link=link,
        minutes=state.minutes,
        expires_at=state.expires_at,
        sender_name=current_user.name,
        sender_email=current_user.email,
        time_zone=reader_zone(),  # the sender's: the e-mail names it, and UTC
    )
    try:
        send_invite_mail(letter)
    except (MailError, ValueError) as error:  # ValueError: an address the message refuses
        return None, str(error)
    return state.candidate_email, None


@bp.route("/candidates/<int:candidate_id>/invite/revoke", methods=["POST"])
@allow(*ANY_ROLE)
def revoke(candidate_id: int):
    state = _state_or_refuse(candidate_id)
    form = RevokeForm()
    if not state.active:
        flash("There is no working link to stop.", "info")
        return redirect(url_for("invites.show", candidate_id=candidate_id))
    if not form.validate_on_submit():
        return _render_show(state, 422, revoke_form=form)
    try:
        revoke_invite(state.assessment_id, current_user)
    except InviteError as error:
        return _render_show(invite_state(candidate_id), 422, problem=str(error))
    flash("The link is stopped: the candidate can no longer open it. Answers are kept.", "success")
    return redirect(url_for("invites.show", candidate_id=candidate_id))
