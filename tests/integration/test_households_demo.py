"""The households demo builder makes a service that looks real: numbers in the ranges the issue asks for."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.admin.services import create_user
from carertrack.audit.recorder import acting_as
from carertrack.compliance import (
    DbsRules,
    DueStatus,
    HouseholdStatus,
    deregistration_pending,
    household_status,
    is_adult_on,
    placement_active,
    review_position,
    staying_put_active,
)
from carertrack.extensions import db
from carertrack.households.demo import build_households
from carertrack.households.queries import dbs_counts, dbs_people
from carertrack.models.household import Household
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role
from carertrack.seed.demo import DemoContext

TODAY = date(2026, 11, 22)


def test_demo_households(app_ctx):
    with acting_as("demo test"):
        workers = [create_user(f"w{i}@example.org", f"Worker {i}", Role.SOCIAL_WORKER, "x" * 20) for i in range(3)]
        db.session.flush()
        build_households(DemoContext(today=TODAY, users={Role.SOCIAL_WORKER: workers}))
        db.session.commit()

    households = db.session.scalars(select(Household)).all()
    statuses = [household_status(h, TODAY) for h in households]
    approved = [
        h for h, s in zip(households, statuses, strict=True) if s in (HouseholdStatus.ACTIVE, HouseholdStatus.ON_HOLD)
    ]
    assert 100 <= len(approved) <= 120
    assert {h.carer_type.value for h in approved} == {"mainstream", "connected", "short_breaks", "parent_and_child"}
    assert 20 <= sum(1 for h in households if h.approval_date > TODAY - timedelta(days=365)) <= 25
    assert min(h.approval_date for h in approved) < TODAY - timedelta(days=7 * 365)
    assert {h.supervising_worker_id for h in approved} == {w.id for w in workers}

    deregistered = [h for h in households if h.deregistration_date and h.deregistration_date <= TODAY]
    assert 30 <= len(deregistered) <= 50
    assert all(TODAY - timedelta(days=3 * 365) <= h.deregistration_date for h in deregistered)
    assert len({h.deregistration_reason for h in deregistered}) >= 5

    people = sum(1 for h in approved for m in h.members if m.left_date is None)
    assert 260 <= people <= 330
    rows = dbs_people(TODAY, DbsRules())
    counts = dbs_counts(rows)
    assert counts["current"] > counts["due_soon"] > 0
    assert counts["expired"] > 0 and counts["missing"] > 0
    # Children about to turn 18 are in the DBS figures before their birthday.
    assert any(not is_adult_on(row.person.member.date_of_birth, TODAY) for row in rows)
    # Three on hold and one resignation waiting to take effect.
    assert statuses.count(HouseholdStatus.ON_HOLD) == 3
    assert sum(deregistration_pending(h, TODAY) for h in households) >= 1

    placed = sum(1 for h in approved for p in h.placements if placement_active(p, TODAY))
    assert 105 <= placed <= 140
    reviews = [review_position(h.approval_date, [r.completed_date for r in h.reviews], TODAY).status for h in approved]
    assert reviews.count(DueStatus.OVERDUE) > 0 and reviews.count(DueStatus.DUE_SOON) > 0

    arrangements = db.session.scalars(select(StayingPut)).all()
    assert len(arrangements) == 11
    assert 6 <= sum(staying_put_active(a, TODAY) for a in arrangements) <= 9


def test_demo_turns_approved_cases_into_their_households(app):
    from carertrack.models.case import Case, CaseDecision
    from tests.panel_factories import make_case

    case_id = make_case(app, reference="C-DEMO-1", applicants=(("Ann Apple", date(1980, 1, 1)),))
    with app.app_context(), acting_as("test setup"):
        case = db.session.get(Case, case_id)
        case.decision, case.decision_date = CaseDecision.APPROVED, TODAY - timedelta(days=40)
        db.session.commit()
    with app.app_context(), acting_as("demo test"):
        build_households(DemoContext(today=TODAY, users={}))
        db.session.commit()
        household = db.session.scalars(select(Household).where(Household.case_id == case_id)).one()
        assert (household.reference, household.approval_date) == ("C-DEMO-1", TODAY - timedelta(days=40))
        assert [m.name for m in household.carers] == ["Ann Apple"]
        recent = db.session.scalars(
            select(Household).where(Household.approval_date > TODAY - timedelta(days=365))
        ).all()
        assert len(recent) == 22  # the case's approval counts towards the year's 22
