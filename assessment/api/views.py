"""/api/v1/: JSON for applicant tracking systems, with a bearer token (tokens.py).

Every view is thin: it reads the request, calls one service and answers JSON. Errors are
JSON too ({"error", "message"}, plus "problems" for bad rows). Writes need a write-scoped
token and are audited with the token's name; every call counts against the token's rate
limit (API_RATE_LIMIT, shared between hosts through Redis when REDIS_URL is set).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from ..audit import record_audit
from ..database import write_transaction
from ..errors import MESSAGES
from ..extensions import csrf, limiter
from ..policy import PUBLIC, TOKEN, allow
from ..scorecard import CandidateNotFound, EvidenceSealed, build_scorecard
from ..scorecard.download import pdf_response
from ..scorecard.files import paper_named
from ..security import accepts_json
from ..selfassess.invites import InviteError, create_invite, invite_link
from . import services
from .openapi import openapi_document
from .tokens import authenticate

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies: a bearer token cannot be sent by another site's form


def _rate_key() -> str:
    """Per token (its hash, so the limit holds before the token is looked up), else per
    address for requests without one."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "api-anonymous:" + (request.remote_addr or "")


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_key)(bp)


def needs(scope: str) -> Callable:
    """A view for tokens with this scope ("read": any token; "write": write tokens)."""

    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            caller = authenticate(request.headers.get("Authorization"))
            if caller is None:
                abort(401, description="Send a valid token: Authorization: Bearer <token>.")
            g.api_caller = caller  # before the scope check: a refused write is audited too
            if not caller.may(scope):
                abort(403, description="This token may only read; this call needs a write token.")
            return view(*args, **kwargs)

        return accepts_json(allow(TOKEN)(checked))  # the API reads JSON bodies

    return wrap


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    code = error.code or 500
    title = MESSAGES.get(code, (error.name, ""))[0]
    message = error.description or MESSAGES.get(code, ("", ""))[1]
    response = jsonify(error=title, message=message)
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, code


@bp.errorhandler(services.ApiError)
def api_error(error: services.ApiError):
    body = {"error": "Not accepted", "message": str(error)}
    if error.problems:
        body["problems"] = error.problems
    return jsonify(body), error.status


@bp.after_request
def audit_writes(response):
    """Every write call, accepted or not, in the audit log with the token that made it."""
    caller = g.get("api_caller")
    if caller is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        new = {"method": request.method, "path": request.path, "status": response.status_code}
        with write_transaction():
            record_audit("api.write", "api_token", caller.token_id, caller.actor, new=new)
    return response


def _page() -> int:
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        abort(400, description="page is a whole number from 1.")
    return int(page)


def _paged(page: services.Page, key: str):
    return jsonify({key: page.items, "page": page.page, "pages": page.pages, "total": page.total})


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object (Content-Type: application/json).")
    return body


@bp.route("/openapi.json")
@allow(PUBLIC)
def openapi():
    return jsonify(openapi_document(current_app.config["BASE_URL"]))


@bp.route("/positions")
@needs("read")
def positions():
    return _paged(services.list_positions(_page()), "positions")


@bp.route("/positions/<int:position_id>/candidates")
@needs("read")
def candidates(position_id: int):
    return _paged(services.list_candidates(position_id, _page(), g.api_caller), "candidates")


@bp.route("/positions/<int:position_id>/candidates", methods=["POST"])
@needs("write")
def create_candidates(position_id: int):
    services.get_position(position_id)
    added = services.add_candidates(position_id, _json_body().get("candidates"), g.api_caller)
    return jsonify(candidates=added), 201


@bp.route("/candidates/<int:candidate_id>")
@needs("read")
def candidate(candidate_id: int):
    return jsonify(services.candidate_status(candidate_id, g.api_caller))


@bp.route("/candidates/<int:candidate_id>/invites", methods=["POST"])
@needs("write")
def create_candidate_invite(candidate_id: int):
    services.get_candidate(candidate_id)
    days = _json_body().get("days", 14)
    if not isinstance(days, int) or isinstance(days, bool):
        abort(400, description="days is a whole number (1 to 90).")
    try:
        assessment, token = create_invite(candidate_id, g.api_caller.actor, days)
    except InviteError as error:
        raise services.ApiError(str(error), 422) from None
    expires = assessment.expires_at.isoformat(timespec="seconds") + "Z"
    return jsonify(link=invite_link(token), expires_at=expires, candidate_id=candidate_id), 201


@bp.route("/candidates/<int:candidate_id>/scorecard.pdf")
@needs("read")
def scorecard_pdf(candidate_id: int):
    paper = paper_named(request.args.get("paper", "A4"))
    if paper is None:
        abort(400, description="paper is A4 or Letter.")
    try:
        card = build_scorecard(candidate_id, g.api_caller.viewer)
    except CandidateNotFound:
        abort(404, description=f"There is no candidate {candidate_id}.")
    except EvidenceSealed as sealed:
        abort(403, description=str(sealed))
    return pdf_response(card, paper)
