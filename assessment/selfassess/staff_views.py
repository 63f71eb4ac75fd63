"""Invites for HR and the candidate's panel: create, show the link, e-mail, revoke."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("invites", __name__)
