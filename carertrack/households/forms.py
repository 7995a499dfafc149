"""Forms for households, their people, DBS checks, reviews, training, placements, staying put and
deregistration. Messages follow the GOV.UK style; each field carries its label and hint."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import and_, or_, select
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from carertrack.compliance import (
    age_range_error,
    birthday,
    resignation_effective_date,
    staying_put_end_error,
    staying_put_start_error,
    twenty_first_birthday,
)
from carertrack.concurrency import VersionedForm
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.form_fields import DateText, NotBefore, NotInFuture, NumberText, RequiredIf, YesNoField
from carertrack.formatting import format_date
from carertrack.households.services import certificate_number_error, reference_taken
from carertrack.models.dbs import DbsOutcome, RiskDecision, StatusCheckResult
from carertrack.models.household import (
    CARER_TYPE_LABELS,
    DEREGISTRATION_REASON_LABELS,
    PLACEMENT_TYPE_LABELS,
    RELATIONSHIP_LABELS,
    DeregistrationReason,
    Relationship,
    ReviewOutcome,
)
from carertrack.models.staying_put import StayingPutEndReason
from carertrack.models.user import Role, User
from carertrack.validators import MaxLength, Required, ValidateIf

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _is(field_name: str, value: str):  # type: ignore[no-untyped-def]
    return lambda form: getattr(form, field_name).data == value


def _yes(field_name: str):  # type: ignore[no-untyped-def]
    return lambda form: getattr(form, field_name).data == "yes"


# --- Household details ---------------------------------------------------------------------------


def worker_choices(keep_id: int | None = None) -> list[SelectChoice]:
    """Active social workers and managers who can supervise a household (and the current one, if not)."""
    eligible = and_(User.active.is_(True), User.role.in_([Role.SOCIAL_WORKER, Role.MANAGER]))
    users = db.session.scalars(
        select(User).where(or_(eligible, User.id == keep_id) if keep_id else eligible).order_by(User.name, User.id)
    )
    return [SelectChoice("", "Not allocated")] + [SelectChoice(str(u.id), u.name) for u in users]


class HouseholdDetailsForm(VersionedForm):
    """Type, address, supervising social worker, approval date and terms of approval."""

    carer_type = RadioField(
        "Type of fostering household",
        widget=GovRadioInput(),
        choices=_choices(CARER_TYPE_LABELS),
        validators=[Required("Select the type of fostering household")],
    )
    address = TextAreaField(
        "Address",
        widget=GovTextArea(),
        validators=[MaxLength(500, "Address")],
    )
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[MaxLength(10, "Postcode")])
    # Checked in validate_supervising_worker_id, so a blank choice reads "not allocated".
    supervising_worker_id = SelectField(
        "Supervising social worker", widget=GovSelect(), choices=[], validate_choice=False
    )
    approval_date = DateText(
        "Date of approval",
        "the date of approval",
        description="The agency decision maker's decision. For example, 27/3/2026",
        validators=[
            Required("Enter the date of approval"),
            NotInFuture("The date of approval must be today or in the past"),
        ],
    )
    approved_places = NumberText(
        "Number of children",
        "the number of children",
        minimum=1,
        maximum=10,
        description="How many children the household is approved for.",
    )
    age_from = NumberText("Youngest age", "the youngest age", minimum=0, maximum=20, description="In years.")
    age_to = NumberText("Oldest age", "the oldest age", minimum=0, maximum=20, description="In years.")
    placement_types = SelectMultipleField(
        "Placement types",
        widget=GovCheckboxesInput(),
        choices=_choices(PLACEMENT_TYPE_LABELS),
        description="Select all that apply.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, keep_worker_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supervising_worker_id.choices = worker_choices(keep_worker_id)

    def validate_supervising_worker_id(self, field):  # type: ignore[no-untyped-def]
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Select a supervising social worker from the list")

    def validate_postcode(self, field):  # type: ignore[no-untyped-def]
        if field.data and field.data.strip() and not POSTCODE.match(field.data.strip()):
            raise ValidationError("Enter a real postcode, like SW1A 1AA")

    def validate_age_to(self, field):  # type: ignore[no-untyped-def]
        if message := age_range_error(self.age_from.data, field.data):
            raise ValidationError(message)

    @property
    def worker_id(self) -> int | None:
        """The chosen supervising social worker's id."""
        value = self.supervising_worker_id.data
        return int(value) if value else None


class EditHouseholdForm(HouseholdDetailsForm):
    """The details, plus putting the household on hold (no new placements) or taking it off hold."""

    on_hold = YesNoField(
        "Is the household on hold?",
        description="For example, while the carers take a break or an allegation is investigated.",
        validators=[Required("Select yes if the household is on hold")],
    )
    on_hold_reason = TextAreaField(
        "Why is the household on hold?",
        widget=GovTextArea(),
        validators=[
            ValidateIf(_yes("on_hold"), Required("Enter why the household is on hold"), MaxLength(500, "Reason"))
        ],
    )
    on_hold_since = DateText(
        "On hold since",
        "the date the household went on hold",
        validators=[
            ValidateIf(
                _yes("on_hold"),
                Required("Enter the date the household went on hold"),
                NotInFuture("The date the household went on hold must be today or in the past"),
            )
        ],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class NewHouseholdForm(HouseholdDetailsForm):
    """A household approved before CarerTrack (or outside it): reference and carers as well."""

    reference = StringField(
        "Household reference",
        widget=GovTextInput(),
        description="Your service's reference for this household, for example FH-0123.",
        validators=[Required("Enter the household reference"), MaxLength(40, "Household reference")],
    )
    carer_1_name = StringField(
        "First carer's full name",
        widget=GovTextInput(),
        validators=[Required("Enter the first carer's full name"), MaxLength(120, "First carer's full name")],
    )
    carer_1_dob = DateText(
        "First carer's date of birth",
        "the first carer's date of birth",
        description="For example, 27/3/1980",
        validators=[
            Required("Enter the first carer's date of birth"),
            NotInFuture("The first carer's date of birth must be in the past"),
        ],
    )
    carer_2_name = StringField(
        "Second carer's full name (if there is one)",
        widget=GovTextInput(),
        validators=[MaxLength(120, "Second carer's full name")],
    )
    carer_2_dob = DateText(
        "Second carer's date of birth",
        "the second carer's date of birth",
        description="For example, 27/3/1980",
        validators=[
            ValidateIf(
                lambda form: bool((form.carer_2_name.data or "").strip()),
                Required("Enter the second carer's date of birth"),
                NotInFuture("The second carer's date of birth must be in the past"),
            )
        ],
    )
    submit = SubmitField("Add household", widget=GovSubmitInput())

    def validate_reference(self, field):  # type: ignore[no-untyped-def]
        if field.data and reference_taken(field.data.strip()):
            raise ValidationError("A household with this reference already exists")


# --- People ----------------------------------------------------------------------------------------


class MemberForm(VersionedForm):
    """A person in the household."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[Required("Enter the person's full name"), MaxLength(120, "Full name")],
    )
    date_of_birth = DateText(
        "Date of birth",
        "their date of birth",
        description="For example, 27/3/2009",
        validators=[Required("Enter their date of birth"), NotInFuture("Date of birth must be in the past")],
    )
    relationship = RadioField(
        "Relationship to the household",
        widget=GovRadioInput(),
        choices=_choices(RELATIONSHIP_LABELS),
        validators=[Required("Select their relationship to the household")],
    )
    joined_date = DateText(
        "Date they started living here (optional)",
        "the date they started living here",
        validators=[
            NotInFuture("The date they started living here must be today or in the past"),
            NotBefore("date_of_birth", "The date they started living here must be on or after their date of birth"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_relationship(self, field):  # type: ignore[no-untyped-def]
        dob = self.date_of_birth.data
        if field.data == Relationship.STAYING_PUT.value and isinstance(dob, date):
            if birthday(dob, 18) > (self.joined_date.data or today()):
                raise ValidationError("A staying-put young person must be 18 or over when they start living here")


class EditMemberForm(MemberForm):
    """A person's details, and the date they left."""

    left_date = DateText(
        "Date they left the household (optional)",
        "the date they left",
        description="Leave blank if they still live here. For example, 27/3/2026",
        validators=[
            NotInFuture("The date they left must be today or in the past"),
            NotBefore("joined_date", "The date they left must be after the date they started living here", True),
            NotBefore("date_of_birth", "The date they left must be after their date of birth", True),
        ],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class TrainingForm(VersionedForm):
    """The date a carer evidenced the Training, Support and Development Standards."""

    tsd_completed_date = DateText(
        "Date the standards were completed",
        "the date the standards were completed",
        validators=[
            Required("Enter the date the standards were completed"),
            NotInFuture("The date the standards were completed must be today or in the past"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


# --- DBS ---------------------------------------------------------------------------------------------


class DbsCheckForm(VersionedForm):
    """A DBS certificate: never the disclosure content."""

    certificate_number = StringField(
        "Certificate number",
        widget=GovTextInput(),
        description="The 12-digit number at the top of the certificate.",
        validators=[Required("Enter the certificate number")],
    )
    issue_date = DateText(
        "Date of issue",
        "the date of issue",
        validators=[
            Required("Enter the date of issue"),
            NotInFuture("The date of issue must be today or in the past"),
            NotBefore("member_dob", "The date of issue must be after the person's date of birth", True),
        ],
    )
    enhanced_with_barred_list = YesNoField(
        "Is it an enhanced check with the children's barred list?",
        description="Only an enhanced check with the children's barred list counts for fostering.",
        validators=[Required("Select yes if it is an enhanced check with the children's barred list")],
    )
    update_service = YesNoField(
        "Has the person subscribed to the DBS Update Service?",
        description="With a subscription, a status check with no new information renews the check.",
        validators=[Required("Select yes if the person has subscribed to the DBS Update Service")],
    )
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        description="Do not record what was disclosed.",
        choices=[SelectChoice(o.value, o.label) for o in DbsOutcome],
        validators=[Required("Select the outcome")],
    )
    risk_assessed_on = DateText(
        "Date the disclosure was risk-assessed",
        "the date the disclosure was risk-assessed",
        validators=[
            ValidateIf(
                _is("outcome", DbsOutcome.DISCLOSED.value),
                Required("Enter the date the disclosure was risk-assessed"),
                NotInFuture("The date the disclosure was risk-assessed must be today or in the past"),
                NotBefore("issue_date", "The risk assessment must be on or after the date of issue"),
            )
        ],
    )
    risk_decision = RadioField(
        "Manager's decision",
        widget=GovRadioInput(),
        choices=[SelectChoice(d.value, d.label) for d in RiskDecision],
        validators=[ValidateIf(_is("outcome", DbsOutcome.DISCLOSED.value), Required("Select the manager's decision"))],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, member_dob: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member_dob = member_dob

    def validate_certificate_number(self, field):  # type: ignore[no-untyped-def]
        if message := certificate_number_error(field.data):
            raise ValidationError(message)


class StatusCheckForm(VersionedForm):
    """An Update Service status check."""

    checked_on = DateText(
        "Date of the status check",
        "the date of the status check",
        validators=[
            Required("Enter the date of the status check"),
            NotInFuture("The date of the status check must be today or in the past"),
            NotBefore("issue_date", "The status check must be on or after the certificate's date of issue, {date}"),
        ],
    )
    result = RadioField(
        "Result",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in StatusCheckResult],
        validators=[Required("Select the result of the status check")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, issue_date: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issue_date = issue_date


# --- Reviews and placements ----------------------------------------------------------------------


class ReviewForm(VersionedForm):
    """A completed annual review."""

    completed_date = DateText(
        "Date the review was completed",
        "the date the review was completed",
        validators=[
            Required("Enter the date the review was completed"),
            NotInFuture("The date the review was completed must be today or in the past"),
            NotBefore("approval_date", "The review must be on or after the date of approval, {date}"),
        ],
    )
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices=[SelectChoice(o.value, o.label) for o in ReviewOutcome],
        validators=[Required("Select the outcome of the review")],
    )
    went_to_panel = YesNoField(
        "Did the review go to the fostering panel?",
        validators=[Required("Select yes if the review went to the fostering panel")],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        description="For example, changes agreed to the terms of approval.",
        validators=[MaxLength(2000, "Notes")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, approval_date: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.approval_date = approval_date


class PlacementForm(VersionedForm):
    """A child placed with the household, by reference only."""

    child_reference = StringField(
        "Child's reference",
        widget=GovTextInput(),
        description="The reference from the children's case management system. Do not enter the child's name.",
        validators=[Required("Enter the child's reference"), MaxLength(40, "Child's reference")],
    )
    start_date = DateText(
        "Date the placement started",
        "the date the placement started",
        validators=[
            Required("Enter the date the placement started"),
            NotInFuture("The date the placement started must be today or in the past"),
        ],
    )
    end_date = DateText(
        "Date the placement ended (optional)",
        "the date the placement ended",
        description="Leave blank if the child is still placed. For example, 27/3/2026",
        validators=[
            NotInFuture("The date the placement ended must be today or in the past"),
            NotBefore("start_date", "The date the placement ended must be after the date it started", True),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


# --- Staying put ---------------------------------------------------------------------------------------


def _planned_end_limit(form: Any, field: Any) -> None:
    dob = form.date_of_birth_value
    if isinstance(field.data, date) and isinstance(dob, date) and field.data > twenty_first_birthday(dob):
        raise ValidationError(
            f"The planned end date must be on or before their 21st birthday, {format_date(twenty_first_birthday(dob))}"
        )


class StayingPutEditForm(VersionedForm):
    """The plan and the end of an arrangement."""

    planned_end_date = DateText(
        "Planned end date",
        "the planned end date",
        description="No later than their 21st birthday. For example, 27/3/2027",
        validators=[
            Required("Enter the planned end date"),
            NotBefore("start_date_value", "The planned end date must be after the start date", True),
            _planned_end_limit,
        ],
    )
    end_date = DateText(
        "Date the arrangement ended (optional)",
        "the date the arrangement ended",
        description="Leave blank while it continues. For example, 27/3/2026",
        validators=[
            NotInFuture("The date the arrangement ended must be today or in the past"),
            NotBefore("start_date_value", "The date the arrangement ended must be after the start date", True),
        ],
    )
    end_reason = RadioField(
        "Why did it end?",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in StayingPutEndReason],
        validators=[ValidateIf(lambda form: form.end_date.data is not None, Required("Select why it ended"))],
    )
    household_remains_approved = YesNoField(
        "Does the household remain approved for other children?",
        validators=[Required("Select yes if the household remains approved for other children")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def __init__(self, *args: Any, date_of_birth: date | None = None, start_date: date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.date_of_birth_value = date_of_birth
        self.start_date_value = start_date

    def validate_end_date(self, field):  # type: ignore[no-untyped-def]
        if message := staying_put_end_error(field.data, self.date_of_birth_value):
            raise ValidationError(message)


class StayingPutForm(VersionedForm):
    """A new arrangement: the young person joins the household as an adult member."""

    young_person_reference = StringField(
        "Young person's reference",
        widget=GovTextInput(),
        description="The reference from the children's case management system.",
        validators=[Required("Enter the young person's reference"), MaxLength(40, "Young person's reference")],
    )
    name = StringField(
        "Young person's full name",
        widget=GovTextInput(),
        description="They join the household as an adult member and need a DBS check.",
        validators=[Required("Enter the young person's full name"), MaxLength(120, "Full name")],
    )
    date_of_birth = DateText(
        "Young person's date of birth",
        "the young person's date of birth",
        description="For example, 27/3/2008",
        validators=[
            Required("Enter the young person's date of birth"),
            NotInFuture("Date of birth must be in the past"),
        ],
    )
    start_date = DateText(
        "Start date",
        "the start date",
        description="Usually their 18th birthday. For example, 27/3/2026",
        validators=[Required("Enter the start date")],
    )
    planned_end_date = DateText(
        "Planned end date",
        "the planned end date",
        description="No later than their 21st birthday. For example, 27/3/2029",
        validators=[
            Required("Enter the planned end date"),
            NotBefore("start_date", "The planned end date must be after the start date", True),
            _planned_end_limit,
        ],
    )
    household_remains_approved = YesNoField(
        "Does the household remain approved for other children?",
        validators=[Required("Select yes if the household remains approved for other children")],
    )
    submit = SubmitField("Start arrangement", widget=GovSubmitInput())

    @property
    def date_of_birth_value(self) -> date | None:
        """The date of birth typed (the planned end is checked against it)."""
        return self.date_of_birth.data

    def validate_start_date(self, field):  # type: ignore[no-untyped-def]
        if message := staying_put_start_error(field.data, self.date_of_birth.data):
            raise ValidationError(message)


# --- Deregistration ---------------------------------------------------------------------------------------


def _effective_date_given(form: Any, field: Any) -> None:
    """Required unless it is a resignation; for a resignation, blank or exactly 28 days after notice."""
    if form.reason.data in (None, ""):
        return
    if form.reason.data != DeregistrationReason.RESIGNED.value:
        if field.data is None:
            raise StopValidation("Enter the date approval ends")
        return
    if not isinstance(form.notice_date.data, date) or field.data is None:
        return
    computed = resignation_effective_date(form.notice_date.data)
    if field.data != computed:
        raise StopValidation(
            f"A resignation takes effect 28 days after notice is received, on {format_date(computed)}. "
            "Leave the date approval ends blank, or enter that date"
        )


class DeregistrationForm(VersionedForm):
    """The end of approval: the reason, the notice and the date it takes effect."""

    reason = RadioField(
        "Why is approval ending?",
        widget=GovRadioInput(),
        choices=_choices(DEREGISTRATION_REASON_LABELS),
        validators=[Required("Select why approval is ending")],
    )
    notice_date = DateText(
        "Date written notice was received",
        "the date written notice was received",
        description="Needed for a resignation: it takes effect 28 days later. For example, 27/3/2026",
        validators=[
            RequiredIf(
                _is("reason", DeregistrationReason.RESIGNED.value), "Enter the date written notice was received"
            ),
            NotInFuture("The date written notice was received must be today or in the past"),
            NotBefore("approval_date", "The notice must be on or after the date of approval, {date}"),
        ],
    )
    effective_date = DateText(
        "Date approval ends",
        "the date approval ends",
        description="Leave blank for a resignation: it is worked out from the notice. For example, 27/3/2026",
        validators=[
            _effective_date_given,
            NotBefore("approval_date", "Approval must end after the date of approval, {date}", True),
        ],
    )
    submit = SubmitField("Record deregistration", widget=GovSubmitInput())

    def __init__(self, *args: Any, approval_date: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.approval_date = approval_date


class VersionOnlyForm(VersionedForm):
    """A button that changes a record: only the version travels with it."""
