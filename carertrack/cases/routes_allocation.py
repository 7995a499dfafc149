"""Allocation and reallocation by managers, with each social worker's current caseload."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from carertrack.access import roles
from carertrack.cases import queries, services
from carertrack.cases.access import ALLOCATORS
from carertrack.cases.blueprint import bp, load_case, run_step
from carertrack.cases.forms import AllocationForm, IntakeWorkerForm
from carertrack.cases.services import CaseValidationError
from carertrack.dates import today


def _load_label(name: str, load: dict[str, int]) -> str:
    cases = load["allocated"]
    enquiries = load["enquiries"]
    return (
        f"{name} ({cases} case{'s' if cases != 1 else ''} allocated, "
        f"{enquiries} enquir{'ies' if enquiries != 1 else 'y'})"
    )


@bp.route("/<int:case_id>/allocate", methods=["GET", "POST"])
@roles(*ALLOCATORS)
def allocate(case_id: int):
    """Allocate the assessment (after the application), or choose the enquiry's worker (before it)."""
    case = load_case(case_id, edit=True)
    workers = queries.social_workers()
    loads = queries.caseloads()
    empty = {"allocated": 0, "enquiries": 0}
    choices = [SelectChoice(str(w.id), _load_label(w.name, loads.get(w.id, empty))) for w in workers]
    context = {"workers": workers, "loads": loads, "empty_load": empty}
    if case.application_date is None:
        intake_form = IntakeWorkerForm()
        intake_form.worker.choices = choices

        def prefill_intake() -> None:
            intake_form.worker.data = str(case.intake_worker_id) if case.intake_worker_id else None

        def save_intake() -> None:
            worker_id = _chosen(intake_form.worker.data, workers)
            services.set_intake_worker(case, worker_id)

        return run_step(
            case,
            intake_form,
            save_intake,
            title="Assign the enquiry",
            success="Enquiry assigned.",
            prefill=prefill_intake,
            template="cases/allocate.html",
            **context,
        )
    form = AllocationForm()
    form.worker.choices = choices

    def prefill() -> None:
        form.worker.data = str(case.allocated_worker_id) if case.allocated_worker_id else None
        form.allocated_date.data = today()

    def save() -> None:
        services.allocate(case, _chosen(form.worker.data, workers), form.allocated_date.data, form.reason.data)

    return run_step(
        case,
        form,
        save,
        title="Reallocate the case" if case.allocated_worker_id else "Allocate the case",
        success="Case allocated.",
        prefill=prefill,
        template="cases/allocate.html",
        **context,
    )


def _chosen(value: str | None, workers: list) -> int:
    ids = {str(w.id): w.id for w in workers}
    if not value or value not in ids:
        raise CaseValidationError({"worker": "Select a social worker from the list"})
    return ids[value]
