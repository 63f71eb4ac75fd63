"""HR review (HR and admins): decisions, revealing or hiding names, candidates side by side."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..blind import is_blind
from ..candidates.views import render_candidate, viewer_card
from ..policy import allow
from ..positions.services import get_position
from ..scorecard import CandidateNotFound, EvidenceSealed
from . import services
from .chart import overlay_chart, symbol
from .compare import CompareRefused, build_comparison, selected_ids
from .forms import DecisionForm, HideForm, RevealForm

bp = Blueprint("review", __name__)


@bp.app_template_global()
def shows_codes(position) -> bool:
    """True when the signed-in person sees this position's candidates as codes."""
    return is_blind(position, current_user)


def _position_or_404(position_id: int):
    position = get_position(position_id)
    if position is None:
        abort(404)
    return position


# --- decisions ------------------------------------------------------------------------


@bp.route("/candidates/<int:candidate_id>/decision", methods=["POST"])
@allow("admin", "hr")
def decide(candidate_id: int):
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.record_decision(
                candidate_id,
                current_user,
                form.decision.data,
                form.rationale.data,
                form.against_band_reason.data,
            )
        except services.ReviewError as error:
            form[error.field or "rationale"].errors.append(str(error))
        except CandidateNotFound:
            abort(404)
        except EvidenceSealed as sealed:
            abort(403, description=str(sealed))
        else:
            flash("Decision recorded.", "success")
            return redirect(url_for("candidates.show", candidate_id=candidate_id) + "#decision")
    # 404, or 403 while the viewer's own interview is open; the card is built only here, as
    # record_decision builds its own inside the transaction.
    return render_candidate(viewer_card(candidate_id), form=form, status=422)


# --- blind review ---------------------------------------------------------------------


def _render_names(position, form: RevealForm, status: int = 200):
    return render_template(
        "review/names.html",
        position=position,
        form=form,
        hide_form=HideForm(formdata=None),
        history=services.names_history(position.id),
    ), status


@bp.route("/positions/<int:position_id>/reveal", methods=["GET", "POST"])
@allow("admin", "hr")
def reveal(position_id: int):
    """GET: the confirmation step (and who revealed or hid the names before); POST: reveal."""
    position = _position_or_404(position_id)
    form = RevealForm()
    if not form.validate_on_submit():
        return _render_names(position, form, 422 if form.is_submitted() else 200)
    try:
        changed = services.reveal_names(position_id, current_user, form.reason.data)
    except services.ReviewError as error:
        form[error.field or "reason"].errors.append(str(error))
        return _render_names(_position_or_404(position_id), form, 422)
    if changed:
        flash(
            "Names are shown for this position, to HR and admins. The change is in the audit log.",
            "success",
        )
    else:
        flash("The names were already shown.", "info")
    return redirect(url_for("positions.show", position_id=position_id))


@bp.route("/positions/<int:position_id>/hide", methods=["POST"])
@allow("admin", "hr")
def hide(position_id: int):
    position = _position_or_404(position_id)
    form = HideForm()
    if not form.validate_on_submit():
        return _render_names(position, RevealForm(formdata=None), 422)
    if services.hide_names(position_id, current_user):
        flash("Names are hidden again: HR and admins see candidate codes.", "success")
    else:
        flash("The names were already hidden.", "info")
    return redirect(url_for("positions.show", position_id=position_id))


# --- side by side ---------------------------------------------------------------------


@bp.route("/positions/<int:position_id>/compare")
@allow("admin", "hr")
def compare(position_id: int):
    position = _position_or_404(position_id)
    try:
        ids = selected_ids(request.args.getlist("c"))
        comparison = build_comparison(position, ids, current_user)
    except CompareRefused as refused:
        page = render_template("review/refused.html", position=position, problem=refused)
        return page, refused.status
    chart = overlay_chart(comparison)
    return render_template("review/compare.html", cmp=comparison, chart=chart, symbol=symbol)
