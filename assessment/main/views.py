"""The home page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func

from ..extensions import db
from ..models import Candidate, Interview, Position
from ..policy import ANY_ROLE, EXPERT, allow

bp = Blueprint("main", __name__)
# The README's command for the demo company (a test checks they match).
DEMO_COMMAND = ".venv/bin/flask --app app demo"


@bp.route("/")
@allow(*ANY_ROLE, EXPERT)
def index():
    if current_user.role == EXPERT:  # an expert's home is their keying list, nothing else
        return redirect(url_for("keys.keying_list"))
    positions = []
    if current_user.role in ("admin", "hr"):
        positions = db.session.execute(
            db.select(Position, func.count(Candidate.id))
            .outerjoin(Candidate, Candidate.position_id == Position.id)
            .where(Position.archived.is_(False))
            .group_by(Position.id)
            .order_by(Position.created_at.desc(), Position.id.desc())
        ).all()
    open_interviews = db.session.scalar(
        db.select(func.count(Interview.id)).where(
            Interview.interviewer_id == current_user.id, Interview.status != "submitted"
        )
    )
    return render_template(
        "main/index.html",
        positions=positions,
        open_interviews=open_interviews,
        demo_command=DEMO_COMMAND,
    )
