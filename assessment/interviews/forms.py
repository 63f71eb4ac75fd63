"""The interview form, built from the interview's question snapshot, and the reason forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from .services import NOTES_MAX, REASON_MAX

NOT_COVERED = "nc"


def scale_choices(anchors: Mapping[str, str]) -> list[SelectChoice]:
    """1–5 with each written anchor as the label (2 and 4 may have none), then "not covered"."""
    choices = []
    for value in range(1, 6):
        anchor = anchors.get(str(value))
        if anchor is None:
            anchor = f"Between {value - 1} and {value + 1}"
        choices.append(SelectChoice(str(value), anchor))
    choices.append(SelectChoice(NOT_COVERED, "Not covered: the answer gave no evidence either way"))
    return choices


def value_name(question_id: str) -> str:
    return f"value-{question_id}"


def notes_name(question_id: str) -> str:
    return f"notes-{question_id}"


def make_interview_form(items: Sequence[Mapping[str, Any]], ratings: Mapping, formdata=None):
    """One radio group (the anchored scale) and one notes box per question of the snapshot."""

    class InterviewForm(FlaskForm):
        pass

    for item in items:
        setattr(
            InterviewForm,
            value_name(item["id"]),
            RadioField("Rating", choices=scale_choices(item["anchors"]), validate_choice=False),
        )
        setattr(
            InterviewForm,
            notes_name(item["id"]),
            TextAreaField("Notes", validators=[Length(max=NOTES_MAX)]),
        )
    form = InterviewForm(formdata=formdata)
    if formdata is None:
        for item in items:
            rating = ratings.get(item["id"])
            if rating is not None:
                form[value_name(item["id"])].data = (
                    NOT_COVERED if rating.not_covered else _str(rating.value)
                )
                form[notes_name(item["id"])].data = rating.notes
    return form


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (kept in the audit log)",
        validators=[DataRequired("Give a reason."), Length(max=REASON_MAX)],
    )


class ReviseForm(ReasonForm):
    question_id = StringField(validators=[DataRequired()])
    value = StringField(validators=[DataRequired("Pick a rating.")])
    notes = TextAreaField(validators=[Length(max=NOTES_MAX)])
