"""Forms for positions, their setup, candidates (one, or a CSV file) and interview panels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import NumberInput

from ..account.fields import LocalDateTimeField
from ..bank.model import Bank
from ..models import Interview, Position, User
from .services import WEIGHT_MAX

ROLE_NAMES = {"admin": "admin", "hr": "HR", "manager": "hiring manager"}


class NewPositionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    kit = SelectField("Interview kit", validators=[DataRequired()])


def make_new_position_form(bank: Bank) -> NewPositionForm:
    form = NewPositionForm()
    form.kit.choices = [SelectChoice(kit.id, kit.title) for kit in bank.kits.values()]
    return form


class CandidateForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    external_id = StringField("External id (optional)", validators=[Optional(), Length(max=100)])


class RenameForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])


class ButtonForm(FlaskForm):
    """A button that changes something (close, reopen): its CSRF token only."""


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to upload.")])


def finite_number(form, field) -> None:
    """Refuse NaN, sNaN and infinities before any comparison: Decimal("NaN") < 0 raises
    (a 500), and a NaN weight must never reach a score."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("A weight is a number from 0 to 10.")


def weight_name(competency_id: str) -> str:
    return f"weight_{competency_id}"


def question_name(question_id: str) -> str:
    return f"q_{question_id}"


def make_setup_form(
    bank: Bank, position: Position, choices: Sequence[Mapping[str, Any]], locked: bool
) -> FlaskForm:
    """A weight (0–10) per competency of the bank, and a checkbox per question unless locked."""

    class SetupForm(FlaskForm):
        pass

    for c in bank.competencies.values():
        field = DecimalField(
            c.name,
            default=position.weights.get(c.id, 0),
            places=None,
            validators=[
                InputRequired("Give a weight from 0 to 10 (0: not assessed)."),
                finite_number,
                NumberRange(0, WEIGHT_MAX, "A weight is from 0 to 10."),
            ],
            widget=NumberInput(step="any", min=0, max=WEIGHT_MAX),
        )
        setattr(SetupForm, weight_name(c.id), field)
    if not locked:
        current = {q["id"] for q in position.questions}
        for q in choices:
            label = f"{q['text']} ({q['kind']})"
            setattr(
                SetupForm, question_name(q["id"]), BooleanField(label, default=q["id"] in current)
            )
    return SetupForm()


def setup_weights(form: FlaskForm, bank: Bank) -> dict[str, float]:
    return {c: float(form[weight_name(c)].data) for c in bank.competencies}


def posted_question_ids(
    formdata: Mapping[str, str], choices: Sequence[Mapping[str, Any]]
) -> list[str] | None:
    """The ticked questions, or None when the page showed no checkboxes (questions locked).

    Read from the request, not the form: a page opened before the questions were locked
    still sends its checkboxes, and the service must refuse a change rather than drop it.
    """
    if formdata.get("questions_shown") != "1":
        return None
    return [q["id"] for q in choices if formdata.get(question_name(q["id"]))]


def pick_name(user_id: int) -> str:
    return f"pick_{user_id}"


def when_name(user_id: int) -> str:
    return f"when_{user_id}"


def make_panel_form(
    people: Sequence[User], interviews: Sequence[Interview], zone: str | None
) -> FlaskForm:
    """A checkbox and an optional date and time (typed in `zone`) per person who can be on
    the panel."""

    class PanelForm(FlaskForm):
        confirm_removal = BooleanField(
            "Yes, remove the interviewers I unticked and delete their interviews"
        )

    on_panel = {i.interviewer_id: i for i in interviews}
    for user in people:
        interview = on_panel.get(user.id)
        label = f"{user.name} ({ROLE_NAMES.get(user.role, user.role)})"
        setattr(PanelForm, pick_name(user.id), BooleanField(label, default=interview is not None))
        when = LocalDateTimeField(
            f"Date and time with {user.name}",
            validators=[Optional()],
            default=interview.scheduled_for if interview else None,
            zone=zone,
        )
        setattr(PanelForm, when_name(user.id), when)
    return PanelForm()


def panel_picks(form: FlaskForm, people: Sequence[User]) -> dict[int, datetime | None]:
    """Ticked user id → the scheduled date and time typed for them, in UTC (or None)."""
    return {u.id: form[when_name(u.id)].utc for u in people if form[pick_name(u.id)].data}
