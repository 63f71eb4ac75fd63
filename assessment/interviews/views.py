"""My interviews and the interviewer's screen: rate, autosave, submit; HR reopens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..converters import parse_int
from ..extensions import db
from ..models import Interview, utcnow
from ..policy import ANY_ROLE, allow
from ..scorecard.build import build_scorecard, interviewer_key
from ..scorecard.model import CandidateNotFound, EvidenceSealed
from . import services
from .forms import ReasonForm, ReviseForm, make_interview_form, notes_name, value_name
from .queries import (
    by_disagreement,
    group_by_competency,
    my_interviews,
    own_interview_or_403,
    ratings_of,
)
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
    edited_ms = parse_int(request.form.get("edited_ms"), 0, 2**53)  # else the server's time
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


@bp.route("/interviews/token")
@allow(*ANY_ROLE)
def fresh_token():
    """A fresh CSRF token for a page open longer than a token lives (read by our own script)."""
    return jsonify(csrf_token=generate_csrf())


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
    """HR reopens a submitted interview with a reason; the old ratings go to the audit log."""
    candidate_id = db.session.scalar(
        db.select(Interview.candidate_id).where(Interview.id == interview_id)
    )
    if candidate_id is None:
        abort(404)
    form = ReasonForm()
    if not form.validate():
        flash("Not reopened: " + "; ".join(form.reason.errors or ["the form expired"]), "error")
        return debrief(candidate_id), 422
    try:
        services.reopen_interview(interview_id, current_user, form.reason.data)
    except services.NotYours as error:  # sealed for this person: so is the debrief
        abort(403, description=str(error))
    except InterviewError as error:
        flash(f"Not reopened: {error}", "error")
        return debrief(candidate_id), error.status
    flash("Interview reopened: the interviewer can change it and submit again.", "success")
    return redirect(url_for("interviews.debrief", candidate_id=candidate_id))


@bp.route("/candidates/<int:candidate_id>/debrief")
@allow(*ANY_ROLE)
def debrief(candidate_id: int):
    """The panel's ratings side by side, the competencies they disagreed on most first."""
    scorecard = _scorecard_or_abort(candidate_id)
    return render_template(
        "interviews/debrief.html",
        card=scorecard,
        blocks=by_disagreement(scorecard.competencies),
        ready=all(i.submitted for i in scorecard.interviews) and bool(scorecard.interviews),
        me=interviewer_key(current_user.id),
        reason_form=ReasonForm(),
    )


def _scorecard_or_abort(candidate_id: int):
    try:
        return build_scorecard(candidate_id, current_user)
    except CandidateNotFound:
        abort(404)
    except EvidenceSealed as error:
        abort(403, description=str(error))


@bp.route("/interviews/<int:interview_id>/ratings/<question_id>/revise", methods=["POST"])
@allow(*ANY_ROLE)
def revise(interview_id: int, question_id: str):
    """After the debrief an interviewer may change their rating, with a reason."""
    interview = own_interview_or_403(interview_id, current_user)
    candidate_id = interview.candidate_id
    form = ReviseForm()
    if not form.validate():  # the debrief again, with why, and nothing changed
        errors = [e for errs in form.errors.values() for e in errs]
        flash("Not changed: " + "; ".join(errors), "error")
        return debrief(candidate_id), 422
    entry = RatingInput(question_id, form.value.data, form.notes.data or "")
    try:
        services.revise_rating(interview_id, current_user, entry, form.reason.data)
    except InterviewError as error:
        flash(f"Not changed: {error}", "error")
        return debrief(candidate_id), error.status
    flash("Rating changed; the reason is in the audit log.", "success")
    return redirect(url_for("interviews.debrief", candidate_id=candidate_id) + f"#r-{question_id}")
