"""Forms for a person's own password: change it, or set it through a reset link."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from .forms import password_field
from .password_policy import PASSWORD_MAX

SAME = "The passwords differ."


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = password_field("New password")
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", SAME)])

    def __init__(self, account_email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email  # the policy refuses a password with its name


class ResetPasswordForm(FlaskForm):
    password = password_field("New password")
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", SAME)])

    def __init__(self, account_email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
