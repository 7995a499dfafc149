"""The reminders' SQL preselection never drops an item the full rule set would produce.

Varied generated data (cases, approved households with people, DBS certificates and status checks,
reviews, training and staying put) clusters its dates around the thresholds, month ends and leap days.
For several dates and settings the items found from everything in the database (the rules alone)
must equal the items found from the preselected records, for the daily run and for one person's home.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from carertrack import compliance
from carertrack.audit.recorder import acting_as
from carertrack.cases.rules import ClockSettings
from carertrack.clocks import add_months_clamped
from carertrack.compliance import DbsRules
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, ClosedReason, PanelRecommendation, Stage
from carertrack.models.case_records import CaseApplicant
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole, ReviewOutcome
from carertrack.models.household import CarerType as HouseholdType
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role, User
from carertrack.reminders import preselect, sources
from carertrack.reminders.rules import ReminderSettings, Sources, due_items, for_recipient
from tests.factories import make_user

BASE = date(2026, 3, 15)
# Dates that catch month ends, leap days and each side of the thresholds.
DATES = [BASE, date(2028, 2, 29), date(2026, 2, 28), date(2026, 8, 31), date(2027, 3, 1)]


SETTINGS = [
    ReminderSettings(),
    replace(
        ReminderSettings(),
        clocks=ClockSettings(lead_days=0, short_lead_days=0, first_contact_days=5),
        dbs=DbsRules(renewal_years=2, due_soon_days=30, window_months=6),
        review_due_soon_days=0,
        training_due_soon_days=90,
        reg24_first_weeks=10,
        reg24_second_weeks=15,
        staying_put_months=1,
    ),
]


def _maybe(rng: random.Random, value: Any, chance: float = 0.5) -> Any:
    return value if rng.random() < chance else None


def _near(rng: random.Random, day: date, months: int) -> date:
    """A date near `months` before the day: on it, either side of it, or at a month end or leap day."""
    edge = add_months_clamped(day, -months)
    return rng.choice(
        [
            edge + timedelta(days=rng.randint(-100, 100)),
            edge + timedelta(days=rng.choice([-1, 0, 1, 42, 43, 61, 62, 90, 91, -42, -91])),
            date(edge.year, edge.month, 1) - timedelta(days=1),
            date(2024, 2, 29),
            date(2020, 2, 29),
            date(2023, 2, 28),
        ]
    )


def _cases(rng: random.Random, as_of: date, workers: list[int], count: int) -> None:
    for i in range(count):
        connected = rng.random() < 0.4
        application = _maybe(rng, _near(rng, as_of, 8), 0.8)
        placement = None
        weeks = None
        if connected and rng.random() < 0.7:
            placement = as_of - timedelta(days=rng.choice([0, 10, 70, 84, 85, 98, 99, 112, 113, 150, 169, 200, -3]))
            weeks = _maybe(rng, rng.randint(1, 8), 0.3)
        enquiry = (application or as_of) - timedelta(days=rng.choice([0, 1, 2, 3, 4, 5, 10, 30]))
        if rng.random() < 0.2:
            enquiry = _edge(rng, as_of, "first_contact_enquiry")
        recommendation = rng.choice([None, None, PanelRecommendation.APPROVE, PanelRecommendation.DEFER])
        case = Case(
            reference=f"PRE-{as_of:%Y%m%d}-{i:04d}",
            carer_type=CarerType.CONNECTED if connected else CarerType.MAINSTREAM,
            stage=Stage.STAGE2,
            enquiry_date=enquiry,
            intake_worker_id=_maybe(rng, rng.choice(workers)),
            first_contact_date=_maybe(rng, enquiry + timedelta(days=rng.randint(0, 6)), 0.4),
            initial_visit_date=_maybe(rng, enquiry + timedelta(days=rng.randint(0, 20)), 0.2),
            application_date=application,
            allocated_worker_id=_maybe(rng, rng.choice(workers), 0.7),
            placement_date=placement,
            extension_weeks=weeks,
            extension_granted_date=_maybe(rng, placement, 0.3) if weeks else None,
            extension_pending_irm=rng.random() < 0.1,
            predicted_panel_date=_maybe(rng, as_of + timedelta(days=rng.randint(-30, 200)), 0.4),
            panel_date=_maybe(rng, as_of + timedelta(days=rng.randint(-30, 120)), 0.3),
            panel_recommendation=recommendation,
            recommendation_date=_maybe(rng, as_of + timedelta(days=rng.randint(-60, 10))) if recommendation else None,
            decision_date=_maybe(rng, as_of + timedelta(days=rng.randint(-20, 20)), 0.1),
            closed_date=_maybe(rng, as_of + timedelta(days=rng.randint(-10, 10)), 0.1),
            closed_reason=ClosedReason.AW0,
        )
        case.applicants = [CaseApplicant(position=1, name=f"Applicant {i}", date_of_birth=date(1980, 1, 1))]
        db.session.add(case)


def _edge(rng: random.Random, as_of: date, name: str) -> date:
    """A day either side of, or on, one of the preselection's thresholds (for either settings)."""
    t = preselect.Thresholds.for_date(as_of, rng.choice(SETTINGS))
    return getattr(t, name) + timedelta(days=rng.choice([-1, 0, 1]))


def _certificate(rng: random.Random, member: HouseholdMember, as_of: date) -> None:
    issue = _near(rng, as_of, 36) if rng.random() < 0.6 else _edge(rng, as_of, "dbs_base")
    check = DbsCheck(
        member=member,
        issue_date=issue,
        enhanced_with_barred_list=rng.random() < 0.9,
        update_service=rng.random() < 0.4,
    )
    db.session.add(check)
    for _ in range(rng.choice([0, 0, 1, 2])):
        checked = issue + timedelta(days=rng.randint(0, 1300)) if rng.random() < 0.5 else _edge(rng, as_of, "dbs_base")
        result = StatusCheckResult.NO_CHANGE if rng.random() < 0.8 else StatusCheckResult.CHANGED
        db.session.add(DbsStatusCheck(dbs_check=check, checked_on=checked, result=result))


def _people(rng: random.Random, household: Household, as_of: date, n: int) -> None:
    for j in range(rng.randint(1, 4)):
        role = rng.choice([MemberRole.CARER, MemberRole.CARER, MemberRole.ADULT_MEMBER, MemberRole.CHILD_MEMBER])
        birth = date(1975, 5, 31)
        if role is MemberRole.CHILD_MEMBER:
            birth = _near(rng, as_of, 12 * 18 - 3) if rng.random() < 0.6 else _edge(rng, as_of, "child_birth")
        member = HouseholdMember(
            household=household,
            name=f"Person {n}-{j}",
            date_of_birth=_maybe(rng, birth, 0.95),
            role=role,
            joined_date=_maybe(rng, as_of + timedelta(days=rng.randint(-900, 30)), 0.3),
            left_date=_maybe(rng, as_of + timedelta(days=rng.randint(-30, 30)), 0.1),
            tsd_completed_date=_maybe(rng, household.approval_date + timedelta(days=rng.randint(0, 600)), 0.5),
        )
        db.session.add(member)
        for _ in range(rng.choice([0, 1, 1, 2])):
            _certificate(rng, member, as_of)


def _households(rng: random.Random, as_of: date, workers: list[int], count: int) -> None:
    for n in range(count):
        approval = _near(rng, as_of, rng.choice([12, 18, 24, 3]))
        if rng.random() < 0.3:
            approval = _edge(
                rng, as_of, rng.choice(["review_base", "training_approval", "training_approval_connected"])
            )
        household = Household(
            reference=f"PRE-H-{as_of:%Y%m%d}-{n:04d}",
            carer_type=rng.choice([HouseholdType.MAINSTREAM, HouseholdType.CONNECTED, HouseholdType.SHORT_BREAKS]),
            approval_date=approval,
            supervising_worker_id=_maybe(rng, rng.choice(workers), 0.8),
            deregistration_date=_maybe(rng, as_of + timedelta(days=rng.randint(-30, 30)), 0.1),
        )
        db.session.add(household)
        _people(rng, household, as_of, n)
        for _ in range(rng.choice([0, 1, 2])):
            completed = _near(rng, as_of, 12) if rng.random() < 0.6 else _edge(rng, as_of, "review_base")
            db.session.add(AnnualReview(household=household, completed_date=completed, outcome=ReviewOutcome.CONTINUE))
        if rng.random() < 0.3:
            birth = _near(rng, as_of, 12 * 21 - 3) if rng.random() < 0.6 else _edge(rng, as_of, "staying_put_birth")
            db.session.add(
                StayingPut(
                    household=household,
                    young_person_reference=f"YP-{n}",
                    date_of_birth=birth,
                    start_date=add_months_clamped(birth, 12 * 18),
                    planned_end_date=_maybe(rng, as_of + timedelta(days=rng.randint(0, 200))),
                    end_date=_maybe(rng, as_of + timedelta(days=rng.randint(-10, 200)), 0.3),
                )
            )


def build(app: Any, as_of: date, seed: int) -> list[int]:
    """A service with cases and households whose dates sit around the day's thresholds; the workers' ids."""
    rng = random.Random(seed)
    workers = [make_user(app, Role.SOCIAL_WORKER).id for _ in range(3)]
    make_user(app, Role.MANAGER)
    make_user(app, Role.PANEL_ADMIN)
    with app.app_context(), acting_as("test setup"):
        _cases(rng, as_of, workers, 160)
        _households(rng, as_of, workers, 160)
        db.session.commit()
    return workers


def everything(as_of: date) -> Sources:
    """What the reminders read before the preselection: every case not closed or decided by the date
    (a case with a decision gives no reminder), every household and arrangement; the rules decide."""
    full = sources.load_sources(as_of, None, ReminderSettings())  # the panel items need no preselection
    households = db.session.scalars(
        select(Household).options(
            selectinload(Household.members)
            .selectinload(HouseholdMember.dbs_checks)
            .selectinload(DbsCheck.status_checks),
            selectinload(Household.reviews),
        )
    )
    cases = select(Case).where(or_(Case.closed_date.is_(None), Case.closed_date > as_of))
    cases = cases.where(or_(Case.decision_date.is_(None), Case.decision_date > as_of))
    return Sources(
        cases=list(db.session.scalars(cases.options(selectinload(Case.applicants)))),
        households=list(households),
        staying_put=list(db.session.scalars(select(StayingPut))),
        agenda_items=full.agenda_items,
        determinations=full.determinations,
    )


def _keys(items: list[Any]) -> set[tuple]:
    return {(i.rule, i.record_type, i.record_id, i.due_date, i.title, i.detail, i.recipients) for i in items}


@pytest.mark.parametrize("as_of", DATES)
def test_preselection_keeps_every_item_the_rules_find(app, as_of):
    build(app, as_of, seed=as_of.toordinal())
    with app.app_context():
        directory = sources.directory()
        for settings in SETTINGS:
            expected = due_items(everything(as_of), as_of, directory, settings)
            preselected = sources.load_sources(as_of, settings=settings)
            found = due_items(preselected, as_of, directory, settings)
            assert expected, "the generated data gives reminders"
            assert _keys(found) == _keys(expected)
            # ...and it does narrow what is read.
            assert len(preselected.households) < db.session.query(Household).count()
            assert len(preselected.cases) < db.session.query(Case).count()


@pytest.mark.parametrize("as_of", DATES[:2])
def test_preselection_for_one_person_keeps_their_items(app, as_of):
    build(app, as_of, seed=as_of.toordinal() + 1)
    with app.app_context():
        directory = sources.directory()
        settings = ReminderSettings()
        everyone = due_items(everything(as_of), as_of, directory, settings)
        for user in db.session.scalars(select(User).where(User.role.in_([Role.MANAGER, Role.SOCIAL_WORKER]))):
            mine = for_recipient(
                due_items(sources.load_sources(as_of, user, settings), as_of, directory, settings), user.id
            )
            assert _keys(mine) == _keys(for_recipient(everyone, user.id)), user.role


def test_thresholds_are_the_python_rules_edges():
    """Each threshold is the last date the rule calls due: the day after is not."""
    settings = ReminderSettings()
    for as_of in DATES:
        t = preselect.Thresholds.for_date(as_of, settings)
        assert compliance.review_position(t.review_base, [], as_of, 42).status is not compliance.DueStatus.NOT_DUE
        later = t.review_base + timedelta(days=1)
        assert compliance.review_position(later, [], as_of, 42).status is compliance.DueStatus.NOT_DUE
        renewal = add_months_clamped(t.dbs_base, 36)
        assert (renewal - as_of).days <= 90
        assert (add_months_clamped(t.dbs_base + timedelta(days=1), 36) - as_of).days > 90
