"""My interviews and the interviewer's screen."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..policy import ANY_ROLE, allow

bp = Blueprint("interviews", __name__)


@bp.route("/interviews")
@allow(*ANY_ROLE)
def mine():
    return render_template("interviews/mine.html")
