"""Every change to a case: validated against the shared rules, audited by the recorder, committed by the caller.

Each function takes the case and plain values, raises :class:`CaseValidationError` (messages keyed by
field) when the change is not allowed, and otherwise applies it, records a stage change when the case
moves on, and keeps the Stage 1 checklist in step with the household.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from carertrack.audit.recorder import current_actor
from carertrack.cases import rules, validation
from carertrack.cases.validation import CaseDates
from carertrack.extensions import db
from carertrack.models.case import (
    CarerType,
    Case,
    ClosedReason,
    EnquirySource,
    Stage,
    Stage1Decision,
    VisitOutcome,
)
from carertrack.models.case_records import (
    CaseAllocation,
    CaseApplicant,
    CaseMember,
    CaseNote,
    CheckKind,
    CheckOutcome,
    Delay,
    MemberRelation,
    Stage1Check,
    Stage2Session,
    StageChange,
)


class CaseValidationError(Exception):
    """The change was refused; ``errors`` maps a field name to a GOV.UK-style message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class CaseClosedError(Exception):
    """Work cannot be recorded on a closed case."""


def _check_dates(case: Case, today: date, **changes: Any) -> None:
    """Refuse the change if it introduces a date problem the case did not already have."""
    before = validation.date_errors(CaseDates.of(case), today)
    after = validation.date_errors(CaseDates.of(case, **changes), today)
    new = {key: message for key, message in after.items() if before.get(key) != message}
    if new:
        raise CaseValidationError(new)


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise CaseClosedError("This case is closed. Nothing can be changed except adding notes.")


def advance_stage(case: Case) -> None:
    """Move the case on to the furthest stage its facts reach, recording who and when."""
    target = rules.derived_stage(case)
    if target.order > case.stage.order:
        set_stage(case, target)


def set_stage(case: Case, stage: Stage) -> None:
    """Record a stage change (who, when) and move the case."""
    actor_id, actor_label = current_actor()
    change = StageChange(from_stage=case.stage, to_stage=stage, changed_by_id=actor_id, changed_by_label=actor_label)
    case.stage_changes.append(change)
    case.stage = stage


# --- Enquiry ---------------------------------------------------------------------------------------


@dataclass
class PersonValues:
    """An applicant's details."""

    name: str
    date_of_birth: date | None = None
    email: str | None = None
    phone: str | None = None


@dataclass
class EnquiryValues:
    """Everything the intake page collects."""

    carer_type: CarerType
    enquiry_date: date
    enquiry_source: EnquirySource
    applicant_1: PersonValues
    applicant_2: PersonValues | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    postcode: str | None = None
    interest_age_from: int | None = None
    interest_age_to: int | None = None
    interests: set[str] = field(default_factory=set)
    intake_worker_id: int | None = None
    child_reference: str | None = None
    reference: str | None = None


INTERESTS = ("siblings", "teenagers", "parent_and_child", "short_breaks")


def person_errors(person: PersonValues, prefix: str, today: date, *, contact_required: bool) -> dict[str, str]:
    """Problems with one applicant's details, keyed '<prefix>_<field>'."""
    errors: dict[str, str] = {}
    if message := validation.date_of_birth_error(person.date_of_birth, today):
        errors[f"{prefix}_date_of_birth"] = message
    if message := validation.phone_error(person.phone):
        errors[f"{prefix}_phone"] = message
    if contact_required and (message := validation.contact_error(person.email, person.phone)):
        errors.setdefault(f"{prefix}_email", message)
    return errors


def enquiry_errors(values: EnquiryValues, today: date) -> dict[str, str]:
    """Every problem with an enquiry: dates, postcode, contact details, the interest age range."""
    errors: dict[str, str] = {}
    if message := validation.future_error("enquiry_date", values.enquiry_date, today):
        errors["enquiry_date"] = message
    errors.update(person_errors(values.applicant_1, "applicant_1", today, contact_required=True))
    if values.applicant_2 is not None:
        errors.update(person_errors(values.applicant_2, "applicant_2", today, contact_required=False))
    if message := validation.postcode_error(values.postcode):
        errors["postcode"] = message
    low, high = values.interest_age_from, values.interest_age_to
    if low is not None and high is not None and high < low:
        errors["interest_age_to"] = "The oldest age must be the same as or more than the youngest age"
    return errors


def next_reference(year: int) -> str:
    """The next free reference for a year, like FC-2026-0042."""
    prefix = f"FC-{year}-"
    existing = db.session.scalars(select(Case.reference).where(Case.reference.like(f"{prefix}%"))).all()
    numbers = [int(ref[len(prefix) :]) for ref in existing if ref[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:04d}"


def reference_taken(reference: str) -> bool:
    """True when a case already has this reference."""
    return bool(db.session.scalar(select(func.count(Case.id)).where(Case.reference == reference)))


def create_enquiry(values: EnquiryValues, today: date | None = None) -> Case:
    """Open a case at the enquiry stage; the caller commits."""
    today = today or rules.today()
    errors = enquiry_errors(values, today)
    if values.reference and reference_taken(values.reference):
        errors["reference"] = "A case with this reference already exists"
    if errors:
        raise CaseValidationError(errors)
    case = Case(
        reference=values.reference or next_reference(today.year),
        carer_type=values.carer_type,
        stage=Stage.ENQUIRY,
        enquiry_date=values.enquiry_date,
        enquiry_source=values.enquiry_source,
        address_line_1=_clean(values.address_line_1),
        address_line_2=_clean(values.address_line_2),
        town=_clean(values.town),
        postcode=validation.normalise_postcode(values.postcode),
        interest_age_from=values.interest_age_from,
        interest_age_to=values.interest_age_to,
        interest_siblings="siblings" in values.interests,
        interest_teenagers="teenagers" in values.interests,
        interest_parent_and_child="parent_and_child" in values.interests,
        interest_short_breaks="short_breaks" in values.interests,
        intake_worker_id=values.intake_worker_id,
        child_reference=_clean(values.child_reference) if values.carer_type == CarerType.CONNECTED else None,
    )
    case.applicants.append(_applicant(1, values.applicant_1))
    if values.applicant_2 is not None and values.applicant_2.name:
        case.applicants.append(_applicant(2, values.applicant_2))
    db.session.add(case)
    actor_id, actor_label = current_actor()
    case.stage_changes.append(
        StageChange(from_stage=None, to_stage=Stage.ENQUIRY, changed_by_id=actor_id, changed_by_label=actor_label)
    )
    return case


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _applicant(position: int, person: PersonValues) -> CaseApplicant:
    return CaseApplicant(
        position=position,
        name=person.name.strip(),
        date_of_birth=person.date_of_birth,
        email=_clean(person.email),
        phone=_clean(person.phone),
    )


@dataclass
class DetailsValues:
    """The enquiry details that can be corrected later."""

    carer_type: CarerType
    enquiry_date: date
    enquiry_source: EnquirySource
    address_line_1: str | None
    address_line_2: str | None
    town: str | None
    postcode: str | None
    interest_age_from: int | None
    interest_age_to: int | None
    interests: set[str]


def update_details(case: Case, values: DetailsValues, today: date | None = None) -> None:
    """Correct the enquiry details: type, date, source, address and interests."""
    today = today or rules.today()
    _require_open(case)
    errors: dict[str, str] = {}
    if message := validation.postcode_error(values.postcode):
        errors["postcode"] = message
    if values.carer_type == CarerType.MAINSTREAM and case.placement_date is not None:
        errors["carer_type"] = "This case has a temporary approval, so it must stay a connected person case"
    low, high = values.interest_age_from, values.interest_age_to
    if low is not None and high is not None and high < low:
        errors["interest_age_to"] = "The oldest age must be the same as or more than the youngest age"
    try:
        _check_dates(case, today, enquiry_date=values.enquiry_date, carer_type=values.carer_type)
    except CaseValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise CaseValidationError(errors)
    case.carer_type = values.carer_type
    case.enquiry_date = values.enquiry_date
    case.enquiry_source = values.enquiry_source
    case.address_line_1 = _clean(values.address_line_1)
    case.address_line_2 = _clean(values.address_line_2)
    case.town = _clean(values.town)
    case.postcode = validation.normalise_postcode(values.postcode)
    case.interest_age_from = values.interest_age_from
    case.interest_age_to = values.interest_age_to
    case.interest_siblings = "siblings" in values.interests
    case.interest_teenagers = "teenagers" in values.interests
    case.interest_parent_and_child = "parent_and_child" in values.interests
    case.interest_short_breaks = "short_breaks" in values.interests


# --- People ----------------------------------------------------------------------------------------


def save_applicant(case: Case, position: int, person: PersonValues, today: date | None = None) -> CaseApplicant:
    """Change applicant 1 or 2's details, or add applicant 2; keeps the checklist in step."""
    today = today or rules.today()
    _require_open(case)
    errors = person_errors(person, "applicant", today, contact_required=position == 1)
    if errors:
        raise CaseValidationError({key.removeprefix("applicant_"): message for key, message in errors.items()})
    applicant = case.applicant(position)
    if applicant is None:
        applicant = _applicant(position, person)
        case.applicants.append(applicant)
    else:
        applicant.name = person.name.strip()
        applicant.date_of_birth = person.date_of_birth
        applicant.email = _clean(person.email)
        applicant.phone = _clean(person.phone)
    sync_checklist(case, today)
    return applicant


@dataclass
class MemberValues:
    """A household member's details."""

    name: str
    date_of_birth: date | None
    relation: MemberRelation
    lives_there: bool = True


def save_member(
    case: Case, values: MemberValues, member: CaseMember | None = None, today: date | None = None
) -> CaseMember:
    """Add or change a household member; the checklist gains their checks (a DBS when 18 or over)."""
    today = today or rules.today()
    _require_open(case)
    if message := validation.date_of_birth_error(values.date_of_birth, today):
        raise CaseValidationError({"date_of_birth": message})
    if member is None:
        member = CaseMember()
        case.members.append(member)
    member.name = values.name.strip()
    member.date_of_birth = values.date_of_birth
    member.relation = values.relation
    member.lives_there = values.lives_there
    sync_checklist(case, today)
    return member


def remove_member(case: Case, member: CaseMember, today: date | None = None) -> None:
    """Take someone off the household; their untouched checks go, checks with anything recorded stay."""
    today = today or rules.today()
    _require_open(case)
    for check in list(case.checks):
        if check.member_id == member.id:
            if check.touched:
                check.member_id = None
                check.subject = f"{check.subject} (no longer in the household)"[:200]
            else:
                case.checks.remove(check)
    case.members.remove(member)
    sync_checklist(case, today)


# --- Checklist ---------------------------------------------------------------------------------------


def checklist_started(case: Case) -> bool:
    """The checklist exists once the application is received."""
    return case.application_date is not None


def sync_checklist(case: Case, today: date | None = None) -> None:
    """Bring the Stage 1 checklist in line with the household: add what is needed, rename, drop untouched extras."""
    if not checklist_started(case):
        return
    today = today or rules.today()
    db.session.flush()  # new applicants and members need their ids
    plan = rules.plan_checklist(list(case.checks), rules.required_checks(case, today))
    for spec in plan.add:
        case.checks.append(
            Stage1Check(kind=spec.kind, subject=spec.subject, applicant_id=spec.applicant_id, member_id=spec.member_id)
        )
    for check, subject in plan.rename:
        check.subject = subject
    for check in plan.remove:
        case.checks.remove(check)


@dataclass
class CheckValues:
    """What is recorded on one Stage 1 check."""

    requested_date: date | None
    received_date: date | None
    outcome: CheckOutcome | None
    notes: str | None = None


def check_errors(values: CheckValues, case: Case, today: date) -> dict[str, str]:
    """A check's dates: in the past, received after requested, not before the enquiry."""
    errors: dict[str, str] = {}
    for key, value, what in (
        ("requested_date", values.requested_date, "The date the check was requested"),
        ("received_date", values.received_date, "The date the check was received"),
    ):
        if value is not None and value > today:
            errors[key] = f"{what} must be today or in the past"
        elif value is not None and case.enquiry_date and value < case.enquiry_date:
            errors[key] = f"{what} must be the same as or after the enquiry date"
    if (
        "received_date" not in errors
        and values.requested_date
        and values.received_date
        and values.received_date < values.requested_date
    ):
        errors["received_date"] = (
            "The date the check was received must be the same as or after the date it was requested"
        )
    if values.received_date and values.outcome is None:
        errors["outcome"] = "Select the outcome of the check"
    if values.outcome not in (None, CheckOutcome.NOT_APPLICABLE) and values.received_date is None:
        errors.setdefault("received_date", "Enter the date the check was received")
    return errors


def update_check(check: Stage1Check, values: CheckValues, today: date | None = None) -> None:
    """Record a check's dates and outcome; the case moves to Stage 1 when the first check is requested."""
    today = today or rules.today()
    case = check.case
    _require_open(case)
    if errors := check_errors(values, case, today):
        raise CaseValidationError(errors)
    check.requested_date = values.requested_date
    check.received_date = values.received_date
    check.outcome = values.outcome
    check.notes = _clean(values.notes)
    advance_stage(case)


def add_check(case: Case, kind: CheckKind, subject: str) -> Stage1Check:
    """Add a check by hand: a third reference, say, or something the household needs."""
    _require_open(case)
    if not checklist_started(case):
        raise CaseValidationError({"kind": "Record the date the application was received before adding checks"})
    check = Stage1Check(kind=kind, subject=subject.strip())
    case.checks.append(check)
    return check


# --- Steps -------------------------------------------------------------------------------------------


def record_first_contact(case: Case, contact_date: date, today: date | None = None) -> None:
    """The date someone first spoke to the enquirer."""
    today = today or rules.today()
    _require_open(case)
    _check_dates(case, today, first_contact_date=contact_date)
    case.first_contact_date = contact_date


@dataclass
class InitialVisitValues:
    """The initial visit and what it concluded."""

    visit_date: date
    worker_id: int | None
    outcome: VisitOutcome
    reason: str | None = None
    closed_reason: ClosedReason | None = None


def record_initial_visit(case: Case, values: InitialVisitValues, today: date | None = None) -> None:
    """Record the initial visit; a 'not progressing' outcome closes the case with the reason given."""
    today = today or rules.today()
    _require_open(case)
    errors: dict[str, str] = {}
    try:
        _check_dates(case, today, initial_visit_date=values.visit_date)
    except CaseValidationError as exc:
        errors["visit_date"] = next(iter(exc.errors.values()))
    if values.outcome == VisitOutcome.NOT_PROGRESSING:
        if not (values.reason or "").strip():
            errors["reason"] = "Enter why the enquiry is not progressing"
        if values.closed_reason is None:
            errors["closed_reason"] = "Select the reason to record for closing the case"
    if errors:
        raise CaseValidationError(errors)
    case.initial_visit_date = values.visit_date
    case.initial_visit_worker_id = values.worker_id
    case.initial_visit_outcome = values.outcome
    case.initial_visit_reason = _clean(values.reason)
    if values.worker_id and case.intake_worker_id is None:
        case.intake_worker_id = values.worker_id
    advance_stage(case)
    if values.outcome == VisitOutcome.NOT_PROGRESSING:
        close_case(case, values.visit_date, values.closed_reason, values.reason, today=today)  # type: ignore[arg-type]


def record_application(case: Case, application_date: date, today: date | None = None) -> None:
    """The formal application was received: starts the 8-month clock and the Stage 1 checklist."""
    today = today or rules.today()
    _require_open(case)
    _check_dates(case, today, application_date=application_date)
    case.application_date = application_date
    advance_stage(case)
    sync_checklist(case, today)


def allocate(case: Case, worker_id: int, allocated_date: date, reason: str | None, today: date | None = None) -> None:
    """Allocate (or reallocate) the case to an assessing social worker, keeping the history."""
    today = today or rules.today()
    _require_open(case)
    if case.allocated_worker_id == worker_id:
        raise CaseValidationError({"worker": "The case is already allocated to this social worker"})
    _check_dates(case, today, allocated_date=allocated_date)
    previous = case.allocations[-1].allocated_date if case.allocations else None
    if previous and allocated_date < previous:
        raise CaseValidationError(
            {"allocated_date": "The allocation date must be the same as or after the previous allocation"}
        )
    actor_id, _label = current_actor()
    case.allocations.append(
        CaseAllocation(
            worker_id=worker_id, allocated_date=allocated_date, reason=_clean(reason), recorded_by_id=actor_id
        )
    )
    case.allocated_worker_id = worker_id
    case.allocated_date = allocated_date
    advance_stage(case)


def set_intake_worker(case: Case, worker_id: int) -> None:
    """Choose who takes an enquiry through first contact and the initial visit."""
    _require_open(case)
    case.intake_worker_id = worker_id


def record_stage1_decision(
    case: Case, decision: Stage1Decision, decision_date: date, reasons: str | None, today: date | None = None
) -> None:
    """Proceed (every check received) or not (closes the case as unsuitable at Stage 1)."""
    today = today or rules.today()
    _require_open(case)
    errors: dict[str, str] = {}
    if message := validation.stage1_decision_error(decision, case.checks):
        errors["decision"] = message
    if decision == Stage1Decision.NOT_PROCEED and not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons for not proceeding: the applicant must be told them in writing"
    try:
        _check_dates(case, today, stage1_completed_date=decision_date)
    except CaseValidationError as exc:
        errors["decision_date"] = next(iter(exc.errors.values()))
    if errors:
        raise CaseValidationError(errors)
    case.stage1_decision = decision
    case.stage1_completed_date = decision_date
    case.stage1_decision_reasons = _clean(reasons)
    advance_stage(case)
    if decision == Stage1Decision.NOT_PROCEED:
        close_case(case, decision_date, ClosedReason.UNSUITABLE_STAGE1, reasons, today=today)


def add_session(
    case: Case, session_date: date, kind: Any, notes: str | None, today: date | None = None
) -> Stage2Session:
    """Record a Stage 2 visit or session (Stage 2 may run alongside Stage 1)."""
    today = today or rules.today()
    _require_open(case)
    if case.application_date is None:
        raise CaseValidationError(
            {"session_date": "Record the date the application was received before Stage 2 sessions"}
        )
    if session_date > today:
        raise CaseValidationError({"session_date": "The session date must be today or in the past"})
    if session_date < case.application_date:
        raise CaseValidationError(
            {"session_date": "The session date must be the same as or after the date the application was received"}
        )
    session = Stage2Session(session_date=session_date, kind=kind, notes=_clean(notes))
    case.sessions.append(session)
    advance_stage(case)
    return session


def record_stage2_progress(
    case: Case, preparation_training_date: date | None, report_completed_date: date | None, today: date | None = None
) -> None:
    """Preparation training attended and the Form F report completed (which makes the case ready for panel)."""
    today = today or rules.today()
    _require_open(case)
    if report_completed_date is not None and case.application_date is None:
        raise CaseValidationError({"report_completed_date": "Record the date the application was received first"})
    _check_dates(
        case,
        today,
        preparation_training_date=preparation_training_date,
        report_completed_date=report_completed_date,
    )
    case.preparation_training_date = preparation_training_date
    case.report_completed_date = report_completed_date
    advance_stage(case)


def record_brief_report(case: Case, brief: bool, shared_date: date | None, today: date | None = None) -> None:
    """The brief-report route: the applicant then has 10 working days to comment."""
    today = today or rules.today()
    _require_open(case)
    if not brief:
        shared_date = None
    if brief and case.application_date is None:
        raise CaseValidationError({"brief_report": "Record the date the application was received first"})
    _check_dates(case, today, brief_report_shared_date=shared_date)
    case.brief_report = brief
    case.brief_report_shared_date = shared_date


def set_predicted_panel_date(case: Case, predicted: date | None, today: date | None = None) -> None:
    """The panel date the worker expects the case to reach."""
    today = today or rules.today()
    _require_open(case)
    _check_dates(case, today, predicted_panel_date=predicted)
    case.predicted_panel_date = predicted


def add_delay(case: Case, reason: str, start: date, end: date | None, today: date | None = None) -> Delay:
    """Record a delay and the period it covers; the case's delay reason becomes this one."""
    today = today or rules.today()
    _require_open(case)
    errors: dict[str, str] = {}
    if start > today:
        errors["start_date"] = "The date the delay started must be today or in the past"
    if case.enquiry_date and start < case.enquiry_date:
        errors["start_date"] = "The date the delay started must be the same as or after the enquiry date"
    if end is not None and end < start:
        errors["end_date"] = "The date the delay ended must be the same as or after the date it started"
    if errors:
        raise CaseValidationError(errors)
    actor_id, _label = current_actor()
    delay = Delay(reason=reason.strip(), start_date=start, end_date=end, recorded_by_id=actor_id)
    case.delays.append(delay)
    case.delay_reason = delay.reason
    return delay


def end_delay(delay: Delay, end: date, today: date | None = None) -> None:
    """Record when a delay ended."""
    today = today or rules.today()
    _require_open(delay.case)
    if end > today:
        raise CaseValidationError({"end_date": "The date the delay ended must be today or in the past"})
    if end < delay.start_date:
        raise CaseValidationError(
            {"end_date": "The date the delay ended must be the same as or after the date it started"}
        )
    delay.end_date = end


def add_note(case: Case, text: str) -> CaseNote:
    """Add a case note, signed by whoever is acting. Allowed on closed cases too."""
    actor_id, actor_label = current_actor()
    note = CaseNote(text=text.strip(), author_id=actor_id, author_label=actor_label)
    case.notes.append(note)
    return note


def close_case(
    case: Case, closed_date: date, reason: ClosedReason, note: str | None, today: date | None = None
) -> None:
    """Close the case at whatever stage it reached, with a date and a reason."""
    today = today or rules.today()
    _require_open(case)
    _check_dates(case, today, closed_date=closed_date)
    case.closed_date = closed_date
    case.closed_reason = reason
    case.closed_note = _clean(note)


# --- Connected person: temporary approval --------------------------------------------------------------


def record_placement(
    case: Case, child_reference: str | None, placement_date: date | None, today: date | None = None
) -> None:
    """The child's reference and the date they were placed under a regulation 24 temporary approval."""
    today = today or rules.today()
    _require_open(case)
    if case.carer_type != CarerType.CONNECTED:
        raise CaseValidationError(
            {"placement_date": "A temporary approval can only be recorded on a connected person case"}
        )
    if placement_date is None and case.extension_granted_date is not None:
        raise CaseValidationError({"placement_date": "Enter the date the child was placed: this case has an extension"})
    _check_dates(case, today, placement_date=placement_date)
    case.child_reference = _clean(child_reference)
    case.placement_date = placement_date


@dataclass
class ExtensionValues:
    """The regulation 25 extension."""

    granted_date: date
    weeks: int | None
    nominated_officer: str
    panel_views_date: date | None
    iro_informed_date: date | None


def grant_extension(case: Case, values: ExtensionValues, today: date | None = None) -> None:
    """Record the one regulation 25 extension of up to 8 weeks."""
    today = today or rules.today()
    _require_open(case)
    if message := validation.second_extension_error(case):
        raise CaseValidationError({"granted_date": message})
    try:
        _check_dates(
            case,
            today,
            extension_granted_date=values.granted_date,
            extension_weeks=values.weeks,
            extension_panel_views_date=values.panel_views_date,
            extension_iro_informed_date=values.iro_informed_date,
        )
    except CaseValidationError as exc:
        rename = {
            "extension_granted_date": "granted_date",
            "extension_weeks": "weeks",
            "extension_panel_views_date": "panel_views_date",
            "extension_iro_informed_date": "iro_informed_date",
        }
        raise CaseValidationError({rename.get(k, k): v for k, v in exc.errors.items()}) from exc
    case.extension_granted_date = values.granted_date
    case.extension_weeks = values.weeks
    case.extension_nominated_officer = values.nominated_officer.strip()
    case.extension_panel_views_date = values.panel_views_date
    case.extension_iro_informed_date = values.iro_informed_date


def set_pending_irm(case: Case, pending: bool) -> None:
    """Mark the temporary approval as extended until an Independent Review Mechanism outcome is known."""
    _require_open(case)
    if pending and case.placement_date is None:
        raise CaseValidationError({"pending": "Record the date the child was placed first"})
    case.extension_pending_irm = pending
