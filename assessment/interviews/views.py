"""My interviews and the interviewer's screen: rate, autosave, submit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..models import utcnow
from ..policy import ANY_ROLE, allow
from . import services
from .entries import (
    MalformedEntry,
    RatingInput,
    parse_version,
    rating_entry,
    recommendation_entry,
)
from .forms import make_interview_form, notes_name, value_name
from .queries import group_by_competency, my_interviews, own_interview_or_403, ratings_of
from .recommendation import KEY_EVIDENCE_MAX, RECOMMENDATION_ID, RECOMMENDATIONS
from .services import NOTES_MAX, IncompleteInterview, InterviewError

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


def _render_screen(interview_id: int, form=None, problems=(), conflicts=None, status=200):
    # Loaded afresh: a service's commit or rollback has expired what the view held.
    interview = own_interview_or_403(interview_id, current_user)
    ratings = ratings_of(interview.id)
    form = form or make_interview_form(interview, ratings)
    answered = sum(1 for r in ratings.values() if r.value is not None or r.not_covered)
    numbers = {item["id"]: n for n, item in enumerate(interview.items, 1)}
    page = render_template(
        "interviews/show.html",
        interview=interview,
        candidate=interview.candidate,
        position=interview.candidate.position,
        groups=group_by_competency(interview.items),
        numbers=numbers,
        form=form,
        ratings=ratings,
        problems=problems,
        problem_of=_joined(problems),
        conflicts=conflicts or {},
        answered=answered,
        value_name=value_name,
        notes_name=notes_name,
        recommendations=RECOMMENDATIONS,
        notes_max=NOTES_MAX,
        key_evidence_max=KEY_EVIDENCE_MAX,
    )
    return page, status


def _joined(problems) -> dict[str, str]:
    """Each question's problems in one line (the recommendation can have two)."""
    joined: dict[str, str] = {}
    for qid, text in problems:
        joined[qid] = f"{joined[qid]} {text}" if qid in joined else text
    return joined


@bp.route("/interviews/<int:interview_id>")
@allow(*ANY_ROLE)
def show(interview_id: int):
    """The screen; after a refused submit (?check=1) it lists what needs attention."""
    problems = ()
    if request.args.get("check"):
        interview = own_interview_or_403(interview_id, current_user)
        if interview.status != "submitted":
            problems = services.interview_problems(interview, ratings_of(interview.id))
    return _render_screen(interview_id, problems=problems)


def _entries_from(form, items) -> list[RatingInput]:
    """Every question's entry and the recommendation, each with the version the page saw."""
    versions = request.form

    def base(name: str) -> int | None:
        return parse_version(versions.get(f"version-{name}"))

    entries = [
        RatingInput(
            item["id"],
            form[value_name(item["id"])].data or "",
            form[notes_name(item["id"])].data or "",
            base(item["id"]),
        )
        for item in items
    ]
    recommendation = form.recommendation.data or ""
    evidence = form.key_evidence.data or ""
    entries.append(RatingInput(RECOMMENDATION_ID, recommendation, evidence, base("recommendation")))
    return entries


def _form_problems(form, items) -> list[tuple[str, str]]:
    """A refused form's field errors, as (question id, message) for the list at the top."""
    problems = []
    for item in items:
        for name in (value_name(item["id"]), notes_name(item["id"])):
            problems += [(item["id"], error) for error in form[name].errors]
    for name in ("recommendation", "key_evidence"):
        problems += [(RECOMMENDATION_ID, error) for error in form[name].errors]
    return problems


def _check_url(interview_id: int) -> str:
    return url_for("interviews.show", interview_id=interview_id, check=1) + "#problems"


@bp.route("/interviews/<int:interview_id>", methods=["POST"])
@allow(*ANY_ROLE)
def save_all(interview_id: int):
    """Without scripts: the whole form is saved (and submitted, if that button was used)."""
    interview = own_interview_or_403(interview_id, current_user)
    form = make_interview_form(interview, {}, formdata=request.form)
    if not form.validate():
        problems = _form_problems(form, interview.items)
        return _render_screen(interview_id, form, problems=problems, status=422)
    try:
        entries = _entries_from(form, interview.items)
        result = services.record_ratings(interview.id, current_user, entries, stale_wins=False)
        if result.stale:
            typed = {e.question_id: e for e in entries}
            conflicts = {s.question_id: typed[s.question_id] for s in result.stale}
            flash("Some entries were changed in another tab or device: see below.", "error")
            return _render_screen(interview_id, conflicts=conflicts, status=409)
        if request.form.get("action") == "submit":
            services.submit_interview(interview.id, current_user)
            flash("Interview submitted. The panel's results are open to you now.", "success")
            return redirect(url_for("interviews.show", interview_id=interview.id))
    except IncompleteInterview:
        return redirect(_check_url(interview.id), code=303)
    except InterviewError as error:
        flash(str(error), "error")
        return _render_screen(interview_id, form, status=error.status)
    flash("Saved.", "success")
    return redirect(url_for("interviews.show", interview_id=interview.id), code=303)


def _autosave(interview_id: int, question_id: str):
    """One entry, saved by the page's script as it is made; the answer carries what the
    server stored (its version, and anything it replaced unseen) and a fresh token."""
    own_interview_or_403(interview_id, current_user)
    try:
        if "value" not in request.form or "notes" not in request.form:
            raise MalformedEntry("A save carries a value and notes, even empty ones.")
        entry = RatingInput(
            question_id,
            request.form["value"],
            request.form["notes"],
            parse_version(request.form.get("base")),
        )
        result = services.record_ratings(interview_id, current_user, [entry])
    except InterviewError as error:
        return jsonify(error=str(error), csrf_token=generate_csrf()), error.status
    [stored] = result.stored
    replaced = stored.replaced
    return jsonify(
        stored=True,
        version=stored.version,
        replaced=None if replaced is None else {"value": replaced.value, "notes": replaced.notes},
        answered=result.answered,
        total=result.total,
        status=result.status,
        problem=services.entry_problem(entry),
        csrf_token=generate_csrf(),
    )


@bp.route("/interviews/<int:interview_id>/ratings/<question_id>", methods=["POST"])
@allow(*ANY_ROLE)
def save_one(interview_id: int, question_id: str):
    return _autosave(interview_id, question_id)


@bp.route("/interviews/<int:interview_id>/recommendation", methods=["POST"])
@allow(*ANY_ROLE)
def save_recommendation(interview_id: int):
    return _autosave(interview_id, RECOMMENDATION_ID)


@bp.route("/interviews/<int:interview_id>/entries")
@allow(*ANY_ROLE)
def entries(interview_id: int):
    """What is stored now, with versions: an open page compares it with what it shows, so
    an edit made in another tab or device is shown there too (the interviewer's own only)."""
    interview = own_interview_or_403(interview_id, current_user)
    stored = {qid: rating_entry(r) for qid, r in ratings_of(interview.id).items()}
    stored[RECOMMENDATION_ID] = recommendation_entry(interview)
    return jsonify(
        status=interview.status,
        entries={
            qid: {"value": e.value, "notes": e.notes, "version": e.version}
            for qid, e in stored.items()
        },
    )


@bp.route("/interviews/token")
@allow(*ANY_ROLE)
def fresh_token():
    """A fresh CSRF token for a page open longer than a token lives (read by our own script)."""
    return jsonify(csrf_token=generate_csrf())


@bp.route("/interviews/<int:interview_id>/submit", methods=["POST"])
@allow(*ANY_ROLE)
def submit(interview_id: int):
    """Submit; a refusal redirects (303) to the screen listing every problem, so Back and
    reload never post again."""
    interview = own_interview_or_403(interview_id, current_user)
    try:
        services.submit_interview(interview.id, current_user)
    except IncompleteInterview:
        return redirect(_check_url(interview.id), code=303)
    except InterviewError as error:
        abort(error.status, description=str(error))
    flash("Interview submitted. The panel's results are open to you now.", "success")
    return redirect(url_for("interviews.show", interview_id=interview.id), code=303)


from . import debrief_views  # noqa: E402,F401  (its routes join this blueprint)
