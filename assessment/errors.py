"""One error renderer for every error status, in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing at this address. It may have been moved or removed."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: ("Conflict", "This changed in the meantime. Reload the page to see the current state."),
    410: ("Gone", "This link is no longer valid."),
    413: ("Too large", "What you sent is larger than this app accepts."),
    429: ("Slow down", "Too many attempts. Please wait a minute and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
}


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        message = "The form had expired or was sent from elsewhere. Reload it and try again."
    if code == 500:
        # Whatever the failed request half-wrote must not leak into the next one.
        db.session.rollback()
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(InternalServerError())
