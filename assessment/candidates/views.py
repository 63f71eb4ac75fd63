"""The candidate page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("candidates", __name__)
