"""The debrief: the panel's ratings and recommendations side by side; HR reopens, an
interviewer revises a rating with a reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Interview
from ..policy import ANY_ROLE, allow
from ..scorecard.build import build_scorecard, interviewer_key
from ..scorecard.model import CandidateNotFound, EvidenceSealed
from . import services
from .forms import ReasonForm, ReviseForm
from .queries import by_disagreement, own_interview_or_403
from .services import InterviewError, RatingInput
from .views import bp


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
