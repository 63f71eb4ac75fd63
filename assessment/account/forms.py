"""The settings form: a person's time zone."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from ..local_time import known_zones


class SettingsForm(FlaskForm):
    time_zone = SelectField(
        "Time zone",
        choices=[],
        validators=[DataRequired("Choose a time zone.")],
        description="Every date and time in the app, and in its e-mails to you, is shown in "
        "this zone; the dates you enter (interview dates) are read in it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(z, z.replace("_", " ")) for z in known_zones()]
