"""Forms of the fairness pages: self-identification, outcomes, expert keys and adoption."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .groups import DECLINE_LABEL, DECLINED, QUESTIONS
from .keying import REASON_MAX as KEY_REASON_MAX
from .outcomes import RATING_LABELS


class SelfIdForm(FlaskForm):
    """Every question optional; "prefer not to say" always offered. No CSRF token: the
    candidate has no session, the secret link is the credential (as on every /a/ page)."""

    class Meta:
        csrf = False

    sex = RadioField(validators=[Optional()])
    race = RadioField(validators=[Optional()])
    age = RadioField(validators=[Optional()])
    disability = RadioField(validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, groups) in QUESTIONS.items():
            field = getattr(self, name)
            field.label.text = label
            field.choices = [(code, text) for code, text, _ in groups] + [(DECLINED, DECLINE_LABEL)]


class OutcomeForm(FlaskForm):
    """A hired person's outcome: either part may wait until it is known."""

    rating = SelectField(
        "Performance rating",
        choices=[SelectChoice("", "Not rated yet")]
        + [SelectChoice(str(k), f"{k}: {t}") for k, t in RATING_LABELS.items()],
        validators=[Optional()],
    )
    rating_months = IntegerField(
        "Months after hiring", default=6, validators=[Optional(), NumberRange(1, 60)]
    )
    employed_12m = RadioField(
        "Still employed at 12 months?",
        choices=[
            SelectChoice("", "Not known yet"),
            SelectChoice("yes", "Yes"),
            SelectChoice("no", "No"),
        ],
        default="",
        validators=[Optional()],
    )

    def outcome(self) -> tuple[int | None, int | None, bool | None]:
        rating = int(self.rating.data) if self.rating.data else None
        employed = {"yes": True, "no": False}.get(self.employed_12m.data or "")
        return rating, self.rating_months.data, employed


class InviteExpertsForm(FlaskForm):
    """Which scenario items, and which expert accounts to ask to key them."""

    items = SelectMultipleField(
        "Scenario items", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    experts = SelectMultipleField(
        "Experts", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )


class AdoptForm(FlaskForm):
    reason = TextAreaField(
        "Why (optional, kept in the audit log)", validators=[Length(max=KEY_REASON_MAX)]
    )


def key_name(response_id: str) -> str:
    return f"key-{response_id}"


EFFECTIVENESS = (
    SelectChoice("1", "1 · very ineffective"),
    SelectChoice("2", "2 · ineffective"),
    SelectChoice("3", "3 · neither"),
    SelectChoice("4", "4 · effective"),
    SelectChoice("5", "5 · very effective"),
)


def make_keying_form(responses, formdata=None):
    """One required 1-5 choice per response of the item the expert keys."""

    class KeyingForm(FlaskForm):
        pass

    for response in responses:
        field = RadioField(
            response["text"],
            choices=EFFECTIVENESS,
            validators=[InputRequired("Rate this response.")],
        )
        setattr(KeyingForm, key_name(response["id"]), field)
    return KeyingForm(formdata=formdata)
