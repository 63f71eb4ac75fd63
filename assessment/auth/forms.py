"""Forms for setup and login."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .password_policy import PASSWORD_MAX, PASSWORD_MIN, password_problem


def new_password(form, field) -> None:
    """The password policy, told the e-mail of the form it is in (when it has one)."""
    email = form["email"].data if "email" in form else getattr(form, "account_email", None)
    problem = password_problem(field.data or "", email)
    if problem:
        raise ValidationError(problem)


def password_field(label: str = "Password") -> PasswordField:
    hint = f"At least {PASSWORD_MIN} characters, not a common password nor your e-mail's name."
    return PasswordField(label, validators=[DataRequired(), new_password], description=hint)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class AccountForm(FlaskForm):
    """The fields of a new account: used by first-run setup and by admins."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = password_field()
    confirm = PasswordField(
        "Repeat the password", validators=[EqualTo("password", message="The passwords differ.")]
    )


class SetupForm(AccountForm):
    """First-run setup: the first admin's account, and the secret only the operator has."""

    secret = StringField(
        "Setup secret",
        validators=[DataRequired(), Length(max=100)],
        description="Printed where the app was started (python app.py) and in its log.",
    )
