"""One error renderer for every error status, in the site's layout."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException, InternalServerError, UnprocessableEntity

from .extensions import db
from .scoring.stats import NotANumber

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    401: ("Signed out", "Your session has ended. Sign in again to continue."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing at this address. It may have been moved or removed."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: ("Conflict", "This changed in the meantime. Reload the page to see the current state."),
    410: ("Gone", "This link is no longer valid."),
    413: ("Too large", "What you sent is larger than this app accepts."),
    415: ("Not accepted", "This address does not accept that kind of content."),
    422: ("Cannot be computed", "What this page rests on is not a number."),
    429: ("Slow down", "Too many attempts. Please wait a minute and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
}


def wants_json() -> bool:
    """A page's script (fetch) asked, not a person: answer in JSON it can act on."""
    return request.headers.get("X-Requested-With") == "fetch" or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        message = "The form had expired or was sent from elsewhere. Reload it and try again."
    elif (
        code in (400, 403, 404, 409, 410, 415, 422) and error.description != type(error).description
    ):
        message = error.description  # a view's own explanation (abort(403, description=…))
    if code == 500:
        # Whatever the failed request half-wrote must not leak into the next one.
        db.session.rollback()
    if request_ctx.url_adapter is None:
        # The Host was refused (TRUSTED_HOSTS): the site's layout needs links, and links
        # need a host, so this answer is plain text.
        return Response(f"{title}\n\n{message}\n", code, mimetype="text/plain")
    if wants_json():
        body = {"error": title, "message": message}
        if isinstance(error, CSRFError):
            # Same-origin scripts only can read this, so handing a fresh token to the
            # page lets a long interview keep saving after its token has expired.
            body["csrf_token"] = generate_csrf()
        return jsonify(body), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(NotANumber)
    def not_a_number(error: NotANumber):
        """A NaN that reached scoring (say, typed into the database): a clear refusal with
        what it was, never a band of (100, 100) or a 500."""
        app.logger.warning("refused to score: %s", error)
        db.session.rollback()
        message = (
            f"These scores cannot be computed: {error}. No score is shown from it; an admin "
            "can correct the position's weights, then run `flask rebuild-summaries`."
        )
        return render_error(UnprocessableEntity(description=message))

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(InternalServerError())
