"""My interviews and the interviewer's screen: rate, autosave, submit; HR reopens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..models import utcnow
from ..policy import ANY_ROLE, allow
from . import services
from .forms import ReasonForm, make_interview_form, notes_name, value_name
from .queries import group_by_competency, my_interviews, own_interview_or_403, ratings_of
from .services import IncompleteInterview, InterviewError, RatingInput

bp = Blueprint("interviews", __name__)


@bp.route("/interviews")
@allow(*ANY_ROLE)
def mine():
    from ..reminders import is_overdue

    return render_template(
        "interviews/mine.html",
        interviews=my_interviews(current_user),
        is_overdue=is_overdue,
        now=utcnow(),
    )


def _render_screen(interview_id: int, form=None, problems=(), status=200):
    # Loaded afresh: a service's commit or rollback has expired what the view held.
    interview = own_interview_or_403(interview_id, current_user)
    ratings = ratings_of(interview.id)
    form = form or make_interview_form(interview.items, ratings)
    answered = sum(1 for r in ratings.values() if r.value is not None or r.not_covered)
    page = render_template(
        "interviews/show.html",
        interview=interview,
        candidate=interview.candidate,
        position=interview.candidate.position,
        groups=group_by_competency(interview.items),
        form=form,
        ratings=ratings,
        problems=dict(problems),
        answered=answered,
        value_name=value_name,
        notes_name=notes_name,
    )
    return page, status


@bp.route("/interviews/<int:interview_id>")
@allow(*ANY_ROLE)
def show(interview_id: int):
    return _render_screen(interview_id)


def _entries_from(form, items) -> list[RatingInput]:
    return [
        RatingInput(
            item["id"],
            form[value_name(item["id"])].data or "",
            form[notes_name(item["id"])].data or "",
        )
        for item in items
    ]


@bp.route("/interviews/<int:interview_id>", methods=["POST"])
@allow(*ANY_ROLE)
def save_all(interview_id: int):
    """Without scripts: the whole form is saved (and submitted, if that button was used)."""
    interview = own_interview_or_403(interview_id, current_user)
    form = make_interview_form(interview.items, {}, formdata=request.form)
    if not form.validate():
        return _render_screen(interview_id, form, status=422)
    try:
        services.record_ratings(interview.id, current_user, _entries_from(form, interview.items))
        if request.form.get("action") == "submit":
            services.submit_interview(interview.id, current_user)
            flash("Interview submitted. The panel's results are open to you now.", "success")
            return redirect(url_for("interviews.show", interview_id=interview.id))
    except IncompleteInterview as error:
        flash("Not submitted yet: some questions need attention (marked below).", "error")
        return _render_screen(interview_id, form, problems=error.problems, status=422)
    except InterviewError as error:
        flash(str(error), "error")
        return _render_screen(interview_id, form, status=error.status)
    flash("Saved.", "success")
    return redirect(url_for("interviews.show", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/ratings/<question_id>", methods=["POST"])
@allow(*ANY_ROLE)
def save_one(interview_id: int, question_id: str):
    """The page's script saves each entry as it is made; the answer carries a fresh token."""
    own_interview_or_403(interview_id, current_user)
    try:
        edited_ms = int(request.form.get("edited_ms", ""))
    except ValueError:
        edited_ms = None
    entry = RatingInput(
        question_id, request.form.get("value", ""), request.form.get("notes", ""), edited_ms
    )
    try:
        result = services.record_ratings(interview_id, current_user, [entry])
    except InterviewError as error:
        return jsonify(error=str(error), csrf_token=generate_csrf()), error.status
    value, not_covered = services.parse_value(entry.value)
    return jsonify(
        applied=result.applied,
        answered=result.answered,
        total=result.total,
        status=result.status,
        problem=services.rating_problem(value, not_covered, entry.notes)
        if (value or not_covered)
        else None,
        csrf_token=generate_csrf(),
    )


@bp.route("/interviews/<int:interview_id>/submit", methods=["POST"])
@allow(*ANY_ROLE)
def submit(interview_id: int):
    interview = own_interview_or_403(interview_id, current_user)
    try:
        services.submit_interview(interview.id, current_user)
    except IncompleteInterview as error:
        flash("Not submitted yet: some questions need attention (marked below).", "error")
        return _render_screen(interview_id, problems=error.problems, status=422)
    except InterviewError as error:
        abort(error.status, description=str(error))
    flash("Interview submitted. The panel's results are open to you now.", "success")
    return redirect(url_for("interviews.show", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/reopen", methods=["POST"])
@allow("admin", "hr")
def reopen(interview_id: int):
    form = ReasonForm()
    back = request.form.get("back") or url_for("interviews.mine")
    if not form.validate():
        flash("Not reopened: " + "; ".join(form.reason.errors or ["the form had expired"]), "error")
        return redirect(back if back.startswith("/") else url_for("interviews.mine"))
    try:
        services.reopen_interview(interview_id, current_user, form.reason.data)
    except InterviewError as error:
        abort(error.status, description=str(error))
    flash("Interview reopened; the interviewer can change it again.", "success")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


@bp.route("/candidates/<int:candidate_id>/debrief")
@allow(*ANY_ROLE)
def debrief(candidate_id: int):
    abort(404)
