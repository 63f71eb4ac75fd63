"""Personal data of a candidate: the staff's page (download everything, erase after a
confirmation) and the candidate's own withdrawal of consent through their link."""

from __future__ import annotations

import json
from contextlib import suppress

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..blind import identity
from ..candidates.editing import get_candidate
from ..extensions import csrf, limiter
from ..policy import PUBLIC, allow
from ..scorecard import CandidateNotFound, EvidenceSealed
from ..selfassess.invites import InviteInvalid, find_by_token
from ..visibility import require_evidence_access
from .access import candidate_record
from .consent import consent_terms
from .erasure import ErasureError, erase_candidate, erasure_preview
from .forms import EraseForm

bp = Blueprint("privacy", __name__)
STAFF = ("admin", "hr")


@bp.app_context_processor
def consent_text():
    """The consent page's terms (retention, contact) for templates/selfassess/welcome.html."""
    return {"consent_terms": consent_terms}


def _candidate_or_404(candidate_id: int):
    found = get_candidate(candidate_id)
    if found is None:
        abort(404)
    require_evidence_access(current_user, candidate_id)  # the seal: notes are in it
    return found


def _render(candidate_id: int, form: EraseForm | None = None, status: int = 200):
    candidate, position = _candidate_or_404(candidate_id)
    return render_template(
        "privacy/show.html",
        candidate=candidate,
        position=position,
        who=identity(candidate, position, current_user),
        preview=erasure_preview(candidate_id),
        form=form or EraseForm(formdata=None),
    ), status


@bp.route("/candidates/<int:candidate_id>/data")
@allow(*STAFF)
def show(candidate_id: int):
    return _render(candidate_id)


@bp.route("/candidates/<int:candidate_id>/data.json")
@allow(*STAFF)
def access_json(candidate_id: int):
    """Everything held about the candidate, as the viewer may see it, as one file."""
    from ..audit import record_audit
    from ..database import write_transaction

    try:
        record = candidate_record(candidate_id, current_user)
    except CandidateNotFound:
        abort(404)
    except EvidenceSealed as sealed:
        abort(403, description=str(sealed))
    with write_transaction():  # who downloaded it, and when; nothing about the person
        record_audit("candidate.access", "candidate", candidate_id, current_user)
    body = json.dumps(record, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    name = f"candidate-{candidate_id}-data.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/candidates/<int:candidate_id>/erase", methods=["POST"])
@allow(*STAFF)
def erase(candidate_id: int):
    _candidate_or_404(candidate_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _render(candidate_id, form, 422)
    try:
        erase_candidate(candidate_id, current_user, form.why.data)
    except ErasureError as error:
        abort(409, description=str(error))
    flash("Their personal data is erased. Ratings, answers and scores stay as numbers.", "success")
    return redirect(url_for("candidates.show", candidate_id=candidate_id))


# --- the candidate withdraws their consent, through their link ---------------------------


@bp.after_request
def keep_the_link_private(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def _gone(error: InviteInvalid):
    return render_template(
        "privacy/withdraw_gone.html", reason=error.reason, terms=consent_terms()
    ), error.status


@bp.route("/a/<token>/withdraw", methods=["GET", "POST"])
@allow(PUBLIC)
@csrf.exempt  # no session to ride on: the link's token is the credential (as selfassess/)
@limiter.limit("30 per minute")
def withdraw(token: str):
    """Withdrawing consent erases the candidate's personal data (after a confirmation)."""
    try:
        assessment = find_by_token(token)
    except InviteInvalid as error:
        return _gone(error)
    if request.method != "POST":  # GET or HEAD: the confirmation, never the erasure
        return render_template("privacy/withdraw.html", token=token, terms=consent_terms())
    with suppress(ErasureError):  # erased already: the same answer
        erase_candidate(assessment.candidate_id, None, "consent")
    return render_template("privacy/withdrawn.html", terms=consent_terms())
