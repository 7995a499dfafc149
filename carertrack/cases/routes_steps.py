"""The step forms: each records one piece of work on a case through a service."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from carertrack.access import get_or_404, require, roles
from carertrack.cases import queries, rules, services
from carertrack.cases.access import CASE_EDITORS
from carertrack.cases.blueprint import bp, case_url, load_case, run_step
from carertrack.cases.forms import (
    AddCheckForm,
    ApplicationForm,
    BriefReportForm,
    CheckForm,
    CloseForm,
    DelayForm,
    EndDelayForm,
    ExtensionForm,
    FirstContactForm,
    InitialVisitForm,
    IrmForm,
    NoteForm,
    PlacementForm,
    PredictedPanelForm,
    SessionForm,
    Stage1DecisionForm,
    Stage2Form,
)
from carertrack.cases.services import CaseValidationError
from carertrack.models.case import ClosedReason, Stage1Decision, VisitOutcome
from carertrack.models.case_records import CheckKind, CheckOutcome, Delay, SessionKind, Stage1Check
from carertrack.models.user import Role


def _worker_choices(include_blank: bool = True) -> list[SelectChoice]:
    choices = [SelectChoice(str(user.id), user.name) for user in queries.social_workers()]
    return ([SelectChoice("", "Select a social worker")] if include_blank else []) + choices


@bp.route("/<int:case_id>/first-contact", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def first_contact(case_id: int):
    """Record the date of first contact with the enquirer."""
    case = load_case(case_id, edit=True)
    form = FirstContactForm()

    def prefill() -> None:
        form.contact_date.data = case.first_contact_date

    return run_step(
        case,
        form,
        lambda: services.record_first_contact(case, form.contact_date.data),
        title="Record first contact",
        success="First contact recorded.",
        prefill=prefill,
        errors_map={"first_contact_date": "contact_date"},
    )


@bp.route("/<int:case_id>/initial-visit", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def initial_visit(case_id: int):
    """Record the initial visit and its outcome."""
    case = load_case(case_id, edit=True)
    form = InitialVisitForm()
    form.worker.choices = _worker_choices()

    def prefill() -> None:
        form.visit_date.data = case.initial_visit_date
        worker = case.initial_visit_worker_id or case.intake_worker_id
        if worker is None and current_user.role == Role.SOCIAL_WORKER:
            worker = current_user.id
        form.worker.data = str(worker) if worker else ""
        form.outcome.data = case.initial_visit_outcome.value if case.initial_visit_outcome else None
        form.reason.data = case.initial_visit_reason

    def save() -> None:
        valid_workers = {choice.value for choice in form.worker.choices if choice.value}
        if form.worker.data and form.worker.data not in valid_workers:
            raise CaseValidationError({"worker": "Select a social worker from the list"})
        services.record_initial_visit(
            case,
            services.InitialVisitValues(
                visit_date=form.visit_date.data,
                worker_id=int(form.worker.data) if form.worker.data else None,
                outcome=VisitOutcome(form.outcome.data),
                reason=form.reason.data,
                closed_reason=ClosedReason(form.closed_reason.data) if form.closed_reason.data else None,
            ),
        )

    return run_step(
        case, form, save, title="Record the initial visit", success="Initial visit recorded.", prefill=prefill
    )


@bp.route("/<int:case_id>/application", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def application(case_id: int):
    """Record the date the formal application was received: the 8-month clock starts."""
    case = load_case(case_id, edit=True)
    form = ApplicationForm()

    def prefill() -> None:
        form.application_date.data = case.application_date

    return run_step(
        case,
        form,
        lambda: services.record_application(case, form.application_date.data),
        title="Record the application",
        success="Application recorded. The 8-month clock has started and the Stage 1 checklist is ready.",
        prefill=prefill,
        intro="The 8-month timescale to the panel's recommendation starts on the date the application is received.",
    )


@bp.route("/<int:case_id>/checks/<int:check_id>", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def check(case_id: int, check_id: int):
    """Record a Stage 1 check's dates and outcome."""
    case = load_case(case_id, edit=True)
    item = get_or_404(Stage1Check, check_id)
    if item.case_id != case.id:
        abort(404)
    form = CheckForm()

    def prefill() -> None:
        form.requested_date.data = item.requested_date
        form.received_date.data = item.received_date
        form.outcome.data = item.outcome.value if item.outcome else None
        form.notes.data = item.notes

    def save() -> None:
        services.update_check(
            item,
            services.CheckValues(
                requested_date=form.requested_date.data,
                received_date=form.received_date.data,
                outcome=CheckOutcome(form.outcome.data) if form.outcome.data else None,
                notes=form.notes.data,
            ),
        )

    return run_step(
        case,
        form,
        save,
        title=item.title,
        success=f"{item.title} saved.",
        prefill=prefill,
        record=item,
        anchor="stage1",
    )


@bp.route("/<int:case_id>/checks/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def add_check(case_id: int):
    """Add a check by hand (another reference, say)."""
    case = load_case(case_id, edit=True)
    form = AddCheckForm()
    return run_step(
        case,
        form,
        lambda: services.add_check(case, CheckKind(form.kind.data), form.subject.data),
        title="Add a Stage 1 check",
        success="Check added.",
        versioned=False,
        anchor="stage1",
    )


@bp.route("/<int:case_id>/stage1-decision", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def stage1_decision(case_id: int):
    """Proceed to Stage 2, or not (the case closes)."""
    case = load_case(case_id, edit=True)
    form = Stage1DecisionForm()

    def prefill() -> None:
        form.decision.data = case.stage1_decision.value if case.stage1_decision else None
        form.decision_date.data = case.stage1_completed_date
        form.reasons.data = case.stage1_decision_reasons

    return run_step(
        case,
        form,
        lambda: services.record_stage1_decision(
            case, Stage1Decision(form.decision.data), form.decision_date.data, form.reasons.data
        ),
        title="Record the Stage 1 decision",
        success="Stage 1 decision recorded.",
        prefill=prefill,
        template="cases/stage1_decision.html",
        outstanding=rules.outstanding_checks(case.checks),
        references_received=rules.references_received(case.checks),
    )


@bp.route("/<int:case_id>/sessions/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def add_session(case_id: int):
    """Record a Stage 2 visit or session."""
    case = load_case(case_id, edit=True)
    form = SessionForm()
    return run_step(
        case,
        form,
        lambda: services.add_session(case, form.session_date.data, SessionKind(form.kind.data), form.notes.data),
        title="Add a Stage 2 session",
        success="Stage 2 session added.",
        versioned=False,
        anchor="stage2",
    )


@bp.route("/<int:case_id>/stage2", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def stage2(case_id: int):
    """Preparation training and the assessment report."""
    case = load_case(case_id, edit=True)
    form = Stage2Form()

    def prefill() -> None:
        form.preparation_training_date.data = case.preparation_training_date
        form.report_completed_date.data = case.report_completed_date

    return run_step(
        case,
        form,
        lambda: services.record_stage2_progress(
            case, form.preparation_training_date.data, form.report_completed_date.data
        ),
        title="Record Stage 2 progress",
        success="Stage 2 progress saved.",
        prefill=prefill,
        anchor="stage2",
    )


@bp.route("/<int:case_id>/brief-report", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def brief_report(case_id: int):
    """The brief-report route for an applicant who looks unlikely to be suitable."""
    case = load_case(case_id, edit=True)
    form = BriefReportForm()

    def prefill() -> None:
        form.brief.data = "yes" if case.brief_report else "no"
        form.shared_date.data = case.brief_report_shared_date

    return run_step(
        case,
        form,
        lambda: services.record_brief_report(case, form.brief.data == "yes", form.shared_date.data),
        title="Brief report",
        success="Brief report saved.",
        prefill=prefill,
        anchor="stage2",
    )


@bp.route("/<int:case_id>/predicted-panel-date", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def predicted_panel_date(case_id: int):
    """The panel date the worker expects the case to reach."""
    case = load_case(case_id, edit=True)
    form = PredictedPanelForm()

    def prefill() -> None:
        form.predicted_panel_date.data = case.predicted_panel_date

    return run_step(
        case,
        form,
        lambda: services.set_predicted_panel_date(case, form.predicted_panel_date.data),
        title="Predicted panel date",
        success="Predicted panel date saved.",
        prefill=prefill,
        intro=(
            "A case is at risk when its predicted or booked panel date is after its deadline, "
            "or when no panel date is set and the deadline is close."
        ),
    )


@bp.route("/<int:case_id>/delays/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def add_delay(case_id: int):
    """Record a delay and the period it covers."""
    case = load_case(case_id, edit=True)
    form = DelayForm()
    return run_step(
        case,
        form,
        lambda: services.add_delay(case, form.reason.data, form.start_date.data, form.end_date.data),
        title="Record a delay",
        success="Delay recorded.",
        versioned=False,
        anchor="delays",
    )


@bp.route("/<int:case_id>/delays/<int:delay_id>/end", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def end_delay(case_id: int, delay_id: int):
    """Record when a delay ended."""
    case = load_case(case_id, edit=True)
    delay = get_or_404(Delay, delay_id)
    require(delay.case_id == case.id)
    form = EndDelayForm()
    return run_step(
        case,
        form,
        lambda: services.end_delay(delay, form.end_date.data),
        title="Record the end of a delay",
        success="Delay updated.",
        versioned=False,
        anchor="delays",
        intro=f"Delay: {delay.reason}",
    )


@bp.route("/<int:case_id>/notes/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def add_note(case_id: int):
    """Add a case note (allowed on closed cases too)."""
    case = load_case(case_id, edit=True, closed_ok=True)
    form = NoteForm()
    return run_step(
        case,
        form,
        lambda: services.add_note(case, form.text.data),
        title="Add a case note",
        success="Note added.",
        versioned=False,
        anchor="notes",
    )


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def close(case_id: int):
    """Close the case at whatever stage it reached."""
    case = load_case(case_id, edit=True)
    form = CloseForm()
    return run_step(
        case,
        form,
        lambda: services.close_case(case, form.closed_date.data, ClosedReason(form.closed_reason.data), form.note.data),
        title="Close the case",
        success="Case closed.",
        intro="Closing stops every clock. The case stays on record; you can still add notes.",
    )


@bp.route("/<int:case_id>/placement", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def placement(case_id: int):
    """A connected case: the child's reference and the regulation 24 placement date."""
    case = load_case(case_id, edit=True)
    form = PlacementForm()

    def prefill() -> None:
        form.child_reference.data = case.child_reference
        form.placement_date.data = case.placement_date

    return run_step(
        case,
        form,
        lambda: services.record_placement(case, form.child_reference.data, form.placement_date.data),
        title="Child and temporary approval",
        success="Temporary approval details saved.",
        prefill=prefill,
        anchor="connected",
        intro="A temporary approval lasts at most 16 weeks from the date the child was placed (regulation 24).",
    )


@bp.route("/<int:case_id>/extension", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def extension(case_id: int):
    """The one regulation 25 extension of up to 8 weeks."""
    case = load_case(case_id, edit=True)
    form = ExtensionForm()
    if request.method == "GET" and case.extension_granted_date is not None:
        flash("This case already has an extension. Regulation 25 allows only one extension of up to 8 weeks.")
        return redirect(case_url(case, "connected"))
    return run_step(
        case,
        form,
        lambda: services.grant_extension(
            case,
            services.ExtensionValues(
                granted_date=form.granted_date.data,
                weeks=form.weeks.data,
                nominated_officer=form.nominated_officer.data,
                panel_views_date=form.panel_views_date.data,
                iro_informed_date=form.iro_informed_date.data,
            ),
        ),
        title="Record the regulation 25 extension",
        success="Extension recorded.",
        anchor="connected",
        intro=(
            "One extension of up to 8 weeks, approved by a nominated officer after seeking the fostering "
            "panel's views and telling the child's independent reviewing officer (regulation 25)."
        ),
    )


@bp.route("/<int:case_id>/irm", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def irm(case_id: int):
    """Mark a temporary approval as extended until an IRM outcome is known."""
    case = load_case(case_id, edit=True)
    form = IrmForm()

    def prefill() -> None:
        form.pending.data = "yes" if case.extension_pending_irm else "no"

    return run_step(
        case,
        form,
        lambda: services.set_pending_irm(case, form.pending.data == "yes"),
        title="Pending an Independent Review Mechanism outcome",
        success="Saved.",
        prefill=prefill,
        anchor="connected",
    )
