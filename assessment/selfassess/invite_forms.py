"""Forms of the staff's invite page: create a link, revoke it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import DataRequired, InputRequired, NumberRange
from wtforms.widgets import NumberInput

from .invites import DEFAULT_DAYS, MAX_DAYS


class InviteForm(FlaskForm):
    days = IntegerField(
        "Link valid for (days)",
        default=DEFAULT_DAYS,
        validators=[
            InputRequired(f"Give a number of days from 1 to {MAX_DAYS}."),
            NumberRange(1, MAX_DAYS, f"Give a number of days from 1 to {MAX_DAYS}."),
        ],
        widget=NumberInput(min=1, max=MAX_DAYS, step=1),
    )
    send_email = BooleanField("Also e-mail it")


class RevokeForm(FlaskForm):
    confirm = BooleanField(
        "Yes, stop this link: the candidate can no longer open it",
        validators=[DataRequired("Tick the box to confirm that the link should stop working.")],
    )
