"""Forms of HR review: a decision on a candidate, revealing and hiding a position's names."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from .rules import DECISION_NAMES, RATIONALE_MAX, REASON_MAX


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[SelectChoice(value, label) for value, label in DECISION_NAMES.items()],
        validators=[InputRequired("Choose advance, hold or decline.")],
    )
    rationale = TextAreaField(
        "Rationale",
        validators=[
            DataRequired("Write the rationale for this decision: it is kept with it."),
            Length(max=RATIONALE_MAX, message=f"At most {RATIONALE_MAX} characters."),
        ],
    )
    against_band_reason = TextAreaField(
        "Reason for going against the band",
        validators=[Length(max=REASON_MAX, message=f"At most {REASON_MAX} characters.")],
    )


class RevealForm(FlaskForm):
    reason = TextAreaField(
        "Why reveal them? (optional, kept in the audit log)",
        validators=[Length(max=REASON_MAX, message=f"At most {REASON_MAX} characters.")],
    )
    confirm = BooleanField(
        "Yes, show the names, e-mails and external ids of this position's candidates to "
        "HR and admins, in pages and exports",
        validators=[DataRequired("Tick the box to confirm that the names should be shown.")],
    )


class HideForm(FlaskForm):
    """Hiding needs no confirmation: it reveals nothing."""
