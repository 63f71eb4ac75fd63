"""Forms for managing accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..auth.forms import AccountForm

ROLE_CHOICES = [
    SelectChoice("manager", "Hiring manager (interviews)"),
    SelectChoice("hr", "HR (positions, candidates, comparison)"),
    SelectChoice("admin", "Admin (everything, and accounts)"),
    SelectChoice("expert", "Subject-matter expert (keys scenario items, nothing else)"),
]


class NewUserForm(AccountForm):
    role = SelectField("Role", choices=ROLE_CHOICES, default="manager")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class AccountActionForm(FlaskForm):
    """A button that changes an account (deactivate, reactivate, reset link): CSRF only."""
