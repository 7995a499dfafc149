"""Forms for agenda items: booking, moving, papers, conflicts, outcomes, decisions and determinations."""

from __future__ import annotations

from typing import Any

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
from wtforms.validators import Optional, ValidationError

from carertrack.concurrency import VersionedForm
from carertrack.form_fields import DateText, NotBefore, NotInFuture, NumberText
from carertrack.models.household import PlacementType
from carertrack.models.panel_agenda import Decision, FinalDecision, ItemKind, Recommendation
from carertrack.panels import rules
from carertrack.validators import MaxLength, Required, ValidateIf

NOT_IN_FUTURE = "{what} must be today or in the past"


def _reason(label: str, message: str, **kwargs: Any) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[Required(message), MaxLength(2000, label.split("?")[0])],
        **kwargs,
    )


class BookingForm(VersionedForm):
    """Put a case or household on a meeting's agenda."""

    kind = RadioField(
        "What is the panel asked to consider?",
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, kind.label) for kind in ItemKind],
        validators=[Required("Select what the panel is asked to consider")],
    )
    case_id = SelectField(
        "Case",
        widget=GovSelect(),
        coerce=str,
        description="For approvals, brief reports and regulation 25 extensions.",
        validators=[
            ValidateIf(
                lambda form: form.kind.data in {k.value for k in ItemKind if k.about_case},
                Required("Select the case"),
            )
        ],
    )
    household_id = SelectField(
        "Approved household",
        widget=GovSelect(),
        coerce=str,
        description="For reviews, changes of terms and terminations.",
        validators=[
            ValidateIf(
                lambda form: form.kind.data in {k.value for k in ItemKind if not k.about_case},
                Required("Select the approved household"),
            )
        ],
    )
    presenter_id = SelectField(
        "Presenting social worker",
        widget=GovSelect(),
        coerce=str,
        validators=[Required("Select the presenting social worker")],
    )
    papers_received_on = DateText(
        "Date the papers reached panel members (optional)",
        "the date the papers reached panel members",
        validators=[NotInFuture(NOT_IN_FUTURE.format(what="The date the papers reached panel members"))],
    )
    notes = TextAreaField(
        "Notes for the agenda (optional)",
        widget=GovTextArea(),
        validators=[MaxLength(2000, "Notes")],
    )
    over_capacity_reason = TextAreaField(
        "Reason for booking over capacity",
        widget=GovTextArea(),
        description="Only needed when the meeting is full.",
        validators=[MaxLength(2000, "Reason for booking over capacity")],
    )
    submit = SubmitField("Add to agenda", widget=GovSubmitInput())


class MoveForm(VersionedForm):
    """Move an item to another meeting, saying why."""

    meeting_id = SelectField(
        "Move to", widget=GovSelect(), coerce=str, validators=[Required("Select the meeting to move the item to")]
    )
    reason = _reason("Why is the item moving?", "Enter why the item is moving")
    over_capacity_reason = TextAreaField(
        "Reason for booking over capacity",
        widget=GovTextArea(),
        description="Only needed when the meeting you are moving it to is full.",
        validators=[MaxLength(2000, "Reason for booking over capacity")],
    )
    submit = SubmitField("Move item", widget=GovSubmitInput())


class WithdrawForm(VersionedForm):
    """Take an item off the agenda."""

    reason = _reason("Why is the item coming off the agenda?", "Enter why the item is coming off the agenda")
    submit = SubmitField("Take off the agenda", widget=GovSubmitInput())


class PapersForm(VersionedForm):
    """When the papers reached panel members."""

    papers_received_on = DateText(
        "Date the papers reached panel members",
        "the date the papers reached panel members",
        description="Leave blank if they have not been sent. For example, 27/3/2026",
        validators=[NotInFuture(NOT_IN_FUTURE.format(what="The date the papers reached panel members"))],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConflictForm(VersionedForm):
    """A member's declared conflict of interest on an item."""

    member_id = SelectField(
        "Panel member", widget=GovSelect(), coerce=str, validators=[Required("Select the panel member")]
    )
    note = _reason("What is the conflict of interest?", "Enter the conflict of interest")
    submit = SubmitField("Record conflict of interest", widget=GovSubmitInput())


def _approving(form: Any) -> bool:
    return form.recommendation.data == Recommendation.APPROVE.value and form.kind in rules.TERMS_KINDS


class OutcomeForm(VersionedForm):
    """The panel's recommendation and the date the minutes arrived. `kind` is set by the route."""

    recommendation = RadioField(
        "The panel's recommendation",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.value) for r in Recommendation],
        validators=[Required("Select the panel's recommendation")],
    )
    approved_places = NumberText(
        "Number of children",
        "the number of children",
        minimum=1,
        maximum=10,
        validators=[ValidateIf(_approving, Required("Enter the number of children in the terms of approval"))],
    )
    age_from = NumberText(
        "Youngest age (years)",
        "the youngest age",
        minimum=0,
        maximum=17,
        validators=[ValidateIf(_approving, Required("Enter the youngest age in the terms of approval"))],
    )
    age_to = NumberText(
        "Oldest age (years)",
        "the oldest age",
        minimum=0,
        maximum=20,
        validators=[ValidateIf(_approving, Required("Enter the oldest age in the terms of approval"))],
    )
    placement_types = SelectMultipleField(
        "Placement types",
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(t.value, t.label) for t in PlacementType],
        coerce=str,
        validators=[ValidateIf(_approving, Required("Select at least one placement type"))],
    )
    defer_reason = TextAreaField(
        "Why did the panel defer?",
        widget=GovTextArea(),
        validators=[
            ValidateIf(
                lambda form: form.recommendation.data == Recommendation.DEFER.value,
                Required("Enter why the panel deferred"),
            ),
            MaxLength(2000, "The reason"),
        ],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[MaxLength(2000, "Notes")])
    minutes_received_on = DateText(
        "Date the final minutes were received (optional)",
        "the date the final minutes were received",
        description="The decision maker's 7 working days start from the later of this and the recommendation.",
        validators=[NotInFuture(NOT_IN_FUTURE.format(what="The date the final minutes were received"))],
    )
    submit = SubmitField("Save outcome", widget=GovSubmitInput())

    def __init__(self, kind: ItemKind, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.recommendation.choices = [
            SelectChoice(r.value, rules.recommendation_label(kind, r)) for r in Recommendation
        ]

    def validate_age_to(self, field: Any) -> None:
        if _approving(self) and field.data is not None and self.age_from.data is not None:
            if field.data < self.age_from.data:
                raise ValidationError("The oldest age must be the same as or more than the youngest age")


class DecisionForm(VersionedForm):
    """The agency decision maker's decision. `kind` is set by the route."""

    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=[SelectChoice(d.value, d.value) for d in Decision],
        validators=[Required("Select the decision")],
    )
    decided_on = DateText(
        "Date of the decision",
        "the date of the decision",
        validators=[
            Required("Enter the date of the decision"),
            NotInFuture(NOT_IN_FUTURE.format(what="The date of the decision")),
        ],
    )
    decision_maker = StringField(
        "Agency decision maker",
        widget=GovTextInput(),
        validators=[Required("Enter the name of the agency decision maker"), MaxLength(120, "The name")],
    )
    extension_weeks = NumberText(
        "Length of the extension (weeks)",
        "the length of the extension",
        minimum=1,
        maximum=8,
        description="Up to 8 weeks (regulation 25).",
        validators=[
            ValidateIf(
                lambda form: form.kind is ItemKind.REG25_EXTENSION and form.decision.data == Decision.APPROVED.value,
                Required("Enter the length of the extension in weeks"),
            )
        ],
    )
    letter_date = DateText(
        "Date of the decision letter (optional)",
        "the date of the decision letter",
        description="For a refusal, termination or change of terms: the 28 days for representations or an IRM "
        "application start from this date.",
        validators=[
            NotBefore("decided_on", "The letter date must be the same as or after the decision"),
            NotInFuture(NOT_IN_FUTURE.format(what="The date of the decision letter")),
        ],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[MaxLength(2000, "Notes")])
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def __init__(self, kind: ItemKind, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.decision.choices = [SelectChoice(d.value, rules.decision_label(kind, d)) for d in Decision]


class DeterminationForm(VersionedForm):
    """The 28-day window: the letter, representations, an IRM application and the final decision."""

    letter_date = DateText(
        "Date of the decision letter",
        "the date of the decision letter",
        validators=[NotInFuture(NOT_IN_FUTURE.format(what="The date of the decision letter"))],
    )
    representations_received_on = DateText(
        "Date representations were received (optional)",
        "the date representations were received",
        validators=[
            NotBefore("letter_date", "Representations must be received on or after the letter date"),
            NotInFuture(NOT_IN_FUTURE.format(what="The date representations were received")),
        ],
    )
    irm_applied_on = DateText(
        "Date of the application to the Independent Review Mechanism (optional)",
        "the date of the IRM application",
        validators=[
            NotBefore("letter_date", "The IRM application must be on or after the letter date"),
            NotInFuture(NOT_IN_FUTURE.format(what="The date of the IRM application")),
        ],
    )
    final_decision = RadioField(
        "Final decision (optional)",
        widget=GovRadioInput(),
        choices=[SelectChoice(f.value, f.label) for f in FinalDecision],
        validators=[Optional()],
    )
    final_decision_date = DateText(
        "Date of the final decision",
        "the date of the final decision",
        validators=[
            ValidateIf(lambda form: bool(form.final_decision.data), Required("Enter the date of the final decision")),
            NotBefore("letter_date", "The final decision must be on or after the letter date"),
            NotInFuture(NOT_IN_FUTURE.format(what="The date of the final decision")),
        ],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[MaxLength(2000, "Notes")])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_letter_date(self, field: Any) -> None:
        if self.final_decision.data and field.data is None and not field.errors:
            raise ValidationError("Enter the date of the letter before recording the final decision")
