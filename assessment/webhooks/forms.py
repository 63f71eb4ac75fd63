"""The form an admin fills to register a webhook."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from .models import EVENTS

EVENT_CHOICES = [
    SelectChoice("interview.submitted", "An interviewer submits an interview"),
    SelectChoice("self_assessment.submitted", "A candidate sends their self-assessment"),
    SelectChoice("decision.recorded", "HR records a decision"),
]
assert [c.value for c in EVENT_CHOICES] == list(EVENTS)


class WebhookForm(FlaskForm):
    url = StringField(
        "Receiver URL",
        validators=[DataRequired(), Length(max=2000)],
        description="https://… of the system that should hear about these events",
    )
    events = SelectMultipleField(
        "Events",
        choices=EVENT_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        render_kw={"class": "choice-list"},
    )
