"""Forms for a person's reminder email choices and the outbox's 'try again' button."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from carertrack.concurrency import VersionedForm
from carertrack.validators import Required

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class PreferencesForm(VersionedForm):
    """Daily digest on or off; for managers, the Monday pipeline summary too."""

    daily_digest = RadioField(
        "Do you want a daily email of your reminders?",
        widget=GovRadioInput(),
        choices=YES_NO,
        description="At most one email a day, with only the reminders that are new to you, most urgent first.",
        validators=[Required("Select yes if you want a daily email of your reminders")],
    )
    weekly_pipeline = RadioField(
        "Do you want the weekly pipeline summary on Monday mornings?",
        widget=GovRadioInput(),
        choices=YES_NO,
        description="Breaches, assessments at risk and net growth against the target.",
        validators=[Required("Select yes if you want the weekly pipeline summary")],
    )
    submit = SubmitField("Save choices", widget=GovSubmitInput())


class RetryForm(FlaskForm):
    """Only the CSRF token travels with the 'Try again now' button."""
