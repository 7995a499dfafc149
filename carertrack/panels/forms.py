"""Forms for panel meetings, members and attendance. Agenda and decision forms are in item_forms.py."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from carertrack.concurrency import VersionedForm
from carertrack.form_fields import DateText, NotBefore, NumberText, TimeText, YesNoField
from carertrack.models.panel import PanelRole
from carertrack.validators import MaxLength, Required, ValidateIf

PLACE_CHOICES = [
    SelectChoice("in_person", "In person"),
    SelectChoice("online", "Online"),
    SelectChoice("hybrid", "In person and online"),
]


class MeetingForm(VersionedForm):
    """A panel meeting's date, time, place, capacity and chair."""

    meeting_date = DateText(
        "Date of the meeting", "the date of the meeting", validators=[Required("Enter the date of the meeting")]
    )
    start_time = TimeText("Start time", "the start time", validators=[Required("Enter the start time")])
    place = RadioField(
        "Where will the panel meet?",
        widget=GovRadioInput(),
        choices=PLACE_CHOICES,
        validators=[Required("Select where the panel will meet")],
    )
    venue = StringField(
        "Venue",
        widget=GovTextInput(),
        description="The building and room, for example Civic Centre, Committee Room 2.",
        validators=[
            ValidateIf(lambda form: form.place.data in ("in_person", "hybrid"), Required("Enter the venue")),
            MaxLength(200, "Venue"),
        ],
    )
    capacity = NumberText(
        "Capacity",
        "the capacity",
        minimum=1,
        maximum=30,
        description="The number of items the panel can consider at this meeting.",
        validators=[Required("Enter the number of items the panel can consider")],
    )
    chair_id = SelectField("Chair", widget=GovSelect(), coerce=str, validators=[Optional()])
    submit = SubmitField("Save meeting", widget=GovSubmitInput())


class CancelMeetingForm(VersionedForm):
    """Why the meeting will not go ahead."""

    reason = TextAreaField(
        "Why is the meeting cancelled?",
        widget=GovTextArea(),
        validators=[Required("Enter why the meeting is cancelled"), MaxLength(1000, "The reason")],
    )
    submit = SubmitField("Cancel meeting", widget=GovSubmitInput())


class MemberForm(VersionedForm):
    """A person on the central list of panel members."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[Required("Enter the member's full name"), MaxLength(120, "Full name")],
    )
    role = RadioField(
        "Role on the panel",
        widget=GovRadioInput(),
        choices=[SelectChoice(role.value, role.label) for role in PanelRole],
        validators=[Required("Select the member's role on the panel")],
    )
    independent = YesNoField(
        "Are they independent of the fostering service?",
        validators=[Required("Select yes if the member is independent of the fostering service")],
    )
    experience_years = NumberText(
        "Years of post-qualifying experience",
        "the years of post-qualifying experience",
        minimum=0,
        maximum=60,
        description="For social workers. The quorum needs a social worker with enough experience.",
        validators=[
            ValidateIf(
                lambda form: form.role.data == PanelRole.SOCIAL_WORKER.value,
                Required("Enter the social worker's years of post-qualifying experience"),
            )
        ],
    )
    start_date = DateText("Start date", "the start date", validators=[Required("Enter the date they joined the panel")])
    end_date = DateText(
        "End date (optional)",
        "the end date",
        description="Leave blank while they serve. For example, 31/3/2027",
        validators=[NotBefore("start_date", "End date must be the same as or after the start date")],
    )
    submit = SubmitField("Save member", widget=GovSubmitInput())


class AttendanceForm(VersionedForm):
    """Who is expected, or who was present: one checkbox per serving member."""

    members = SelectMultipleField("Members", widget=GovCheckboxesInput(), coerce=str, validators=[Optional()])
    submit = SubmitField("Save attendance", widget=GovSubmitInput())


class BlankForm(VersionedForm):
    """A button that only needs CSRF and the record's version (reorder, restore)."""
