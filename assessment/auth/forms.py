"""Forms for setup and login."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

# Long passphrases are welcome (ASVS 6.2.9); the cap only keeps hashing bounded.
PASSWORD_MAX = 256


def password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(min=10, max=PASSWORD_MAX, message="Use 10 to 256 characters."),
        ],
    )


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
