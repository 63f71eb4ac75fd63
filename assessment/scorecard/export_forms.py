"""The export form: which format, which paper, which candidates (none ticked: all of them)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from .files import PAPERS

KIND_CHOICES = [
    SelectChoice("pdf", "One combined PDF"),
    SelectChoice("zip", "A ZIP with one PDF per candidate"),
    SelectChoice("csv", "A CSV of all scores"),
]


class ExportForm(FlaskForm):
    kind = SelectField("Format", choices=KIND_CHOICES, validators=[DataRequired()])
    paper = SelectField("Paper", choices=PAPERS, default="A4")
    # Checked against the position by the service, which names any stranger.
    candidates = SelectMultipleField("Candidates", coerce=int, validate_choice=False)
    # Set by the confirmation page: exporting every candidate asks first, naming how many.
    confirm_all = BooleanField("Export every candidate")

    def selected(self) -> list[int] | None:
        """The ticked candidates, or None for every candidate of the position."""
        return list(self.candidates.data) if self.candidates.data else None
