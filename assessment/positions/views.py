"""Positions, candidates and panels (HR and admins)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..account.reader import reader_zone
from ..blind import shown_name
from ..comparison.args import BadListArgs
from ..comparison.listing import list_context, listed_position
from ..errors import render_error
from ..policy import allow
from ..question_bank import current_bank
from . import closing, panels, services
from .csv_import import CsvError, size_text, too_large_message
from .forms import (
    ButtonForm,
    CandidateForm,
    ImportForm,
    RenameForm,
    make_new_position_form,
    make_panel_form,
    make_setup_form,
    panel_picks,
    pick_name,
    posted_question_ids,
    question_name,
    setup_weights,
    weight_name,
)
from .panel_mail import notify_panel
from .services import PositionError, SetupInvalid

bp = Blueprint("positions", __name__)


def _page_arg() -> int:
    return request.args.get("page", 1, type=int)


def _position_or_404(position_id: int):
    position = services.get_position(position_id)
    if position is None:
        abort(404)
    return position


@bp.route("/positions")
@allow("admin", "hr")
def index():
    """Open positions; ?closed=1 the closed ones."""
    closed = request.args.get("closed") == "1"
    page = services.list_positions(_page_arg(), closed)
    return render_template(
        "positions/index.html",
        page=page,
        kits=current_bank().kits,
        closed=closed,
        closed_count=None if closed else services.count_closed(),
    )


@bp.route("/positions/new", methods=["GET", "POST"])
@allow("admin", "hr")
def new():
    bank = current_bank()
    form = make_new_position_form(bank)
    if form.validate_on_submit():
        try:
            position = services.create_position(form.title.data, form.kit.data, bank, current_user)
        except PositionError as error:
            form[error.field or "title"].errors.append(str(error))
        else:
            flash(
                f"Position “{position.title}” created. Check its weights and questions.", "success"
            )
            return redirect(url_for("positions.setup", position_id=position.id))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template("positions/new.html", form=form, kits=bank.kits), status


@bp.route("/positions/<int:position_id>/setup", methods=["GET", "POST"])
@allow("admin", "hr")
def setup(position_id: int):
    bank, position = current_bank(), _position_or_404(position_id)
    locked = services.has_interviews(position_id)
    choices = services.question_choices(position, bank)
    form = make_setup_form(bank, position, choices, locked)
    problems: dict[str, list[str]] = {}
    if form.validate_on_submit():
        ids = posted_question_ids(request.form, choices)
        try:
            saved = services.save_position_setup(
                position_id, setup_weights(form, bank), ids, bank, current_user
            )
        except SetupInvalid as invalid:
            problems = invalid.errors
        except PositionError as error:
            problems = {error.field or "questions": [str(error)]}
        else:
            flash("Setup saved.", "success")
            thin = services.single_question_competencies(saved.weights, saved.questions)
            if thin:
                names = ", ".join(bank.competency_names.get(c, c) for c in thin)
                warning = services.single_question_warning(services.has_interviews(position_id))
                flash(f"{names}: {warning}", "info")
            return redirect(url_for("positions.show", position_id=position_id))
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    page = render_template(
        "positions/setup.html",
        position=position,
        form=form,
        bank=bank,
        choices=choices,
        locked=locked,
        problems=problems,
        thin=services.single_question_competencies(position.weights, position.questions),
        thin_warning=services.single_question_warning(locked),
        weight_name=weight_name,
        question_name=question_name,
    )
    return page, status


def _row_links() -> dict[str, str]:
    """Each line's links as "%d" patterns: one url_for per page, not two per line."""
    sentinel = str(987654321)
    return {
        name: url_for(endpoint, candidate_id=sentinel).replace("%", "%%").replace(sentinel, "%d")
        for name, endpoint in (("candidate", "candidates.show"), ("panel", "positions.panel"))
    }


@bp.route("/positions/<int:position_id>")
@allow("admin", "hr")
def show(position_id: int):
    """HR's comparison list of the position's candidates."""
    viewer = current_user._get_current_object()
    position, sealed = listed_position(position_id, viewer)
    if position is None:
        abort(404)
    base = url_for("positions.show", position_id=position_id)
    try:
        context = list_context(position, sealed, viewer, request.args, base, _row_links())
    except BadListArgs as error:
        abort(400, description=str(error))
    return render_template("positions/show.html", position=position, **context)


def _render_add(position_id: int, status: int = 200, **forms):
    """The page with the two ways to add candidates, its forms as typed, or an import's
    report. (Not on the position's page: its list is viewed far more often.)"""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return render_template(
        "positions/add_candidates.html",
        position=_position_or_404(position_id),
        candidate_form=forms.get("candidate_form") or CandidateForm(formdata=None),
        import_form=forms.get("import_form") or ImportForm(formdata=None),
        report=forms.get("report"),
        max_bytes=limit,
        max_size=size_text(limit),
        too_large=too_large_message(limit),
    ), status


@bp.route("/positions/<int:position_id>/candidates", methods=["GET", "POST"])
@allow("admin", "hr")
def add_candidate(position_id: int):
    _position_or_404(position_id)
    form = CandidateForm()
    if form.validate_on_submit():
        try:
            candidate = services.add_candidate(
                position_id, form.name.data, form.email.data, form.external_id.data, current_user
            )
        except PositionError as error:
            form[error.field or "email"].errors.append(str(error))
        else:
            flash(f"{candidate.name} added.", "success")
            return redirect(url_for("positions.show", position_id=position_id))
    if not form.is_submitted():  # GET, or HEAD asking as GET does
        return _render_add(position_id)
    return _render_add(position_id, 422, candidate_form=form)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A file over the size limit: back on the page it came from, saying the limit."""
    if request.endpoint != "positions.import_candidates":
        return render_error(error)
    form = ImportForm(formdata=None)
    form.file.errors = [too_large_message(current_app.config["MAX_CONTENT_LENGTH"])]
    return _render_add(request.view_args["position_id"], 413, import_form=form)


@bp.route("/positions/<int:position_id>/candidates/import", methods=["POST"])
@allow("admin", "hr")
def import_candidates(position_id: int):
    _position_or_404(position_id)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            report = services.import_candidates(position_id, form.file.data.read(), current_user)
        except (CsvError, PositionError) as error:
            form.file.errors.append(str(error))
        else:
            status = 422 if report.problems and not report.added else 200
            return _render_add(position_id, status, report=report)
    return _render_add(position_id, 422, import_form=form)


def _panel_or_404(candidate_id: int):
    found = panels.panel_of(candidate_id)
    if found is None:
        abort(404)
    return found


@bp.route("/candidates/<int:candidate_id>/panel", methods=["GET", "POST"])
@allow("admin", "hr")
def panel(candidate_id: int):
    candidate, interviews, people = _panel_or_404(candidate_id)
    form = make_panel_form(people, interviews, reader_zone())
    problem = None
    if form.validate_on_submit():
        try:
            change = panels.assign_panel(
                candidate_id, panel_picks(form, people), current_user, form.confirm_removal.data
            )
        except PositionError as error:
            problem = str(error)
        else:
            flash(_panel_message(change), "success")
            for notice, why in notify_panel(list(change.notices)):
                flash(f"The e-mail to {notice.name} could not be sent: {why}", "error")
            return redirect(url_for("positions.panel", candidate_id=candidate_id))
        # The failed save rolled back, which expired what was loaded: load it again.
        candidate, interviews, people = _panel_or_404(candidate_id)
        people = [u for u in people if pick_name(u.id) in form]
    status = 422 if form.is_submitted() else 200  # HEAD asks as GET does
    return render_template(
        "positions/panel.html",
        candidate=candidate,
        shown=shown_name(candidate, candidate.position, current_user),  # blind: the code
        interviews={i.interviewer_id: i for i in interviews},
        people=people,
        form=form,
        problem=problem,
    ), status


def _panel_message(change: panels.PanelChange) -> str:
    parts = []
    if change.added:
        parts.append("added " + ", ".join(change.added))
    if change.removed:
        parts.append("removed " + ", ".join(change.removed))
    return ("Panel saved: " + "; ".join(parts) + ".") if parts else "Panel saved."


def _render_settings(position, form=None, status: int = 200):
    return render_template(
        "positions/settings.html",
        position=position,
        form=form or RenameForm(formdata=None, title=position.title),
        button=ButtonForm(formdata=None),
    ), status


@bp.route("/positions/<int:position_id>/settings", methods=["GET", "POST"])
@allow("admin", "hr")
def settings(position_id: int):
    """Rename the position; close or reopen it."""
    position = _position_or_404(position_id)
    form = RenameForm()
    if not form.validate_on_submit():
        return _render_settings(
            position, form if form.is_submitted() else None, 422 if form.is_submitted() else 200
        )
    try:
        closing.rename_position(position_id, form.title.data, current_user)
    except PositionError as error:
        form.title.errors.append(str(error))
        return _render_settings(_position_or_404(position_id), form, 422)
    flash("Position renamed.", "success")
    return redirect(url_for("positions.show", position_id=position_id))


@bp.route("/positions/<int:position_id>/close", methods=["POST"])
@allow("admin", "hr")
def close(position_id: int):
    _position_or_404(position_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if closing.close_position(position_id, current_user):
        flash(
            "Position closed: it is read-only and out of the lists. Exports still work.", "success"
        )
    return redirect(url_for("positions.show", position_id=position_id))


@bp.route("/positions/<int:position_id>/reopen", methods=["POST"])
@allow("admin", "hr")
def reopen(position_id: int):
    _position_or_404(position_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if closing.reopen_position(position_id, current_user):
        flash("Position reopened.", "success")
    return redirect(url_for("positions.show", position_id=position_id))
