"""The cases import writes in batches, with ids it numbers itself: still one all-or-nothing transaction.

Batches are made tiny here so that a few rows cross several of them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.imports import base
from carertrack.models.audit import AuditEvent
from carertrack.models.case import CarerType, Case
from carertrack.models.case_records import CaseApplicant, StageChange
from carertrack.models.household import Household, HouseholdMember
from tests.importing import messages, run, table_contents, write_csv
from tests.integration.test_import_engine import CASE_HEADER, good_case


@pytest.fixture
def small_batches(monkeypatch):  # type: ignore[no-untyped-def]
    """Write two rows a batch."""
    monkeypatch.setattr(base, "WRITE_BATCH", 2)
    from carertrack.imports import cases

    monkeypatch.setattr(cases, "WRITE_BATCH", 2)


def test_every_batch_is_written_with_its_records_linked_and_attributed(app_ctx, tmp_path, small_batches):
    assert run("cases", write_csv(tmp_path, "first.csv", [CASE_HEADER, good_case(100)])).written
    result = run(
        "cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *[good_case(n) for n in range(1, 8)]]), actor="jo"
    )
    assert result.written, result.problems
    assert result.created == {"cases": 7, "households": 2}
    db.session.expire_all()
    cases = {case.reference: case for case in db.session.scalars(select(Case))}
    assert len(cases) == 8
    assert len({case.id for case in cases.values()}) == 8
    for n in range(1, 8):
        case = cases[f"FC-{n:03d}"]
        assert [a.name for a in case.applicants] == [f"Applicant {n}"]
        assert [change.to_stage for change in case.stage_changes] == [case.stage]
    households = {household.reference: household for household in db.session.scalars(select(Household))}
    assert set(households) == {"FC-003", "FC-006"}
    for reference, household in households.items():
        assert household.case_id == cases[reference].id
        assert [member.name for member in household.members] == [cases[reference].applicants[0].name]
    # Every record created is in the audit log under its own id, attributed to who imported.
    for model, count in ((Case, 7), (CaseApplicant, 7), (StageChange, 7), (Household, 2), (HouseholdMember, 2)):
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == model.__name__, AuditEvent.actor_label == "jo")
        ).all()
        assert len(events) == count, model
        ids = {str(record_id) for record_id in db.session.scalars(select(model.id))}
        assert {event.entity_id for event in events} <= ids


def test_records_made_after_an_import_are_numbered_after_it(app_ctx, tmp_path, small_batches):
    assert run("cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *[good_case(n) for n in range(1, 6)]])).written
    largest = db.session.scalar(select(func.max(Case.id)))
    with acting_as("test"):
        case = Case(reference="LATER-1", carer_type=CarerType.MAINSTREAM)
        db.session.add(case)
        db.session.commit()
    assert case.id > largest


def test_a_failure_in_a_later_batch_rolls_back_the_batches_written_before_it(
    app_ctx, tmp_path, small_batches, monkeypatch
):
    from carertrack.panels import decisions

    original = decisions.create_household_from_case
    calls = []

    def fail_on_the_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[0].reference)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(decisions, "create_household_from_case", fail_on_the_second)
    before = table_contents()
    with pytest.raises(RuntimeError):
        run("cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *[good_case(n) for n in range(1, 8)]]))
    db.session.remove()
    assert len(calls) == 2
    assert table_contents() == before


def test_an_error_in_a_late_row_reports_that_row_and_writes_nothing(app_ctx, tmp_path, small_batches):
    before = table_contents()
    rows = [good_case(n) for n in range(1, 8)]
    rows[5][4] = "2018-01-01"  # application before the enquiry, on file row 7
    result = run("cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *rows]))
    assert messages(result) == [
        "row 7, column application_date: The date the application was received must be the same as or after the "
        "enquiry date (1 February 2018)"
    ]
    assert not result.written
    assert table_contents() == before
