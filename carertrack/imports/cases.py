"""The `cases` import: one row per prospective carer, at whatever stage they reached.

Date sequences are checked by the same function the case pages use (carertrack.cases.validation);
the allocated worker must be a social worker, as on the allocation page; a decision of `approved`
creates the household through the panel journey's own function. An existing case (matched by
reference) whose row says exactly what CarerTrack holds is left unchanged; any difference is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from carertrack.audit.recorder import current_actor
from carertrack.cases import queries as case_queries
from carertrack.cases import rules, validation
from carertrack.cases.validation import CaseDates
from carertrack.extensions import db
from carertrack.imports.base import (
    CREATE,
    UNCHANGED,
    WRITE_BATCH,
    Importer,
    Progress,
    RowPlan,
    chunks,
    collection_between_batches,
    differences,
    listed,
    number_new_records,
)
from carertrack.imports.columns import Column, RowError, a_date, one_of, text, yes_no
from carertrack.models.case import (
    STOPPING_RECOMMENDATIONS,
    CarerType,
    Case,
    CaseDecision,
    ClosedReason,
    EnquirySource,
    PanelRecommendation,
    Stage1Decision,
)
from carertrack.models.case_records import CaseAllocation, CaseApplicant, StageChange
from carertrack.models.household import Household
from carertrack.models.user import User

# A spreadsheet says only that the regulation 25 extension was granted, not for how long: the import
# records the longest it can be (8 weeks), so the clock never shows a breach the service did not have.
IMPORTED_EXTENSION_WEEKS = 8
ALLOCATION_REASON = "Recorded by spreadsheet import"

COLUMNS = (
    Column("reference", "the case reference", text(40), required=True),
    Column("carer_type", "the carer type", one_of(CarerType), required=True),
    Column("applicant_1_name", "the name of applicant 1", text(120), required=True),
    Column("applicant_2_name", "the name of applicant 2", text(120)),
    Column("enquiry_date", "the enquiry date", a_date()),
    Column("enquiry_source", "the enquiry source", one_of(EnquirySource)),
    Column("initial_visit_date", "the initial visit date", a_date()),
    Column("application_date", "the date the application was received", a_date()),
    Column("allocated_date", "the allocation date", a_date()),
    Column("allocated_worker", "the allocated worker's email address", text(254)),
    Column("temporary_approval_date", "the temporary approval date", a_date()),
    Column("extension_granted", "extension granted", yes_no()),
    Column("stage1_completed_date", "the Stage 1 completion date", a_date()),
    Column("predicted_panel_date", "the predicted panel date", a_date()),
    Column("panel_date", "the panel date", a_date()),
    Column("panel_recommendation", "the panel recommendation", one_of(PanelRecommendation)),
    Column("decision_date", "the decision date", a_date()),
    Column("decision", "the decision", one_of(CaseDecision)),
    Column("closed_date", "the closure date", a_date()),
    Column("closed_reason", "the closure reason", one_of(ClosedReason)),
    Column("delay_reason", "the delay reason", text(2000)),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)

# The case pages' field names where they differ from the import's column names.
COLUMN_FOR_FIELD = {
    "placement_date": "temporary_approval_date",
    "extension_granted_date": "extension_granted",
    "extension_weeks": "extension_granted",
    "recommendation_date": "panel_date",
}
CLOSED_REASONS = ", ".join(reason.value for reason in ClosedReason)


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """The row as it compares with a stored case: 'no extension' and a blank both mean none recorded."""
    row = dict(values)
    row["extension_granted"] = True if values.get("extension_granted") else None
    if row.get("allocated_worker"):
        row["allocated_worker"] = row["allocated_worker"].lower()
    return row


def stored_values(case: Case) -> dict[str, Any]:
    """A stored case in the import's columns, to compare a row with."""
    first, second = case.applicant(1), case.applicant(2)
    has_extension = case.extension_weeks is not None or case.extension_granted_date is not None
    return {
        "reference": case.reference,
        "carer_type": case.carer_type.value,
        "applicant_1_name": first.name if first else None,
        "applicant_2_name": second.name if second else None,
        "enquiry_date": case.enquiry_date,
        "enquiry_source": case.enquiry_source.value if case.enquiry_source else None,
        "initial_visit_date": case.initial_visit_date,
        "application_date": case.application_date,
        "allocated_date": case.allocated_date,
        "allocated_worker": case.allocated_worker.email.lower() if case.allocated_worker else None,
        "temporary_approval_date": case.placement_date,
        "extension_granted": True if has_extension else None,
        "stage1_completed_date": case.stage1_completed_date,
        "predicted_panel_date": case.predicted_panel_date,
        "panel_date": case.panel_date,
        "panel_recommendation": case.panel_recommendation.value if case.panel_recommendation else None,
        "decision_date": case.decision_date,
        "decision": case.decision.value if case.decision else None,
        "closed_date": case.closed_date,
        "closed_reason": case.closed_reason.value if case.closed_reason else None,
        "delay_reason": case.delay_reason,
    }


def case_dates(values: dict[str, Any]) -> CaseDates:
    """The row's dates in the shape the case pages check."""
    recommended = values["panel_recommendation"] is not None
    return CaseDates(
        carer_type=CarerType(values["carer_type"]) if values["carer_type"] else None,
        enquiry_date=values["enquiry_date"],
        initial_visit_date=values["initial_visit_date"],
        application_date=values["application_date"],
        allocated_date=values["allocated_date"],
        stage1_completed_date=values["stage1_completed_date"],
        placement_date=values["temporary_approval_date"],
        extension_weeks=IMPORTED_EXTENSION_WEEKS if values["extension_granted"] else None,
        predicted_panel_date=values["predicted_panel_date"],
        panel_date=values["panel_date"],
        recommendation_date=values["panel_date"] if recommended else None,
        decision_date=values["decision_date"],
        closed_date=values["closed_date"],
    )


class CasesImport(Importer):
    """Cases, with their applicants, allocation and, for approved decisions, the approved household."""

    kind = "cases"
    columns = COLUMNS
    record_names: ClassVar[dict[str, tuple[str, str]]] = {
        "cases": ("case", "cases"),
        "households": ("approved household", "approved households"),
    }

    def load(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        references = sorted({values["reference"] for _, values in rows if values["reference"]})
        self.existing: dict[str, Case] = {}
        for chunk in chunks(references):
            for case in db.session.scalars(select(Case).where(Case.reference.in_(chunk))):
                self.existing[case.reference] = case
        self.households: set[str] = set()
        upper = sorted({reference.upper() for reference in references})
        for chunk in chunks(upper):
            statement = select(Household.reference).where(func.upper(Household.reference).in_(chunk))
            self.households.update(reference.upper() for reference in db.session.scalars(statement))
        self.users = {user.email.lower(): user for user in db.session.scalars(select(User))}
        self.workers = {user.email.lower(): user for user in case_queries.social_workers(include_inactive=True)}
        self.seen: dict[str, int] = {}

    def check(self, row: int, values: dict[str, Any], unreadable: set[str]) -> tuple[list[RowError], RowPlan | None]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            if column not in unreadable:
                errors.append(RowError(row, column, message))

        reference = values["reference"]
        if reference is not None:
            if reference in self.seen:
                error(
                    "reference",
                    f"The reference {reference} is also on row {self.seen[reference]}. Put each case on one row",
                )
            else:
                self.seen[reference] = row
        worker = self._worker(values["allocated_worker"], error)
        for key, message in validation.date_errors(case_dates(values), self.today).items():
            error(COLUMN_FOR_FIELD.get(key, key), message)
        self._check_outcomes(values, error)
        if errors or unreadable:
            return errors, None
        existing = self.existing.get(reference)
        if existing is not None:
            changed = differences(stored_values(existing), _normalised(values), COLUMN_NAMES)
            if changed:
                error(
                    "reference",
                    f"A case with reference {reference} is already in CarerTrack with different details: "
                    f"{listed(changed)}. The import never changes a case: correct the row, or remove it",
                )
                return errors, None
            return errors, RowPlan(row, UNCHANGED, f"Case {reference} is already in CarerTrack")
        approved = values["decision"] == CaseDecision.APPROVED.value
        if approved and reference.upper() in self.households:
            error(
                "decision",
                f"A household with reference {reference} already exists, so approving this case cannot create it. "
                "Remove that household's row from the households import, or correct this case's reference",
            )
            return errors, None
        creates = {"cases": 1, "households": 1 if approved else 0}
        summary = f"Case {reference}: {values['applicant_1_name']} ({values['carer_type']})"
        if approved:
            summary += f", approved on {values['decision_date'].isoformat()}: creates household {reference}"
        return errors, RowPlan(row, CREATE, summary, creates, payload=(values, worker))

    def _worker(self, email: str | None, error: Any) -> User | None:
        if not email:
            return None
        worker = self.workers.get(email.lower())
        if worker is None:
            if email.lower() in self.users:
                error("allocated_worker", f"{email} is not a social worker. Cases are allocated to social workers")
            else:
                error(
                    "allocated_worker",
                    f"There is no CarerTrack user with the email address {email}. "
                    "Enter the email address of a social worker who has an account, or leave it blank",
                )
        return worker

    @staticmethod
    def _check_outcomes(values: dict[str, Any], error: Any) -> None:
        """Recommendations, decisions and closures come with their dates, in an order that can happen."""
        recommendation, decision = values["panel_recommendation"], values["decision"]
        if recommendation is not None and values["panel_date"] is None:
            error("panel_date", "Enter the panel date: a recommendation is made at a panel")
        if decision is not None and values["decision_date"] is None:
            error("decision_date", "Enter the decision date for the decision")
        if decision is None and values["decision_date"] is not None:
            error("decision", "Enter the decision for the decision date: approved or not_approved")
        if decision is not None and recommendation not in {r.value for r in STOPPING_RECOMMENDATIONS}:
            error(
                "decision",
                "A decision follows the panel's recommendation to approve or not approve. "
                "Enter panel_recommendation approve or not_approve, or leave the decision blank",
            )
        if values["closed_date"] is not None and values["closed_reason"] is None:
            error("closed_reason", f"Enter why the case closed: {CLOSED_REASONS}")
        if values["closed_reason"] is not None and values["closed_date"] is None:
            error("closed_date", "Enter the date the case closed")
        if values["closed_date"] is not None and (decision is not None or values["decision_date"] is not None):
            error(
                "closed_date",
                "A case with a decision cannot also be closed: closed_date is for cases that ended before a decision",
            )

    def write(self, plans: list[RowPlan], progress: Progress) -> None:
        actor_id, actor_label = current_actor()
        creating = [plan for plan in plans if plan.action == CREATE]
        # Rows with the same blank cells become INSERTs with the same columns, which the database
        # driver can send in batches; so build them grouped that way.
        creating.sort(key=lambda plan: tuple(value is None for value in plan.payload[0].values()))
        with collection_between_batches() as collect:
            for batch in chunks(creating, WRITE_BATCH):
                self._write_batch(batch, actor_id=actor_id, actor_label=actor_label)
                collect()
                progress(len(batch))
        progress(len(plans) - len(creating))

    def _write_batch(self, plans: Sequence[RowPlan], *, actor_id: int | None, actor_label: str) -> None:
        """Create one batch of cases and their approved households, in two flushes.

        Everything stays in the engine's one transaction: a failure in any batch rolls back them all.
        Once flushed, the batch's records are no longer referenced here, so memory stays bounded.
        """
        from carertrack.panels.decisions import Terms, create_household_from_case

        cases = [self._case(*plan.payload, actor_id=actor_id, actor_label=actor_label) for plan in plans]
        db.session.add_all(cases)
        number_new_records()
        db.session.flush()
        # The spreadsheet carries no terms of approval: the household starts with none, as a panel
        # recommendation recorded without terms would give it. References were checked up front, so
        # the households are flushed together rather than one by one.
        with db.session.no_autoflush:
            for case in cases:
                if case.decision == CaseDecision.APPROVED:
                    create_household_from_case(case, Terms(), case.decision_date, flush=False)
        number_new_records()
        db.session.flush()

    @staticmethod
    def _case(values: dict[str, Any], worker: User | None, *, actor_id: int | None, actor_label: str) -> Case:
        recommendation = values["panel_recommendation"]
        closed_reason = values["closed_reason"]
        stage1_decision = None
        if values["stage1_completed_date"] is not None:
            unsuitable = closed_reason == ClosedReason.UNSUITABLE_STAGE1.value
            stage1_decision = Stage1Decision.NOT_PROCEED if unsuitable else Stage1Decision.PROCEED
        fields = {
            "reference": values["reference"],
            "carer_type": CarerType(values["carer_type"]),
            "enquiry_date": values["enquiry_date"],
            "enquiry_source": EnquirySource(values["enquiry_source"]) if values["enquiry_source"] else None,
            "initial_visit_date": values["initial_visit_date"],
            "application_date": values["application_date"],
            "allocated_date": values["allocated_date"],
            "allocated_worker_id": worker.id if worker else None,
            "placement_date": values["temporary_approval_date"],
            "extension_weeks": IMPORTED_EXTENSION_WEEKS if values["extension_granted"] else None,
            "stage1_completed_date": values["stage1_completed_date"],
            "stage1_decision": stage1_decision,
            "predicted_panel_date": values["predicted_panel_date"],
            "panel_date": values["panel_date"],
            "panel_recommendation": PanelRecommendation(recommendation) if recommendation else None,
            "recommendation_date": values["panel_date"] if recommendation else None,
            "decision_date": values["decision_date"],
            "decision": CaseDecision(values["decision"]) if values["decision"] else None,
            "closed_date": values["closed_date"],
            "closed_reason": ClosedReason(closed_reason) if closed_reason else None,
            "delay_reason": values["delay_reason"],
        }
        # Blank fields are left unset rather than set to None: the same record (none of them has a
        # default), without an attribute event for each blank of each row.
        case = Case(**{name: value for name, value in fields.items() if value is not None})
        # Empty, not unloaded: approval reads them, and an unloaded list would cost a query per case.
        # Set as loaded rather than assigned, so the flush has no change of theirs to work through.
        set_committed_value(case, "members", [])
        set_committed_value(case, "checks", [])
        case.applicants.append(CaseApplicant(position=1, name=values["applicant_1_name"]))
        if values["applicant_2_name"]:
            case.applicants.append(CaseApplicant(position=2, name=values["applicant_2_name"]))
        if worker is not None and values["allocated_date"] is not None:
            case.allocations.append(
                CaseAllocation(
                    worker=worker,
                    allocated_date=values["allocated_date"],
                    reason=ALLOCATION_REASON,
                    recorded_by_id=actor_id,
                )
            )
        case.stage = rules.derived_stage(case, has_sessions=False, checks_started=False)
        case.stage_changes.append(
            StageChange(from_stage=None, to_stage=case.stage, changed_by_id=actor_id, changed_by_label=actor_label)
        )
        return case
