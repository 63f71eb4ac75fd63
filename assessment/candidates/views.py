"""The candidate page and scorecard (HTML, PDF): the scores, as far as the viewer may see them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..blind import is_blind
from ..policy import ANY_ROLE, allow
from ..positions.forms import ButtonForm, CandidateForm
from ..review.forms import DecisionForm
from ..review.rules import DECISION_NAMES, against_hint, band_text
from ..scorecard import CandidateNotFound, EvidenceSealed, Scorecard, build_scorecard
from ..scorecard.chart import competency_chart
from ..scorecard.download import pdf_response
from ..scorecard.files import paper_named
from . import editing
from .directory import count_candidates, search_candidates

DECIDERS = ("admin", "hr")  # managers see the standing decision, read-only

bp = Blueprint("candidates", __name__)


def viewer_card(candidate_id: int) -> Scorecard:
    """The viewer's scorecard, or 404, or 403 saying why (sealed until one's own submit)."""
    try:
        return build_scorecard(candidate_id, current_user)
    except CandidateNotFound:
        abort(404)
    except EvidenceSealed as sealed:
        abort(403, description=str(sealed))


def render_candidate(card: Scorecard, form: DecisionForm | None = None, status: int = 200):
    """The candidate page: scores and evidence, the standing decision, and for HR and admins
    the decision form and every earlier decision. (Decisions are recorded in review/.)"""
    decisions = card.decisions  # read with the card: the page needs no query of its own
    may_decide = current_user.role in DECIDERS
    band = band_text(card.score.overall.label)
    return render_template(
        "candidates/show.html",
        card=card,
        decisions=decisions if may_decide else decisions[:1],
        decision_names=DECISION_NAMES,
        may_decide=may_decide,
        form=(form or DecisionForm(formdata=None)) if may_decide else None,
        band=band,
        band_hint=against_hint(band),
        held=editing.Standing(
            card.candidate.withdrawn_at,
            card.candidate.erased_at,
            card.position.closed,
            card.candidate.blind,
        ),
        button=ButtonForm(formdata=None),
    ), status


@bp.route("/candidates/<int:candidate_id>")
@allow(*ANY_ROLE)
def show(candidate_id: int):
    return render_candidate(viewer_card(candidate_id))


@bp.route("/candidates/<int:candidate_id>/scorecard")
@allow(*ANY_ROLE)
def scorecard(candidate_id: int):
    card = viewer_card(candidate_id)
    return render_template("scorecard/page.html", card=card, chart=competency_chart(card))


@bp.route("/candidates/<int:candidate_id>/scorecard.pdf")
@allow(*ANY_ROLE)
def scorecard_pdf(candidate_id: int):
    paper = paper_named(request.args.get("paper", "A4"))
    if paper is None:
        abort(400, description="Paper must be A4 or Letter.")
    return pdf_response(viewer_card(candidate_id), paper)  # the seal first


@bp.route("/candidates")
@allow("admin", "hr")
def search():
    """Every position's candidates, found by name, e-mail, external id or code."""
    query = " ".join((request.args.get("q") or "").split())[:100]
    page = search_candidates(query, current_user, request.args.get("page", 1, type=int))
    everyone = count_candidates() if page is None else None  # for the prompt only
    return render_template("candidates/search.html", query=query, page=page, everyone=everyone)


def _editable_or_404(candidate_id: int):
    found = editing.get_candidate(candidate_id)
    if found is None:
        abort(404)
    candidate, position = found
    if is_blind(position, current_user):
        abort(403, description=BLIND_EDIT)
    return candidate, position


BLIND_EDIT = (
    "This position is under blind review, so candidates' names and contact details are "
    "hidden from you. Reveal the names on the position's page to correct them."
)


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@allow("admin", "hr")
def edit(candidate_id: int):
    candidate, position = _editable_or_404(candidate_id)
    form = CandidateForm(obj=candidate)
    if form.validate_on_submit():
        try:
            editing.edit_candidate(
                candidate_id, form.name.data, form.email.data, form.external_id.data, current_user
            )
        except editing.CandidateError as error:
            form[error.field or "name"].errors.append(str(error))
        else:
            flash("Details saved.", "success")
            return redirect(url_for("candidates.show", candidate_id=candidate_id))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template(
        "candidates/edit.html", candidate=candidate, position=position, form=form
    ), status


@bp.route("/candidates/<int:candidate_id>/withdraw", methods=["POST"])
@allow("admin", "hr")
def withdraw(candidate_id: int):
    return _set_withdrawn(candidate_id, True)


@bp.route("/candidates/<int:candidate_id>/reinstate", methods=["POST"])
@allow("admin", "hr")
def reinstate(candidate_id: int):
    return _set_withdrawn(candidate_id, False)


def _set_withdrawn(candidate_id: int, withdrawn: bool):
    if editing.standing_of(candidate_id) is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if withdrawn and editing.withdraw_candidate(candidate_id, current_user):
        flash("Marked as withdrawn. Their self-assessment link no longer works.", "success")
    elif not withdrawn and editing.reinstate_candidate(candidate_id, current_user):
        flash("Back in the process.", "success")
    return redirect(url_for("candidates.show", candidate_id=candidate_id))
