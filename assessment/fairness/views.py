"""The fairness and validity pages (HR and admins): thin views over report.py and
validity.py."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from ..policy import allow
from ..scoring.stats import dif as dif_stats
from ..scoring.stats import fairness as fairness_stats
from . import report as reporting

bp = Blueprint("fairness", __name__)


def _position_arg() -> int | None:
    """?position=ID narrows a page to one position; anything else but empty is a 404."""
    raw = request.args.get("position", "")
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return int(raw)


@bp.route("/fairness")
@allow("admin", "hr")
def report():
    try:
        result = reporting.fairness_report(_position_arg())
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
    return Response(
        reporting.fairness_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="adverse-impact.csv"'},
    )
