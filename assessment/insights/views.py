"""Interviewer calibration and bank quality (HR and admins): thin views over the services."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..converters import parse_id
from ..policy import allow
from ..scoring.stats import agreement as stats_agreement
from ..scoring.stats import items as stats_items
from . import bank_quality as quality
from . import calibration as calibrating
from . import readings

bp = Blueprint("insights", __name__)


def _page(template: str, **context):
    return render_template(
        template, panel_stats=stats_agreement, item_stats=stats_items, readings=readings, **context
    )


@bp.route("/calibration")
@allow("admin", "hr")
def calibration():
    return _page("insights/calibration.html", report=calibrating.calibration())


@bp.route("/positions/<int:position_id>/calibration")
@allow("admin", "hr")
def position_calibration(position_id: int):
    try:
        report = calibrating.calibration(position_id)
    except calibrating.PositionNotFound:
        abort(404)
    return _page("insights/calibration.html", report=report)


@bp.route("/bank/quality")
@allow("admin", "hr")
def bank_quality():
    position_id = parse_id(request.args.get("position"))  # an id, or None (also past 2^31)
    if "position" in request.args and request.args["position"] and position_id is None:
        abort(404)
    try:
        report = quality.bank_quality(position_id, request.args.get("version") or None)
    except quality.PositionNotFound:
        abort(404)
    return _page("insights/bank_quality.html", report=report)
