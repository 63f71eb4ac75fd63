"""Forms for managing accounts."""

from __future__ import annotations

from wtforms import SelectField

from ..auth.forms import AccountForm

ROLE_CHOICES = [
    ("manager", "Hiring manager (interviews)"),
    ("hr", "HR (positions, candidates, comparison)"),
    ("admin", "Admin (everything, and accounts)"),
]


class NewUserForm(AccountForm):
    role = SelectField("Role", choices=ROLE_CHOICES, default="manager")
