"""The candidate page: evidence and scores, as far as the viewer may see them."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..policy import ANY_ROLE, allow
from ..scorecard import CandidateNotFound, EvidenceSealed, build_scorecard

bp = Blueprint("candidates", __name__)


@bp.route("/candidates/<int:candidate_id>")
@allow(*ANY_ROLE)
def show(candidate_id: int):
    try:
        card = build_scorecard(candidate_id, current_user)
    except CandidateNotFound:
        abort(404)
    except EvidenceSealed as sealed:
        abort(403, description=str(sealed))
    return render_template("candidates/show.html", card=card)
