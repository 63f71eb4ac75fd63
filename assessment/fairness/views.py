"""The fairness and validity pages (HR and admins): thin views over report.py,
prediction.py and outcomes.py."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..converters import parse_id
from ..extensions import db
from ..models import Position
from ..policy import allow
from ..scoring.stats import dif as dif_stats
from ..scoring.stats import fairness as fairness_stats
from ..scoring.stats import validity as validity_stats
from ..visibility import require_evidence_access
from . import prediction
from . import report as reporting
from .forms import OutcomeForm
from .outcomes import (
    RATING_LABELS,
    OutcomeError,
    hired_page,
    open_interviews,
    outcome_of,
    record_outcome,
)

bp = Blueprint("fairness", __name__)


def _position_arg() -> int | None:
    """?position=ID narrows a page to one position; anything else but empty is a 404."""
    raw = request.args.get("position", "")
    if not raw:
        return None
    position_id = parse_id(raw)  # "²", "-1" or past what an id holds: never to the database
    if position_id is None:
        abort(404)
    return position_id


def _sealed(position_id: int | None, page: str):
    """The page in place of a report while the viewer's own interviews are open (the seal)."""
    count = open_interviews(current_user, position_id)
    if not count:
        return None
    where = "for this position" if position_id else "in any position"
    return render_template("fairness/sealed.html", count=count, where=where, page=page), 403


@bp.route("/fairness")
@allow("admin", "hr")
def report():
    position_id = _position_arg()
    sealed = _sealed(position_id, "Fairness")
    if sealed:
        return sealed
    try:
        result = reporting.fairness_report(position_id)
    except reporting.PositionNotFound:
        abort(404)
    return render_template(
        "fairness/report.html",
        report=result,
        stats=fairness_stats,
        dif_stats=dif_stats,
        item_labels=reporting.scenario_labels([i.item_id for i in result.dif.items]),
    )


@bp.route("/fairness.csv")
@allow("admin", "hr")
def report_csv():
    sealed = _sealed(None, "Fairness")
    if sealed:
        return sealed
    return Response(
        reporting.fairness_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="adverse-impact.csv"'},
    )


@bp.route("/validity")
@allow("admin", "hr")
def validity():
    position_id = _position_arg()
    sealed = _sealed(position_id, "Validity")
    if sealed:
        return sealed
    try:
        result = prediction.validity_report(position_id)
    except prediction.PositionNotFound:
        abort(404)
    return render_template("fairness/validity.html", report=result, stats=validity_stats)


@bp.route("/validity/outcomes")
@allow("admin", "hr")
def outcomes():
    position_id = _position_arg()
    if position_id is not None and db.session.get(Position, position_id) is None:
        abort(404)
    page = hired_page(current_user, position_id, request.args.get("page", 1, type=int))
    positions = db.session.execute(db.select(Position.id, Position.title).order_by(Position.title))
    return render_template(
        "fairness/outcomes.html",
        page=page,
        position_id=position_id,
        positions=positions.all(),
        labels=RATING_LABELS,
    )


@bp.route("/candidates/<int:candidate_id>/outcome", methods=["GET", "POST"])
@allow("admin", "hr")
def outcome(candidate_id: int):
    found = outcome_of(candidate_id, current_user)
    if found is None:
        abort(404)
    require_evidence_access(current_user, candidate_id)  # the seal: decisions too
    name, title, decision, stored = found
    form = OutcomeForm(obj=_form_values(stored))
    status = 200 if decision == "advance" else 409
    if status == 200 and form.validate_on_submit():
        try:
            record_outcome(candidate_id, current_user, *form.outcome())
        except OutcomeError as error:
            form.rating.errors.append(str(error))
            status = error.status
        else:
            flash(f"Outcome recorded for {name}.", "success")
            return redirect(url_for("fairness.outcomes"))
    elif request.method == "POST" and status == 200:
        status = 422
    return render_template(
        "fairness/outcome.html", form=form, name=name, title=title, hired=decision == "advance"
    ), status


def _form_values(stored):
    """The stored outcome in the form's terms (a new one starts at six months)."""
    if stored is None:
        return None
    employed = {True: "yes", False: "no"}.get(stored.employed_12m, "")
    return SimpleNamespace(
        rating=str(stored.rating or ""),
        rating_months=stored.rating_months or 6,
        employed_12m=employed,
    )
