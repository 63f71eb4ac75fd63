"""The candidate page and scorecard (HTML, PDF): the scores, as far as the viewer may see them."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, abort, render_template, request, send_file
from flask_login import current_user

from ..policy import ANY_ROLE, allow
from ..review.forms import DecisionForm
from ..review.rules import DECISION_NAMES, against_hint, band_text
from ..review.services import decisions_of
from ..scorecard import CandidateNotFound, EvidenceSealed, Scorecard, build_scorecard, cache
from ..scorecard.chart import competency_chart
from ..scorecard.files import paper_named, pdf_filename

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
    paper = paper_named(request.args.get("paper", "A4"))
    if paper is None:
        abort(400, description="Paper must be A4 or Letter.")
    card = viewer_card(candidate_id)  # the seal first: a cached PDF is no way around it
    key = cache.card_key(card, paper)
    if request.if_none_match.contains(key):
        response = Response(status=304)
    else:
        response = send_file(
            BytesIO(cache.scorecard_pdf(card, paper, key)),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=pdf_filename(card),
        )
    response.set_etag(key)
    # The browser may keep it but must ask again each time, so the seal is checked again:
    # who may see a card can change. Shared caches never keep it.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
