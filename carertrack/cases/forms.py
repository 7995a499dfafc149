"""Forms for the case pages. Field-level checks live here; rules about the case live in services.

Every form lists its questions in order; ``PARAMS`` gives GOV.UK parameters for fields that need them
(legends, classes), so one template (cases/step.html) can render most forms.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_wtf import FlaskForm
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

from carertrack.concurrency import VersionedForm
from carertrack.form_fields import DateText, NumberText
from carertrack.models.case import (
    CLOSED_REASON_LABELS,
    ENQUIRY_SOURCE_LABELS,
    CarerType,
    Stage1Decision,
    VisitOutcome,
)
from carertrack.models.case_records import (
    CHECK_KIND_LABELS,
    CHECK_OUTCOME_LABELS,
    MEMBER_RELATION_LABELS,
    SESSION_KIND_LABELS,
)
from carertrack.validators import EmailAddress, MaxLength, Required, ValidateIf

CARER_TYPE_CHOICES = [SelectChoice(t.value, t.label) for t in CarerType]
SOURCE_CHOICES = [SelectChoice(s.value, label) for s, label in ENQUIRY_SOURCE_LABELS.items()]
CLOSED_REASON_CHOICES = [SelectChoice(r.value, label) for r, label in CLOSED_REASON_LABELS.items()]
INTEREST_CHOICES = [
    SelectChoice("siblings", "Brothers and sisters together"),
    SelectChoice("teenagers", "Teenagers"),
    SelectChoice("parent_and_child", "Parent and child"),
    SelectChoice("short_breaks", "Short breaks"),
]
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
NOTE_LIMIT = 5000

M = {"classes": "govuk-fieldset__legend--m"}
S = {"classes": "govuk-fieldset__legend--s"}


def legend(size: dict) -> dict:
    """Parameters giving a radio or checkbox group a sized legend."""
    return {"fieldset": {"legend": dict(size)}}


class StepForm(VersionedForm):
    """A form on a case page; subclasses list their questions."""

    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {}
    submit = SubmitField("Save", widget=GovSubmitInput())

    def questions(self) -> list[Any]:
        """The fields a person answers, in order (not the hidden ones or the button)."""
        return [f for f in self if f.name not in {"csrf_token", "version", "submit"}]

    def params_for(self, name: str) -> dict[str, Any]:
        """GOV.UK parameters for a field (dates get a date-sized input unless told otherwise)."""
        params = dict(self.PARAMS.get(name, {}))
        if isinstance(self._fields.get(name), DateText):
            params.setdefault("classes", "govuk-input--width-10")
        return params

    def apply_errors(self, errors: dict[str, str]) -> None:
        """Put a service's messages on the matching fields (others go at the top of the page)."""
        for key, message in errors.items():
            target = self._fields.get(key)
            if target is not None and key not in {"csrf_token", "version", "submit"}:
                target.errors = [*target.errors, message]
            else:
                self.form_errors.append(message)
        self._errors = None


def _name(label: str, what: str, required: bool = True) -> StringField:
    validators: list[Any] = [MaxLength(120, label)]
    if required:
        validators.insert(0, Required(f"Enter {what}"))
    return StringField(label, widget=GovTextInput(), validators=validators)


def _email(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[MaxLength(254, label), EmailAddress()],
        render_kw={"spellcheck": "false"},
    )


def _phone(label: str) -> StringField:
    return StringField(label, widget=GovTextInput(), validators=[MaxLength(30, label)])


def _notes(label: str, what: str | None = None, hint: str | None = None) -> TextAreaField:
    validators: list[Any] = [MaxLength(NOTE_LIMIT, label)]
    if what:
        validators.insert(0, Required(f"Enter {what}"))
    return TextAreaField(label, widget=GovTextArea(), description=hint or "", validators=validators)


class EnquiryForm(StepForm):
    """Intake: who enquired, when and how, where they live and what they are interested in."""

    carer_type = RadioField(
        "What kind of foster carer are they enquiring about becoming?",
        widget=GovRadioInput(),
        choices=CARER_TYPE_CHOICES,
        description="Connected person means a relative, friend or other person connected with a specific child.",
        validators=[Required("Select what kind of foster carer they are enquiring about")],
    )
    enquiry_date = DateText(
        "Date of the enquiry", "the date of the enquiry", validators=[Required("Enter the date of the enquiry")]
    )
    enquiry_source = SelectField(
        "How did they get in touch?",
        widget=GovSelect(),
        choices=[SelectChoice("", "Select how they got in touch"), *SOURCE_CHOICES],
        validators=[Required("Select how they got in touch")],
    )
    applicant_1_name = _name("Full name", "the applicant's full name")
    applicant_1_date_of_birth = DateText("Date of birth (optional)", "the date of birth")
    applicant_1_email = _email("Email address")
    applicant_1_phone = _phone("Telephone number")
    applicant_2_name = _name("Full name (optional)", "", required=False)
    applicant_2_date_of_birth = DateText("Date of birth (optional)", "the second applicant's date of birth")
    applicant_2_email = _email("Email address (optional)")
    applicant_2_phone = _phone("Telephone number (optional)")
    address_line_1 = StringField("Address line 1", widget=GovTextInput(), validators=[MaxLength(200, "Address line 1")])
    address_line_2 = StringField(
        "Address line 2 (optional)", widget=GovTextInput(), validators=[MaxLength(200, "Address line 2")]
    )
    town = StringField("Town or city", widget=GovTextInput(), validators=[MaxLength(100, "Town or city")])
    postcode = StringField(
        "Postcode", widget=GovTextInput(), validators=[Required("Enter the postcode"), MaxLength(10, "Postcode")]
    )
    interests = SelectMultipleField(
        "What are they interested in?",
        widget=GovCheckboxesInput(),
        choices=INTEREST_CHOICES,
        description="Select all that apply.",
        validate_choice=True,
    )
    interest_age_from = NumberText("Youngest age (optional)", "the youngest age", 0, 17)
    interest_age_to = NumberText("Oldest age (optional)", "the oldest age", 0, 17)
    child_reference = StringField(
        "Child's reference (connected person only, optional)",
        widget=GovTextInput(),
        description="The child's case reference in the children's social care system. Do not enter their name.",
        validators=[MaxLength(60, "Child's reference")],
    )
    intake_worker = SelectField(
        "Social worker for first contact and the initial visit",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
    )
    submit = SubmitField("Save enquiry", widget=GovSubmitInput())

    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {
        "carer_type": legend(M),
        "interests": legend(S),
        "postcode": {"classes": "govuk-input--width-10", "autocomplete": "postal-code"},
        "enquiry_date": {"classes": "govuk-input--width-10"},
        "applicant_1_date_of_birth": {"classes": "govuk-input--width-10"},
        "applicant_2_date_of_birth": {"classes": "govuk-input--width-10"},
        "interest_age_from": {"classes": "govuk-input--width-3", "inputmode": "numeric"},
        "interest_age_to": {"classes": "govuk-input--width-3", "inputmode": "numeric"},
        "applicant_1_phone": {"classes": "govuk-input--width-20", "type": "tel", "autocomplete": "tel"},
        "applicant_2_phone": {"classes": "govuk-input--width-20", "type": "tel"},
        "applicant_1_email": {"type": "email", "autocomplete": "email"},
        "applicant_2_email": {"type": "email"},
    }


class DetailsForm(StepForm):
    """Correct the enquiry details."""

    carer_type = EnquiryForm.carer_type
    enquiry_date = EnquiryForm.enquiry_date
    enquiry_source = EnquiryForm.enquiry_source
    address_line_1 = EnquiryForm.address_line_1
    address_line_2 = EnquiryForm.address_line_2
    town = EnquiryForm.town
    postcode = EnquiryForm.postcode
    interests = EnquiryForm.interests
    interest_age_from = EnquiryForm.interest_age_from
    interest_age_to = EnquiryForm.interest_age_to
    submit = SubmitField("Save details", widget=GovSubmitInput())
    PARAMS = EnquiryForm.PARAMS


class ApplicantForm(StepForm):
    """Applicant 1 or 2."""

    name = _name("Full name", "the applicant's full name")
    date_of_birth = DateText("Date of birth (optional)", "the date of birth")
    email = _email("Email address")
    phone = _phone("Telephone number")
    submit = SubmitField("Save applicant", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {
        "date_of_birth": {"classes": "govuk-input--width-10"},
        "phone": {"classes": "govuk-input--width-20", "type": "tel"},
        "email": {"type": "email"},
    }


class MemberForm(StepForm):
    """Someone else in the household."""

    name = _name("Full name", "their full name")
    date_of_birth = DateText("Date of birth", "their date of birth", validators=[Required("Enter their date of birth")])
    relation = RadioField(
        "How are they related to the applicants?",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, label) for r, label in MEMBER_RELATION_LABELS.items()],
        validators=[Required("Select how they are related to the applicants")],
    )
    lives_there = RadioField(
        "Do they live in the household?",
        widget=GovRadioInput(),
        choices=YES_NO,
        default="yes",
        validators=[Required("Select yes if they live in the household")],
    )
    submit = SubmitField("Save household member", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {
        "date_of_birth": {"classes": "govuk-input--width-10"},
        "relation": legend(S),
        "lives_there": {**legend(S), "classes": "govuk-radios--inline"},
    }


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (remove, end)."""


class FirstContactForm(StepForm):
    contact_date = DateText(
        "Date of first contact", "the date of first contact", validators=[Required("Enter the date of first contact")]
    )
    submit = SubmitField("Save first contact", widget=GovSubmitInput())


class InitialVisitForm(StepForm):
    visit_date = DateText(
        "Date of the initial visit",
        "the date of the initial visit",
        validators=[Required("Enter the date of the initial visit")],
    )
    worker = SelectField("Social worker who visited", widget=GovSelect(), choices=[], validate_choice=False)
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices=[SelectChoice(o.value, o.label) for o in VisitOutcome],
        validators=[Required("Select the outcome of the initial visit")],
    )
    reason = _notes(
        "Why is the enquiry not progressing?",
        hint="Only if it is not progressing. The case will be closed.",
    )
    closed_reason = SelectField(
        "Reason to record for closing the case",
        widget=GovSelect(),
        choices=[SelectChoice("", "Select a reason"), *CLOSED_REASON_CHOICES],
        default="",
        description="Only if it is not progressing.",
    )
    submit = SubmitField("Save initial visit", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {
        "outcome": legend(S),
        "visit_date": {"classes": "govuk-input--width-10"},
    }


class ApplicationForm(StepForm):
    application_date = DateText(
        "Date the application was received",
        "the date the application was received",
        validators=[Required("Enter the date the application was received")],
    )
    submit = SubmitField("Save application", widget=GovSubmitInput())


class AllocationForm(StepForm):
    worker = RadioField(
        "Assessing social worker",
        widget=GovRadioInput(),
        choices=[],
        validators=[Required("Select the social worker to allocate the case to")],
    )
    allocated_date = DateText(
        "Date of allocation", "the date of allocation", validators=[Required("Enter the date of allocation")]
    )
    reason = _notes("Reason for reallocating (optional)")
    submit = SubmitField("Allocate case", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"worker": legend(M)}


class IntakeWorkerForm(StepForm):
    worker = RadioField(
        "Social worker for first contact and the initial visit",
        widget=GovRadioInput(),
        choices=[],
        validators=[Required("Select a social worker")],
    )
    submit = SubmitField("Assign enquiry", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"worker": legend(M)}


class CheckForm(StepForm):
    requested_date = DateText("Date requested", "the date the check was requested")
    received_date = DateText("Date received", "the date the check was received")
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices=[SelectChoice(o.value, label) for o, label in CHECK_OUTCOME_LABELS.items()],
        description="Choose 'Not applicable' for a check that does not apply, such as an ex-partner reference when there is none.",
        validate_choice=True,
        validators=[ValidateIf(lambda form: bool(form.outcome.data))],
    )
    notes = _notes("Notes (optional)")
    submit = SubmitField("Save check", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"outcome": legend(S)}


class AddCheckForm(StepForm):
    kind = SelectField(
        "Kind of check",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Select a kind of check"),
            *[SelectChoice(k.value, label) for k, label in CHECK_KIND_LABELS.items()],
        ],
        validators=[Required("Select the kind of check")],
    )
    subject = StringField(
        "Who or what is it about?",
        widget=GovTextInput(),
        description="For example, the referee's name.",
        validators=[Required("Enter who or what the check is about"), MaxLength(200, "Who or what it is about")],
    )
    submit = SubmitField("Add check", widget=GovSubmitInput())


class Stage1DecisionForm(StepForm):
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=[SelectChoice(d.value, d.label) for d in Stage1Decision],
        validators=[Required("Select the Stage 1 decision")],
    )
    decision_date = DateText(
        "Date of the decision", "the date of the decision", validators=[Required("Enter the date of the decision")]
    )
    reasons = _notes(
        "Reasons",
        hint="Required if not proceeding: the applicant must be told the reasons in writing. The case will be closed.",
    )
    submit = SubmitField("Save Stage 1 decision", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"decision": legend(M)}


class SessionForm(StepForm):
    session_date = DateText(
        "Date of the session", "the date of the session", validators=[Required("Enter the date of the session")]
    )
    kind = RadioField(
        "Kind of session",
        widget=GovRadioInput(),
        choices=[SelectChoice(k.value, label) for k, label in SESSION_KIND_LABELS.items()],
        validators=[Required("Select the kind of session")],
    )
    notes = _notes("Notes (optional)")
    submit = SubmitField("Add session", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"kind": legend(S)}


class Stage2Form(StepForm):
    preparation_training_date = DateText(
        "Date preparation training was completed (optional)", "the date preparation training was completed"
    )
    report_completed_date = DateText(
        "Date the assessment report was completed (optional)",
        "the date the report was completed",
        description="The Form F (or the brief report). For example, 27/3/2026",
    )
    submit = SubmitField("Save Stage 2 progress", widget=GovSubmitInput())


class BriefReportForm(StepForm):
    brief = RadioField(
        "Is a brief report going to panel instead of a full assessment?",
        widget=GovRadioInput(),
        choices=YES_NO,
        description="When the applicant looks unlikely to be suitable.",
        validators=[Required("Select yes if a brief report is going to panel")],
    )
    shared_date = DateText(
        "Date the brief report was shared with the applicant (optional)",
        "the date the brief report was shared",
        description="They have 10 working days to comment. For example, 27/3/2026",
    )
    submit = SubmitField("Save brief report", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"brief": legend(S)}


class PredictedPanelForm(StepForm):
    predicted_panel_date = DateText(
        "Predicted panel date",
        "the predicted panel date",
        description="Leave blank if not known yet. For example, 27/3/2026",
    )
    submit = SubmitField("Save predicted panel date", widget=GovSubmitInput())


class DelayForm(StepForm):
    reason = _notes("Reason for the delay", "the reason for the delay", hint="For example, bereavement in the family.")
    start_date = DateText(
        "Date the delay started",
        "the date the delay started",
        validators=[Required("Enter the date the delay started")],
    )
    end_date = DateText(
        "Date the delay ended (optional)",
        "the date the delay ended",
        description="Leave blank if it is still going on. For example, 27/3/2026",
    )
    submit = SubmitField("Save delay", widget=GovSubmitInput())


class EndDelayForm(StepForm):
    end_date = DateText(
        "Date the delay ended", "the date the delay ended", validators=[Required("Enter the date the delay ended")]
    )
    submit = SubmitField("Save end of delay", widget=GovSubmitInput())


class NoteForm(StepForm):
    text = _notes("Note", "the note")
    submit = SubmitField("Add note", widget=GovSubmitInput())


class CloseForm(StepForm):
    closed_date = DateText(
        "Date the case closed", "the date the case closed", validators=[Required("Enter the date the case closed")]
    )
    closed_reason = RadioField(
        "Reason",
        widget=GovRadioInput(),
        choices=CLOSED_REASON_CHOICES,
        validators=[Required("Select why the case closed")],
    )
    note = _notes("More detail (optional)")
    submit = SubmitField("Close case", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"closed_reason": legend(M)}


class PlacementForm(StepForm):
    child_reference = StringField(
        "Child's reference",
        widget=GovTextInput(),
        description="The child's case reference in the children's social care system. Do not enter their name.",
        validators=[Required("Enter the child's reference"), MaxLength(60, "Child's reference")],
    )
    placement_date = DateText(
        "Date the child was placed under a temporary approval (optional)",
        "the date the child was placed",
        description="Regulation 24. Leave blank if the child is not placed yet. For example, 27/3/2026",
    )
    submit = SubmitField("Save placement", widget=GovSubmitInput())


class ExtensionForm(StepForm):
    granted_date = DateText(
        "Date the extension was granted",
        "the date the extension was granted",
        validators=[Required("Enter the date the extension was granted")],
    )
    weeks = NumberText(
        "Length of the extension in weeks",
        "the length of the extension",
        1,
        52,
        description="Up to 8 weeks.",
        validators=[Required("Enter the length of the extension in weeks")],
    )
    nominated_officer = StringField(
        "Nominated officer who approved it",
        widget=GovTextInput(),
        validators=[Required("Enter the nominated officer's name"), MaxLength(120, "Nominated officer")],
    )
    panel_views_date = DateText(
        "Date the fostering panel's views were sought", "the date the panel's views were sought"
    )
    iro_informed_date = DateText("Date the child's IRO was told", "the date the IRO was told")
    submit = SubmitField("Save extension", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"weeks": {"classes": "govuk-input--width-3", "inputmode": "numeric"}}


class IrmForm(StepForm):
    pending = RadioField(
        "Is the temporary approval extended until an Independent Review Mechanism outcome is known?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[Required("Select yes if the approval is extended pending an IRM outcome")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
    PARAMS: ClassVar[dict[str, dict[str, Any]]] = {"pending": legend(S)}
