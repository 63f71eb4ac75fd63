"""The candidate's pages, reached through an invite link: /a/<token>."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("selfassess", __name__)
