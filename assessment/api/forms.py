"""The form an admin fills to make an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

SCOPE_CHOICES = [
    SelectChoice("read", "Read: positions, candidates, scores, scorecards"),
    SelectChoice("write", "Write too: add candidates, create invites"),
]


class TokenForm(FlaskForm):
    name = StringField(
        "What it is for", validators=[DataRequired(), Length(max=100)], description="e.g. the ATS"
    )
    scope = RadioField(
        "Scope", choices=SCOPE_CHOICES, default="read", render_kw={"class": "choice-list"}
    )
