"""Forms of the fairness pages: self-identification, outcomes, expert keys and adoption."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import Optional

from .groups import DECLINE_LABEL, DECLINED, QUESTIONS


class SelfIdForm(FlaskForm):
    """Every question optional; "prefer not to say" always offered. No CSRF token: the
    candidate has no session, the secret link is the credential (as on every /a/ page)."""

    class Meta:
        csrf = False

    sex = RadioField(validators=[Optional()])
    race = RadioField(validators=[Optional()])
    age = RadioField(validators=[Optional()])
    disability = RadioField(validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, groups) in QUESTIONS.items():
            field = getattr(self, name)
            field.label.text = label
            field.choices = [(code, text) for code, text, _ in groups] + [(DECLINED, DECLINE_LABEL)]
