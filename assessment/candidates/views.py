"""The candidate page and scorecard (HTML, PDF): the scores, as far as the viewer may see them."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user

from ..policy import ANY_ROLE, allow
from ..scorecard import CandidateNotFound, EvidenceSealed, Scorecard, build_scorecard
from ..scorecard.chart import competency_chart

bp = Blueprint("candidates", __name__)


def _card(candidate_id: int) -> Scorecard:
    """The viewer's scorecard, or 404, or 403 saying why (sealed until one's own submit)."""
    try:
        return build_scorecard(candidate_id, current_user)
    except CandidateNotFound:
        abort(404)
    except EvidenceSealed as sealed:
        abort(403, description=str(sealed))


@bp.route("/candidates/<int:candidate_id>")
@allow(*ANY_ROLE)
def show(candidate_id: int):
    return render_template("candidates/show.html", card=_card(candidate_id))


@bp.route("/candidates/<int:candidate_id>/scorecard")
@allow(*ANY_ROLE)
def scorecard(candidate_id: int):
    card = _card(candidate_id)
    return render_template("scorecard/page.html", card=card, chart=competency_chart(card))


@bp.route("/candidates/<int:candidate_id>/scorecard.pdf")
@allow(*ANY_ROLE)
def scorecard_pdf(candidate_id: int):
    from ..scorecard import pdf  # WeasyPrint loads on first use, after any worker fork

    paper = pdf.paper_named(request.args.get("paper", "A4"))
    if paper is None:
        abort(400, description="Paper must be A4 or Letter.")
    card = _card(candidate_id)
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
