"""Batch exports of a position's scorecards (HR and admins): start, follow, cancel, download."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user

from ..errors import wants_json
from ..extensions import db
from ..policy import allow
from ..positions.services import get_position
from . import job_files, job_life, jobs
from .export import MIMETYPES, candidate_ids_for
from .export_forms import ExportForm
from .files import file_slug
from .viewers import ExportError

bp = Blueprint("exports", __name__)


NOT_YOURS = (
    "This export was made by someone else. An export can hold ratings that are still "
    "sealed for you, so only the person who asked for it may open it: start your own."
)


def _position_or_404(position_id: int):
    position = get_position(position_id)
    if position is None:
        abort(404)
    return position


def _job_or_404(position_id: int, item: int):
    """The job, if it belongs to this position (else 404) and to the viewer (else 403)."""
    job = jobs.get_export(item)
    if job is None or job.position_id != position_id:
        abort(404)
    if job.created_by_id != current_user.id:
        abort(403, description=NOT_YOURS)
    return job


def _render_index(position, form: ExportForm, status: int = 200, problem: str | None = None):
    job_life.mark_lost_exports()
    return render_template(
        "exports/index.html",
        position=position,
        form=form,
        problem=problem,
        exports=jobs.recent_exports(position.id, current_user),
    ), status


@bp.route("/positions/<int:position_id>/exports", methods=["GET", "POST"])
@allow("admin", "hr")
def index(position_id: int):
    position = _position_or_404(position_id)
    form = ExportForm()
    if not form.validate_on_submit():
        return _render_index(position, form, 422 if form.is_submitted() else 200)
    if form.selected() is None and not form.confirm_all.data:
        # Every candidate: say how many and ask first (a big position takes a while).
        count = len(candidate_ids_for(position_id))
        return render_template("exports/confirm.html", position=position, form=form, count=count)
    try:
        job = jobs.start_export(
            position_id, form.kind.data, form.selected(), form.paper.data, current_user
        )
    except ExportError as error:
        return _render_index(position, form, 422, problem=str(error))
    except jobs.ExportBusy as busy:
        flash(str(busy), "info")
        job = busy.job
    except jobs.ExportRefused as refused:
        abort(refused.status, description=str(refused))
    return redirect(url_for("exports.show", position_id=position_id, item=job.id), 303)


@bp.route("/positions/<int:position_id>/exports/<int:item>")
@allow("admin", "hr")
def show(position_id: int, item: int):
    position = _position_or_404(position_id)
    if job_life.mark_lost_exports():
        db.session.expire_all()  # the job may be one just marked
    job = _job_or_404(position_id, item)
    ready = job_files.file_size(job) is not None
    download = url_for("exports.download", position_id=position_id, item=item) if ready else None
    left = job_life.seconds_left(job)
    if wants_json():
        return jsonify(
            status=job.status,
            done=job.done,
            total=job.total,
            skipped=job.skipped,
            seconds_left=None if left is None else round(left),
            time_left=job_life.time_left_text(left),
            error=job.error,
            download=download,
        )
    return render_template(
        "exports/show.html",
        position=position,
        job=job,
        download=download,
        time_left=job_life.time_left_text(left),
    )


@bp.route("/positions/<int:position_id>/exports/<int:item>/cancel", methods=["POST"])
@allow("admin", "hr")
def cancel(position_id: int, item: int):
    _position_or_404(position_id)
    job = _job_or_404(position_id, item)
    if job_life.cancel_export(job.id, current_user):
        flash("Export cancelled. You can start another one now.", "info")
    else:
        flash("This export had already ended.", "info")
    return redirect(url_for("exports.show", position_id=position_id, item=item), 303)


@bp.route("/positions/<int:position_id>/exports/<int:item>/download")
@allow("admin", "hr")
def download(position_id: int, item: int):
    position = _position_or_404(position_id)
    job = _job_or_404(position_id, item)
    data = job_files.file_bytes(job)
    if data is None:
        abort(404, description="This export has no file (yet): see its page for where it stands.")
    name = f"scorecards-{file_slug(position.title, 'position')}-{job.id}.{job.kind}"
    return send_file(
        io.BytesIO(data), mimetype=MIMETYPES[job.kind], as_attachment=True, download_name=name
    )
