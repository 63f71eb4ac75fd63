"""The candidate page and scorecard (HTML, PDF): the scores, as far as the viewer may see them."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user

from ..policy import ANY_ROLE, allow
from ..review.forms import DecisionForm
from ..review.rules import DECISION_NAMES, against_hint, band_text
from ..review.services import decisions_of
from ..scorecard import CandidateNotFound, EvidenceSealed, Scorecard, build_scorecard
from ..scorecard.chart import competency_chart

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
    decisions = decisions_of(card.candidate.id)
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
    from ..scorecard import pdf  # WeasyPrint loads on first use, after any worker fork

    paper = pdf.paper_named(request.args.get("paper", "A4"))
    if paper is None:
        abort(400, description="Paper must be A4 or Letter.")
    card = viewer_card(candidate_id)
    response = send_file(
        BytesIO(pdf.render_scorecard_pdf(card, paper)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=pdf.pdf_filename(card),
        max_age=0,
    )
    response.cache_control.no_store = True  # who may see it can change; never keep a copy
    response.cache_control.private = True
    return response
