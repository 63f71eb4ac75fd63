"""Positions, candidates and panels (HR and admins)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..policy import allow

bp = Blueprint("positions", __name__)


@bp.route("/positions")
@allow("admin", "hr")
def index():
    return render_template("positions/index.html")
