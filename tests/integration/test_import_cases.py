"""The `cases` import: each column's checks and messages, the shared date rules, outcomes, workers,
re-import, and an approved decision creating the household through the panel journey."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, CaseDecision, ClosedReason, Stage, Stage1Decision
from carertrack.models.case_records import CaseAllocation, StageChange
from carertrack.models.household import Household, MemberRole
from carertrack.models.user import Role
from tests.factories import make_user
from tests.importing import TODAY, messages, run, table_contents, write_csv

HEADER = [
    "reference",
    "carer_type",
    "applicant_1_name",
    "applicant_2_name",
    "enquiry_date",
    "enquiry_source",
    "initial_visit_date",
    "application_date",
    "allocated_date",
    "allocated_worker",
    "temporary_approval_date",
    "extension_granted",
    "stage1_completed_date",
    "predicted_panel_date",
    "panel_date",
    "panel_recommendation",
    "decision_date",
    "decision",
    "closed_date",
    "closed_reason",
    "delay_reason",
]


def row(**values: object) -> list[object]:
    """A cases row: a mainstream enquiry unless told otherwise."""
    base = {
        "reference": "FC-1",
        "carer_type": "mainstream",
        "applicant_1_name": "Jane Smith",
        "enquiry_date": "2018-02-01",
        "enquiry_source": "website",
    }
    base.update(values)
    return [base.get(name) for name in HEADER]


def import_rows(tmp_path, *rows, **options):  # type: ignore[no-untyped-def]
    return run("cases", write_csv(tmp_path, "cases.csv", [HEADER, *rows]), **options)


APPROVED = {
    "applicant_2_name": "John Smith",
    "initial_visit_date": "15/2/2018",
    "application_date": "1/3/2018",
    "stage1_completed_date": "2018-06-01",
    "predicted_panel_date": "2018-10-01",
    "panel_date": "2018-10-01",
    "panel_recommendation": "approve",
    "decision_date": "8/10/2018",
    "decision": "approved",
}


def test_a_clean_file_creates_cases_with_their_applicants_stage_and_deadlines(app_ctx, tmp_path):
    worker = make_user(app_ctx, Role.SOCIAL_WORKER, email="sam.okafor@example.org")
    result = import_rows(
        tmp_path,
        row(application_date="1/3/2018", allocated_date="5/3/2018", allocated_worker="Sam.Okafor@example.org"),
        row(reference="FC-2", carer_type="Connected", applicant_1_name="Ann Lee", enquiry_date="2019-01-01"),
    )
    assert result.ok, result.problems
    assert result.written
    assert result.created == {"cases": 2, "households": 0}
    first = db.session.scalar(select(Case).where(Case.reference == "FC-1"))
    assert first.carer_type is CarerType.MAINSTREAM
    assert [a.name for a in first.applicants] == ["Jane Smith"]
    assert first.enquiry_date == date(2018, 2, 1)
    assert first.application_date == date(2018, 3, 1)
    assert first.eight_month_deadline == date(2018, 11, 1)
    assert first.allocated_worker_id == worker.id
    assert first.stage is Stage.ALLOCATED
    allocation = db.session.scalar(select(CaseAllocation).where(CaseAllocation.case_id == first.id))
    assert (allocation.worker_id, allocation.allocated_date) == (worker.id, date(2018, 3, 5))
    change = db.session.scalar(select(StageChange).where(StageChange.case_id == first.id))
    assert (change.from_stage, change.to_stage, change.changed_by_label) == (None, Stage.ALLOCATED, "test import")
    second = db.session.scalar(select(Case).where(Case.reference == "FC-2"))
    assert second.carer_type is CarerType.CONNECTED
    assert second.stage is Stage.ENQUIRY


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"reference": None}, "row 2, column reference: Enter the case reference: it cannot be blank"),
        ({"reference": "X" * 41}, "row 2, column reference: The case reference must be 40 characters or fewer"),
        (
            {"carer_type": "foster"},
            "row 2, column carer_type: The carer type must be mainstream or connected, not 'foster'",
        ),
        (
            {"applicant_1_name": None},
            "row 2, column applicant_1_name: Enter the name of applicant 1: it cannot be blank",
        ),
        (
            {"applicant_2_name": "Y" * 121},
            "row 2, column applicant_2_name: The name of applicant 2 must be 120 characters or fewer",
        ),
        (
            {"enquiry_date": "2018/02/01"},
            "row 2, column enquiry_date: The enquiry date must be a date like 2018-02-01 or 1/2/2018, not '2018/02/01'",
        ),
        (
            {"enquiry_source": "newspaper"},
            "row 2, column enquiry_source: The enquiry source must be website, phone, email, event, existing_carer, "
            "social_media, ifa_transfer or other, not 'newspaper'",
        ),
        (
            {"initial_visit_date": "31/2/2018"},
            "row 2, column initial_visit_date: The initial visit date must be a real date, not '31/2/2018'",
        ),
        (
            {"application_date": "March 2018"},
            "row 2, column application_date: The date the application was received must be a date like "
            "2018-02-01 or 1/2/2018, not 'March 2018'",
        ),
        (
            {"allocated_date": "0/3/2018", "application_date": "2018-03-01"},
            "row 2, column allocated_date: The allocation date must be a real date, not '0/3/2018'",
        ),
        (
            {"temporary_approval_date": "2018-13-01", "carer_type": "connected"},
            "row 2, column temporary_approval_date: The temporary approval date must be a real date, not '2018-13-01'",
        ),
        (
            {"extension_granted": "maybe"},
            "row 2, column extension_granted: Extension granted must be yes or no, not 'maybe'",
        ),
        (
            {"stage1_completed_date": "1.6.2018"},
            "row 2, column stage1_completed_date: The Stage 1 completion date must be a date like 2018-02-01 "
            "or 1/2/2018, not '1.6.2018'",
        ),
        (
            {"predicted_panel_date": "soon"},
            "row 2, column predicted_panel_date: The predicted panel date must be a date like 2018-02-01 "
            "or 1/2/2018, not 'soon'",
        ),
        (
            {"panel_date": "2018-10-32"},
            "row 2, column panel_date: The panel date must be a real date, not '2018-10-32'",
        ),
        (
            {"panel_recommendation": "approved", "panel_date": "2018-10-01", "application_date": "2018-03-01"},
            "row 2, column panel_recommendation: The panel recommendation must be approve, not_approve or defer, "
            "not 'approved'",
        ),
        (
            {"decision_date": "yesterday"},
            "row 2, column decision_date: The decision date must be a date like 2018-02-01 or 1/2/2018, not 'yesterday'",
        ),
        (
            {"decision": "yes", "decision_date": "2018-10-08"},
            "row 2, column decision: The decision must be approved or not_approved, not 'yes'",
        ),
        (
            {"closed_date": "2018-04-01", "closed_reason": "aw9"},
            "row 2, column closed_reason: The closure reason must be AW1, AW2, AW3, AW4, AW5, AW0, counselled_out, "
            "unsuitable_stage1, moved_away, chose_ifa, no_response or other, not 'aw9'",
        ),
        (
            {"closed_date": "1/4/18", "closed_reason": "AW1"},
            "row 2, column closed_date: The closure date must be a date like 2018-02-01 or 1/2/2018, not '1/4/18'",
        ),
        (
            {"delay_reason": "z" * 2001},
            "row 2, column delay_reason: The delay reason must be 2000 characters or fewer",
        ),
        (
            {"allocated_worker": "nobody@example.org", "application_date": "2018-03-01"},
            "row 2, column allocated_worker: There is no CarerTrack user with the email address nobody@example.org. "
            "Enter the email address of a social worker who has an account, or leave it blank",
        ),
    ],
)
def test_each_column_is_checked_with_a_message_that_says_what_would_be_right(app_ctx, tmp_path, values, expected):
    result = import_rows(tmp_path, row(**values))
    assert messages(result) == [expected]
    assert not result.written


@pytest.mark.parametrize(
    "values,expected",
    [
        (
            {"application_date": "2018-01-15"},
            "row 2, column application_date: The date the application was received must be the same as or after "
            "the enquiry date (1 February 2018)",
        ),
        (
            {"application_date": "2018-03-01", "panel_date": "2018-02-20", "panel_recommendation": "defer"},
            "row 2, column panel_date: The panel date must be the same as or after the date the application was "
            "received (1 March 2018)",
        ),
        (
            {
                "application_date": "2018-03-01",
                "panel_date": "2018-10-01",
                "panel_recommendation": "approve",
                "decision_date": "2018-09-30",
                "decision": "approved",
            },
            "row 2, column decision_date: The decision date must be the same as or after the panel date (1 October 2018)",
        ),
        (
            {"initial_visit_date": "2018-01-31"},
            "row 2, column initial_visit_date: The initial visit date must be the same as or after the enquiry date "
            "(1 February 2018)",
        ),
        (
            {"enquiry_date": (TODAY + timedelta(days=1)).isoformat()},
            "row 2, column enquiry_date: The enquiry date must be today or in the past",
        ),
        (
            {"temporary_approval_date": "2018-03-01"},
            "row 2, column temporary_approval_date: A temporary approval can only be recorded on a connected person case",
        ),
        (
            {"extension_granted": "yes"},
            "row 2, column extension_granted: An extension can only be granted on a connected person case",
        ),
        (
            {"carer_type": "connected", "extension_granted": "yes"},
            "row 2, column extension_granted: Record the date the child was placed before recording an extension",
        ),
        (
            {"allocated_date": "2018-03-05"},
            "row 2, column allocated_date: Record the date the application was received before allocating the case",
        ),
    ],
)
def test_impossible_sequences_are_refused_by_the_case_pages_rules(app_ctx, tmp_path, values, expected):
    assert messages(import_rows(tmp_path, row(**values))) == [expected]


@pytest.mark.parametrize(
    "values,expected",
    [
        (
            {"application_date": "2018-03-01", "panel_recommendation": "approve"},
            "row 2, column panel_date: Enter the panel date: a recommendation is made at a panel",
        ),
        (
            {**APPROVED, "decision_date": None},
            "row 2, column decision_date: Enter the decision date for the decision",
        ),
        (
            {**APPROVED, "decision": None},
            "row 2, column decision: Enter the decision for the decision date: approved or not_approved",
        ),
        (
            {**APPROVED, "panel_recommendation": "defer"},
            "row 2, column decision: A decision follows the panel's recommendation to approve or not approve. "
            "Enter panel_recommendation approve or not_approve, or leave the decision blank",
        ),
        (
            {"closed_date": "2018-03-01"},
            "row 2, column closed_reason: Enter why the case closed: AW1, AW2, AW3, AW4, AW5, AW0, counselled_out, "
            "unsuitable_stage1, moved_away, chose_ifa, no_response, other",
        ),
        ({"closed_reason": "AW3"}, "row 2, column closed_date: Enter the date the case closed"),
        (
            {**APPROVED, "closed_date": "2018-11-01", "closed_reason": "other"},
            "row 2, column closed_date: A case with a decision cannot also be closed: closed_date is for cases that "
            "ended before a decision",
        ),
    ],
)
def test_outcomes_come_with_their_dates_in_an_order_that_can_happen(app_ctx, tmp_path, values, expected):
    assert messages(import_rows(tmp_path, row(**values))) == [expected]


def test_the_allocated_worker_must_be_a_social_worker_as_on_the_allocation_page(app_ctx, tmp_path):
    make_user(app_ctx, Role.MANAGER, email="maria.jones@example.org")
    result = import_rows(tmp_path, row(application_date="2018-03-01", allocated_worker="maria.jones@example.org"))
    assert messages(result) == [
        "row 2, column allocated_worker: maria.jones@example.org is not a social worker. "
        "Cases are allocated to social workers"
    ]


def test_a_worker_who_has_since_left_can_be_named_on_an_old_case(app_ctx, tmp_path):
    worker = make_user(app_ctx, Role.SOCIAL_WORKER, email="left@example.org", active=False)
    result = import_rows(tmp_path, row(application_date="2018-03-01", allocated_worker="left@example.org"))
    assert result.written
    assert db.session.scalar(select(Case.allocated_worker_id)) == worker.id


def test_every_error_in_every_row_is_listed_in_row_order(app_ctx, tmp_path):
    result = import_rows(
        tmp_path,
        row(reference="FC-1", carer_type="foster", enquiry_date="2018/1/1"),
        row(reference="FC-2"),
        row(reference="FC-1", enquiry_source="radio"),
    )
    assert messages(result) == [
        "row 2, column carer_type: The carer type must be mainstream or connected, not 'foster'",
        "row 2, column enquiry_date: The enquiry date must be a date like 2018-02-01 or 1/2/2018, not '2018/1/1'",
        "row 4, column enquiry_source: The enquiry source must be website, phone, email, event, existing_carer, "
        "social_media, ifa_transfer or other, not 'radio'",
        "row 4, column reference: The reference FC-1 is also on row 2. Put each case on one row",
    ]


def test_stages_follow_the_furthest_fact_recorded(app_ctx, tmp_path):
    result = import_rows(
        tmp_path,
        row(reference="A", initial_visit_date="2018-02-10"),
        row(reference="B", application_date="2018-03-01", stage1_completed_date="2018-06-01"),
        row(reference="C", application_date="2018-03-01", panel_date="2018-10-01", panel_recommendation="defer"),
        row(reference="D", closed_date="2018-02-10", closed_reason="AW3"),
        row(
            reference="E",
            application_date="2018-03-01",
            stage1_completed_date="2018-06-01",
            closed_date="2018-06-01",
            closed_reason="unsuitable_stage1",
        ),
    )
    assert result.written, result.problems
    cases = {c.reference: c for c in db.session.scalars(select(Case))}
    assert cases["A"].stage is Stage.INITIAL_VISIT
    assert (cases["B"].stage, cases["B"].stage1_decision) == (Stage.STAGE2, Stage1Decision.PROCEED)
    assert cases["C"].stage is Stage.PANEL
    assert cases["C"].recommendation_date == date(2018, 10, 1)
    assert (cases["D"].closed_date, cases["D"].closed_reason) == (date(2018, 2, 10), ClosedReason.AW3)
    assert cases["E"].stage1_decision is Stage1Decision.NOT_PROCEED


def test_a_deferred_case_stays_in_assessment_with_its_clock_running(app_ctx, tmp_path):
    from carertrack.reports import REPORTS
    from carertrack.reports.registry import ReportParams

    result = import_rows(
        tmp_path,
        row(reference="C", application_date="2018-03-01", panel_date="2018-10-01", panel_recommendation="defer"),
        row(reference="R", application_date="2018-03-01", panel_date="2018-10-01", panel_recommendation="approve"),
    )
    assert result.written, result.problems
    # 1 March + 8 months = 1 November 2018. On 1 December the deferred case is still in assessment and its
    # clock has run past the deadline; the recommendation to approve stopped R's clock within it.
    as_of = ReportParams(as_of=date(2018, 12, 1))
    rows = REPORTS["in-assessment"].compute(as_of)["rows"]
    assert [(r["reference"], r["timescale_status"]) for r in rows] == [("C", "breached")]
    clocks = [
        (r["reference"], r["clock"], r["deadline"], r["status"]) for r in REPORTS["breaches"].compute(as_of)["rows"]
    ]
    assert [c for c in clocks if c[1] == "eight_month"] == [("C", "eight_month", date(2018, 11, 1), "breached")]


def test_a_temporary_approval_and_its_extension_run_the_regulation_24_clock(app_ctx, tmp_path):
    result = import_rows(
        tmp_path,
        row(
            carer_type="connected",
            application_date="2018-03-01",
            temporary_approval_date="2018-03-02",
            extension_granted="yes",
        ),
        row(reference="FC-2", carer_type="connected", temporary_approval_date="2018-03-02", extension_granted="no"),
    )
    assert result.written, result.problems
    cases = {c.reference: c for c in db.session.scalars(select(Case))}
    assert cases["FC-1"].placement_date == date(2018, 3, 2)
    assert cases["FC-1"].extension_weeks == 8
    assert cases["FC-1"].reg24_deadline == date(2018, 3, 2) + timedelta(weeks=24)
    assert cases["FC-2"].extension_weeks is None
    assert cases["FC-2"].reg24_deadline == date(2018, 3, 2) + timedelta(weeks=16)


def test_an_approved_decision_creates_the_household_through_the_panel_journey(app_ctx, tmp_path, monkeypatch):
    from carertrack.panels import decisions

    calls = []
    original = decisions.create_household_from_case

    def spy(case, item, approval_date, **options):  # type: ignore[no-untyped-def]
        calls.append((case.reference, approval_date))
        return original(case, item, approval_date, **options)

    monkeypatch.setattr(decisions, "create_household_from_case", spy)
    result = import_rows(
        tmp_path,
        row(**APPROVED),
        row(reference="FC-2", **{**APPROVED, "decision": "not_approved", "panel_recommendation": "not_approve"}),
    )
    assert result.written, result.problems
    assert result.created == {"cases": 2, "households": 1}
    assert calls == [("FC-1", date(2018, 10, 8))]
    case = db.session.scalar(select(Case).where(Case.reference == "FC-1"))
    assert (case.decision, case.stage) == (CaseDecision.APPROVED, Stage.DECIDED)
    household = db.session.scalar(select(Household))
    assert household.reference == "FC-1"
    assert household.case_id == case.id
    assert household.approval_date == date(2018, 10, 8)
    assert household.carer_type.value == "mainstream"
    assert [(m.name, m.role) for m in household.members] == [
        ("Jane Smith", MemberRole.CARER),
        ("John Smith", MemberRole.CARER),
    ]


def test_approval_cannot_create_a_household_whose_reference_is_taken(app_ctx, tmp_path):
    households_file = write_csv(
        tmp_path,
        "households.csv",
        [["reference", "carer_1_name", "approval_date"], ["fc-1", "Jo Bloggs", "2015-01-01"]],
    )
    assert run("households", households_file).written
    result = import_rows(tmp_path, row(**APPROVED))
    assert messages(result) == [
        "row 2, column decision: A household with reference FC-1 already exists, so approving this case cannot "
        "create it. Remove that household's row from the households import, or correct this case's reference"
    ]


def test_importing_the_same_file_again_creates_nothing_and_writes_nothing(app_ctx, tmp_path):
    make_user(app_ctx, Role.SOCIAL_WORKER, email="sam@example.org")
    rows = [
        row(**APPROVED, allocated_date="2018-03-05", allocated_worker="sam@example.org"),
        row(reference="FC-2", carer_type="connected", temporary_approval_date="2018-03-02", extension_granted="no"),
        row(reference="FC-3", closed_date="2018-02-10", closed_reason="AW0", delay_reason="Bereavement"),
    ]
    first = import_rows(tmp_path, *rows)
    assert first.written
    before = table_contents()
    again = import_rows(tmp_path, *rows)
    assert again.ok and not again.written
    assert (again.created_rows, again.unchanged_rows) == (0, 3)
    assert table_contents() == before


def test_a_row_that_differs_from_the_case_held_is_refused_and_nothing_is_written(app_ctx, tmp_path):
    assert import_rows(tmp_path, row(), row(reference="FC-2")).written
    before = table_contents()
    result = import_rows(tmp_path, row(enquiry_date="2018-02-03", enquiry_source=None), row(reference="FC-3"))
    assert messages(result) == [
        "row 2, column reference: A case with reference FC-1 is already in CarerTrack with different details: "
        "enquiry_date (2018-02-01 in CarerTrack, 2018-02-03 in this file); enquiry_source (website in CarerTrack, "
        "blank in this file). The import never changes a case: correct the row, or remove it"
    ]
    assert table_contents() == before


def test_dry_run_reports_what_it_would_create_and_writes_nothing(app_ctx, tmp_path):
    before = table_contents()
    result = import_rows(tmp_path, row(**APPROVED), dry_run=True)
    assert result.ok and not result.written
    assert result.created == {"cases": 1, "households": 1}
    assert [plan.summary for plan in result.plans] == [
        "Case FC-1: Jane Smith (mainstream), approved on 2018-10-08: creates household FC-1"
    ]
    assert table_contents() == before
