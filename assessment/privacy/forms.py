"""The erasure confirmation: why, and "I understand it cannot be undone"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from .erasure import REASONS


class EraseForm(FlaskForm):
    why = RadioField(
        "Why are they erased?",
        choices=[SelectChoice(key, text) for key, text in REASONS.items() if key != "consent"],
        validators=[InputRequired("Choose why.")],
    )
    confirm = BooleanField(
        "I understand that this cannot be undone.",
        validators=[DataRequired("Tick this to confirm the erasure.")],
    )
