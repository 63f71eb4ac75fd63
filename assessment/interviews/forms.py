"""The interview form, built from the interview's question snapshot, and the reason forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from .entries import NOTES_MAX
from .recommendation import KEY_EVIDENCE_MAX, RECOMMENDATIONS
from .services import REASON_MAX

NOT_COVERED = "nc"


class NotLonger:
    """Refuses text over `limit` characters with a message that says by how much.

    Unlike wtforms' Length it puts no maxlength attribute on the field: a browser would
    cut a pasted text there without a word, and the evidence would be lost.
    """

    def __init__(self, limit: int, what: str = "Notes"):
        self.limit, self.what = limit, what

    def __call__(self, _form, field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                f"{self.what} are limited to {self.limit:,} characters; these have "
                f"{length:,}. Nothing was cut: shorten them by {length - self.limit:,} to save."
            )


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


def make_interview_form(interview, ratings: Mapping, formdata=None):
    """One radio group (the anchored scale) and one notes box per question of the snapshot,
    then the overall recommendation and its key evidence."""
    items: Sequence[Mapping[str, Any]] = interview.items

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
            TextAreaField("Notes", validators=[NotLonger(NOTES_MAX)]),
        )
    InterviewForm.recommendation = RadioField(
        "Overall recommendation",
        choices=[SelectChoice(key, label) for key, label in RECOMMENDATIONS.items()],
        validate_choice=False,
    )
    InterviewForm.key_evidence = TextAreaField(
        "Key evidence", validators=[NotLonger(KEY_EVIDENCE_MAX, "Key evidence summaries")]
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
        form.recommendation.data = interview.recommendation
        form.key_evidence.data = interview.key_evidence
    return form


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (kept in the audit log)",
        validators=[DataRequired("Give a reason."), NotLonger(REASON_MAX, "Reasons")],
    )


class ReviseForm(ReasonForm):
    question_id = StringField(validators=[DataRequired()])
    value = StringField(validators=[DataRequired("Pick a rating.")])
    notes = TextAreaField(validators=[NotLonger(NOTES_MAX)])
