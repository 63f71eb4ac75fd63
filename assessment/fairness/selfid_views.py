"""The optional self-identification step after a candidate sends the self-assessment:
/a/<token>/about-you, reached through the same invite link."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..extensions import csrf, limiter
from ..policy import PUBLIC, allow
from ..selfassess.answers import position_title
from ..selfassess.candidate_views import invalid_link, keep_the_link_private
from ..selfassess.invites import InviteInvalid, find_by_token
from .forms import SelfIdForm
from .selfid import (
    SelfIdError,
    has_answered,
    record_self_identification,
    withdraw_self_identification,
)

bp = Blueprint("selfid", __name__)
csrf.exempt(bp)  # as every /a/ page: the link is the credential, there is no session
limiter.limit("300 per minute")(bp)
bp.after_request(keep_the_link_private)
bp.errorhandler(InviteInvalid)(invalid_link)


def _page(assessment, token: str, form=None, saved=None, status=200):
    page = render_template(
        "fairness/about_you.html",
        token=token,
        position_title=position_title(assessment),
        form=form or SelfIdForm(formdata=None),
        answered=has_answered(assessment.candidate_id),
        saved=saved,
    )
    return page, status


@bp.route("/a/<token>/about-you")
@allow(PUBLIC)
def about_you(token: str):
    """Never before the answers are sent: until then the link leads back to the start."""
    assessment = find_by_token(token)
    if assessment.status != "submitted":
        return redirect(url_for("selfassess.welcome", token=token))
    return _page(assessment, token)


@bp.route("/a/<token>/about-you", methods=["POST"])
@allow(PUBLIC)
def save_about_you(token: str):
    assessment = find_by_token(token)
    form = SelfIdForm()
    withdraw = request.form.get("go") == "withdraw"
    if not withdraw and not form.validate():
        return _page(assessment, token, form, status=422)
    try:
        if withdraw:
            withdraw_self_identification(assessment.id)
            saved = "withdrawn"
        else:
            stored = record_self_identification(assessment.id, form.data)
            saved = "saved" if stored else "nothing"
    except SelfIdError:
        return redirect(url_for("selfassess.welcome", token=token))
    return _page(assessment, token, saved=saved)
