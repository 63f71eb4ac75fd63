"""The candidate's pages, reached through an invite link: /a/<token>."""

from __future__ import annotations

import hashlib

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from ..errors import wants_json
from ..extensions import csrf, limiter
from ..fairness.selfid import has_answered
from ..models import SelfAssessment
from ..policy import PUBLIC, allow
from ..security import accepts_json
from .answers import (
    AnswerError,
    AssessmentLocked,
    ConsentMissing,
    IncompleteAssessment,
    StaleAnswer,
    answers_of,
    position_title,
    read_shown,
    record_answer,
    record_consent,
    record_seen,
    sign_shown,
    submit_assessment,
    unanswered,
)
from .forms import AGREE_LABELS, answer_from, chosen, public_item, snippet
from .invites import InviteInvalid, estimated_minutes, find_by_token

bp = Blueprint("selfassess", __name__)

# No CSRF tokens on these pages. The candidate has no login, so there is no session for a
# forged request to ride on: the secret token in the URL is the only credential, and a
# forged request would have to carry it, so whoever can forge one already holds the link.
# A session-bound CSRF token would only lose answers when its cookie expired.
csrf.exempt(bp)
# Anti-automation on the link (ASVS 6.1.1): generous for a person, one item every few
# seconds, and far below what guessing would need (the token has 256 bits anyway).
limiter.limit("300 per minute")(bp)


@bp.after_request
def keep_the_link_private(response):
    """The token is in the URL: never send it on as a Referer, never index the page."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.errorhandler(InviteInvalid)
def invalid_link(error: InviteInvalid):
    if wants_json():
        return jsonify(error="invalid link", message=_GONE[error.reason]), error.status
    return render_template("selfassess/gone.html", reason=error.reason), error.status


_GONE = {
    "unknown": "This link does not lead to a self-assessment.",
    "expired": "This link has expired.",
    "revoked": "This link is no longer active.",
    "no_item": "There is no such item in your self-assessment.",
}


def _not_found():
    if wants_json():
        return jsonify(error="not found", message=_GONE["no_item"]), 404
    return render_template("selfassess/gone.html", reason="no_item"), 404


def _resume_url(token: str, assessment: SelfAssessment, missing: list[int]) -> str:
    """Where the link resumes: the item page last shown, else the first unanswered item,
    else the review."""
    last = assessment.last_item
    if last is not None and 1 <= last <= len(assessment.items):
        return url_for("selfassess.show_item", token=token, item=last)
    if missing:
        return url_for("selfassess.show_item", token=token, item=missing[0])
    return url_for("selfassess.review", token=token)


# A link whose answers were sent is used up (HARDENING F): later visits get the same
# thank-you page with 410 Gone, so nothing can be changed and nothing looks broken.
USED = 410


def _thanks(assessment: SelfAssessment, status: int = 200, note: str | None = None, token=None):
    # Once sent (never before), the optional self-identification is offered (fairness/).
    offer = token and assessment.status == "submitted" and not has_answered(assessment.candidate_id)
    page = render_template(
        "selfassess/thanks.html",
        position_title=position_title(assessment),
        submitted_at=assessment.submitted_at,  # shown in the browser's zone
        note=note,
        about_you_url=url_for("selfid.about_you", token=token) if offer else None,
    )
    return page, status


def _welcome(assessment: SelfAssessment, token: str, error: str | None = None, status=200):
    missing = unanswered(assessment.items, answers_of(assessment.id))
    page = render_template(
        "selfassess/welcome.html",
        token=token,
        position_title=position_title(assessment),
        minutes=estimated_minutes(assessment.items),
        expires_at=assessment.expires_at,
        total=len(assessment.items),
        answered=len(assessment.items) - len(missing),
        consented=assessment.consented_at is not None,
        resume_url=_resume_url(token, assessment, missing),
        error=error,
    )
    return page, status


@bp.route("/a/<token>")
@allow(PUBLIC)
def welcome(token: str):
    assessment = find_by_token(token)
    if assessment.status == "submitted":
        return _thanks(assessment, status=USED, token=token)
    return _welcome(assessment, token)


@bp.route("/a/<token>/start", methods=["POST"])
@allow(PUBLIC)
def start(token: str):
    assessment = find_by_token(token)
    if assessment.status == "submitted":
        return redirect(url_for("selfassess.welcome", token=token))
    if assessment.consented_at is None and request.form.get("consent") != "yes":
        message = "Please tick the box to say you agree, then press Start."
        return _welcome(assessment, token, error=message, status=422)
    record_consent(assessment.id)
    missing = unanswered(assessment.items, answers_of(assessment.id))
    return redirect(_resume_url(token, find_by_token(token), missing))


def _item_page(assessment, token, number, answers, entry=None, error=None, status=200):
    snapshot = assessment.items[number - 1]
    stored = answers.get(snapshot["id"])
    kept = entry is not None and read_shown(entry.shown, assessment.id, number) is not None
    page = render_template(
        "selfassess/item.html",
        token=token,
        position_title=position_title(assessment),
        number=number,
        total=len(assessment.items),
        answered=len(assessment.items) - len(unanswered(assessment.items, answers)),
        item=public_item(snapshot),
        chosen=chosen(entry if entry is not None else stored),
        agree_labels=AGREE_LABELS,
        # After a refused post the page keeps counting from when it was first shown.
        shown=entry.shown if kept else sign_shown(assessment.id, number, stored),
        ms_before=(entry.ms_page or 0) if entry is not None else 0,
        ms_first=entry.ms_first if entry is not None else None,
        version=stored.version if stored is not None else 0,
        # Names this item's unsaved pick in the browser's storage without the link's token.
        draft_id=hashlib.sha256(f"{token}:{number}".encode()).hexdigest()[:16],
        error=error,
    )
    return page, status


@bp.route("/a/<token>/item/<int:item>")
@allow(PUBLIC)
def show_item(token: str, item: int):
    assessment = find_by_token(token)
    if assessment.status == "submitted":
        return _thanks(assessment, status=USED)
    if assessment.consented_at is None:
        return redirect(url_for("selfassess.welcome", token=token))
    if not 1 <= item <= len(assessment.items):
        return _not_found()
    record_seen(assessment.id, item)
    return _item_page(assessment, token, item, answers_of(assessment.id))


def _after_save(token: str, item: int, total: int, go: str):
    if go == "back":
        if item == 1:
            return redirect(url_for("selfassess.welcome", token=token))
        return redirect(url_for("selfassess.show_item", token=token, item=item - 1))
    if go == "review" or item == total:
        return redirect(url_for("selfassess.review", token=token))
    return redirect(url_for("selfassess.show_item", token=token, item=item + 1))


@bp.route("/a/<token>/item/<int:item>", methods=["POST"])
@allow(PUBLIC)
@accepts_json  # the page's script saves each pick as JSON
def save_item(token: str, item: int):
    """Next and Back post the page; the page's script also saves each pick as it is made."""
    assessment = find_by_token(token)
    if not 1 <= item <= len(assessment.items):
        return _not_found()
    fetch = wants_json()
    go = request.form.get("go", "next")
    # Next needs a whole answer (or none); Back, the overview and the script keep a part.
    complete = not fetch and go not in ("back", "review")
    entry = None
    try:
        entry = answer_from(request)
        saved = record_answer(assessment.id, item, entry, complete=complete, stale_wins=fetch)
    except (AssessmentLocked, ConsentMissing) as error:
        if fetch:
            where = url_for("selfassess.welcome", token=token)
            return jsonify(error="not saved", message=str(error), url=where), error.status
        if isinstance(error, ConsentMissing):
            return redirect(url_for("selfassess.welcome", token=token))
        return _thanks(assessment, status=error.status, note=str(error))
    except AnswerError as error:
        if fetch:
            return jsonify(error="not saved", message=str(error)), error.status
        answers = answers_of(assessment.id)
        kept = None if isinstance(error, StaleAnswer) else entry  # show what is stored
        return _item_page(assessment, token, item, answers, kept, str(error), error.status)
    if fetch:
        return _saved_json(assessment, saved)
    return _after_save(token, item, len(assessment.items), go)


def _saved_json(assessment: SelfAssessment, saved):
    """The script's answer: stored (with the version the server gave it, and what it
    replaced unseen), or not stored at all."""
    if saved is None:
        return jsonify(error="not saved", message="Choose an answer first."), 422
    missing = unanswered(assessment.items, answers_of(assessment.id))
    total = len(assessment.items)
    return jsonify(
        saved=True,
        version=saved.version,
        replaced=saved.replaced,
        answered=total - len(missing),
        total=total,
    )


def _review(assessment: SelfAssessment, token: str, error: str | None = None, status=200):
    missing = unanswered(assessment.items, answers_of(assessment.id))
    page = render_template(
        "selfassess/review.html",
        token=token,
        position_title=position_title(assessment),
        total=len(assessment.items),
        answered=len(assessment.items) - len(missing),
        missing=[(n, snippet(assessment.items[n - 1])) for n in missing],
        error=error,
    )
    return page, status


@bp.route("/a/<token>/review")
@allow(PUBLIC)
def review(token: str):
    assessment = find_by_token(token)
    if assessment.status == "submitted":
        return _thanks(assessment, status=USED)
    if assessment.consented_at is None:
        return redirect(url_for("selfassess.welcome", token=token))
    error = None
    if request.args.get("refused"):  # a refused send comes here by a redirect
        missing = len(unanswered(assessment.items, answers_of(assessment.id)))
        if missing:
            error = f"Not sent yet: {missing} item(s) still need an answer. They are listed below."
    return _review(assessment, token, error=error)


@bp.route("/a/<token>/submit", methods=["POST"])
@allow(PUBLIC)
def submit(token: str):
    """Send the answers: once every item is answered; a second send changes nothing."""
    assessment = find_by_token(token)
    try:
        submit_assessment(assessment.id)
    except ConsentMissing:
        return redirect(url_for("selfassess.welcome", token=token))
    except IncompleteAssessment:
        # Post-redirect-get: Back and reload never send the form again.
        return redirect(url_for("selfassess.review", token=token, refused=1), code=303)
    return _thanks(
        find_by_token(token), token=token
    )  # the send's answer: 200, reloading is harmless
