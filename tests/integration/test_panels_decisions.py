"""Outcomes, ADM decisions, approval creating the household, reviews, and qualifying determinations."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.cases.rules import ClockSettings, eight_month_clock
from carertrack.compliance import HouseholdStatus, household_status
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.case import CarerType as CaseCarerType
from carertrack.models.case import Case, CaseDecision, PanelRecommendation, Stage
from carertrack.models.case_records import MemberRelation
from carertrack.models.dbs import DbsOutcome
from carertrack.models.household import (
    AnnualReview,
    CarerType,
    DeregistrationReason,
    Household,
    MemberRole,
    Relationship,
    ReviewOutcome,
)
from carertrack.models.panel import MeetingStatus
from carertrack.models.panel_agenda import (
    AgendaItem,
    DeterminationKind,
    FinalDecision,
    ItemKind,
    QualifyingDetermination,
)
from carertrack.models.user import Role
from tests.factories import make_user
from tests.forms import submit
from tests.household_factories import make_household
from tests.html import error_summary, page_text
from tests.panel_factories import book, make_case, make_meeting


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def held_item(app, *, days_ago: int = 10, kind: ItemKind | None = None, **case_kwargs) -> tuple[int, int, date]:
    """An item on a meeting held `days_ago` days ago: (item id, subject id, meeting date)."""
    worker = make_user(app, Role.SOCIAL_WORKER)
    day = today() - timedelta(days=days_ago)
    meeting_id = make_meeting(app, day)
    household_id = case_kwargs.pop("household_id", None)
    if household_id is not None:
        item_id = book(app, meeting_id, worker.id, household_id=household_id, kind=kind)
        subject_id = household_id
    else:
        subject_id = make_case(app, worker_id=case_kwargs.pop("worker_id", worker.id), **case_kwargs)
        item_id = book(app, meeting_id, worker.id, case_id=subject_id, kind=kind)
    with app.app_context():
        from carertrack.audit.recorder import acting_as
        from carertrack.models.panel import PanelMeeting

        with acting_as("test setup"):
            db.session.get(PanelMeeting, meeting_id).status = MeetingStatus.HELD
            db.session.commit()
    return item_id, subject_id, day


APPROVE = {
    "recommendation": "approve",
    "approved_places": "2",
    "age_from": "0",
    "age_to": "11",
    "placement_types": ["short_term", "long_term"],
}


def test_outcomes_wait_for_the_attendance(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today())
    item_id = book(app, meeting_id, worker.id, case_id=make_case(app))
    response = submit(client, f"/panels/items/{item_id}/outcome", APPROVE)
    assert response.status_code == 400
    assert "Record who attended the meeting before recording its outcomes" in error_summary(response)


def test_an_inquorate_panel_makes_no_recommendation_and_its_items_move(app, client, panel_admin):
    item_id, case_id, _day = held_item(app)
    with app.app_context():
        from carertrack.audit.recorder import acting_as

        with acting_as("test setup"):
            meeting = db.session.get(AgendaItem, item_id).meeting
            meeting.quorate = False
            meeting.quorum_problems = "No chair or vice-chair"
            db.session.commit()
    response = submit(client, f"/panels/items/{item_id}/outcome", APPROVE)
    assert response.status_code == 400
    assert "The meeting was not quorate, so the panel could not make a recommendation" in error_summary(response)
    page = page_text(client.get(f"/panels/items/{item_id}"))
    assert "Move this item to another meeting" in page and "Record the outcome" not in page
    next_day = today() + timedelta(days=20)
    next_meeting = make_meeting(app, next_day)
    response = submit(client, f"/panels/items/{item_id}/move", {"meeting_id": str(next_meeting), "reason": "Inquorate"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).panel_date == next_day


def test_approve_needs_terms_and_defer_needs_a_reason(app, client, panel_admin):
    item_id, _case_id, _day = held_item(app)
    response = submit(client, f"/panels/items/{item_id}/outcome", {"recommendation": "approve"})
    summary = error_summary(response)
    assert "Enter the number of children in the terms of approval" in summary
    assert "Select at least one placement type" in summary
    response = submit(client, f"/panels/items/{item_id}/outcome", {**APPROVE, "age_from": "12", "age_to": "5"})
    assert "The oldest age must be the same as or more than the youngest age" in error_summary(response)
    response = submit(client, f"/panels/items/{item_id}/outcome", {"recommendation": "defer"})
    assert "Enter why the panel deferred" in error_summary(response)


def test_a_recommendation_stops_the_8_month_clock_and_fixes_within_or_outside(app, client, panel_admin):
    # Applied 9 months before the panel: the recommendation comes outside the timescale.
    application = today() - timedelta(days=10) - timedelta(days=275)
    item_id, case_id, panel_day = held_item(app, application_date=application)
    response = submit(client, f"/panels/items/{item_id}/outcome", APPROVE)
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.panel_recommendation is PanelRecommendation.APPROVE
        assert case.recommendation_date == panel_day
        assert case.panel_date == panel_day
        clock = eight_month_clock(case, today() + timedelta(days=400), ClockSettings())
        assert clock.status is None and clock.stopped_on == panel_day and clock.within is False


def test_a_deferral_leaves_the_clock_running(app, client, panel_admin):
    item_id, case_id, _day = held_item(app, application_date=today() - timedelta(days=100))
    response = submit(
        client, f"/panels/items/{item_id}/outcome", {"recommendation": "defer", "defer_reason": "Need GP letter"}
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.panel_recommendation is PanelRecommendation.DEFER
        assert eight_month_clock(case, today(), ClockSettings()).status is not None
        item = db.session.get(AgendaItem, item_id)
        assert item.defer_reason == "Need GP letter"
        assert item.approved_places is None
    page = page_text(client.get("/panels/decisions-awaited"))
    assert "No recommendations are waiting for a decision" in page


def test_approval_creates_the_household_with_members_checks_and_terms(app, client, panel_admin):
    dbs_day = today() - timedelta(days=200)
    worker = make_user(app, Role.SOCIAL_WORKER, name="Wendy Worker")
    item_id, case_id, panel_day = held_item(
        app,
        reference="C-2026-042",
        worker_id=worker.id,
        applicants=(("Amy Able", date(1985, 5, 5)), ("Ben Able", date(1983, 3, 3))),
        members=(
            ("Cara Able", date(2012, 1, 1), MemberRelation.CHILD, True),
            ("Dan Able", date(2001, 1, 1), MemberRelation.CHILD, True),
            ("Gran Able", date(1950, 1, 1), MemberRelation.PARENT, True),
            ("Away Able", date(1999, 1, 1), MemberRelation.CHILD, False),
        ),
        dbs_received=dbs_day,
    )
    minutes = panel_day + timedelta(days=2)
    response = submit(client, f"/panels/items/{item_id}/outcome", {**APPROVE, "minutes_received_on": uk(minutes)})
    assert response.status_code == 302, error_summary(response)
    decided = minutes + timedelta(days=1)
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(decided), "decision_maker": "Dee Decider"},
    )
    assert response.status_code == 302, error_summary(response)
    flash = page_text(client.get(response.headers["Location"]))
    assert "Approved household C-2026-042 has been created" in flash
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.decision, case.decision_date, case.stage) == (CaseDecision.APPROVED, decided, Stage.DECIDED)
        household = db.session.scalars(select(Household).where(Household.reference == "C-2026-042")).one()
        assert household.case_id == case_id
        assert household.approval_date == decided
        assert household.carer_type is CarerType.MAINSTREAM
        assert household.supervising_worker_id == worker.id
        assert (household.approved_places, household.age_from, household.age_to) == (2, 0, 11)
        assert household.placement_types == ["long_term", "short_term"]
        assert household.postcode == "AB1 2CD"
        people = {m.name: m for m in household.members}
        assert set(people) == {"Amy Able", "Ben Able", "Cara Able", "Dan Able", "Gran Able"}
        assert people["Amy Able"].role is MemberRole.CARER and people["Ben Able"].role is MemberRole.CARER
        assert people["Cara Able"].relationship is Relationship.BIRTH_CHILD
        assert people["Dan Able"].relationship is Relationship.ADULT_CHILD
        assert people["Gran Able"].relationship is Relationship.OTHER_ADULT
        for name in ("Amy Able", "Ben Able", "Cara Able", "Dan Able", "Gran Able"):
            checks = people[name].dbs_checks
            assert [(c.issue_date, c.outcome) for c in checks] == [(dbs_day, DbsOutcome.CLEAR)], name
        assert household_status(household, today()) is not HouseholdStatus.DEREGISTERED
        assert db.session.scalar(select(QualifyingDetermination.id)) is None
    page = page_text(client.get(f"/panels/items/{item_id}"))
    assert "Dee Decider" in page and "Approved" in page


def test_decision_needs_the_minutes_and_sensible_dates(app, client, panel_admin):
    item_id, _case_id, panel_day = held_item(app)
    submit(client, f"/panels/items/{item_id}/outcome", APPROVE)
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(today()), "decision_maker": "Dee"},
    )
    assert "Record the date the final minutes were received before recording the decision" in error_summary(response)
    submit(client, f"/panels/items/{item_id}/outcome", {**APPROVE, "minutes_received_on": uk(panel_day + timedelta(1))})
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(panel_day), "decision_maker": "Dee"},
    )
    assert "The decision date must be the same as or after the recommendation and the final minutes" in error_summary(
        response
    )
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(today() + timedelta(days=1)), "decision_maker": ""},
    )
    summary = error_summary(response)
    assert "The date of the decision must be today or in the past" in summary
    assert "Enter the name of the agency decision maker" in summary


def test_decisions_awaited_show_the_7_working_day_clock(app, client, panel_admin):
    # Minutes arrived 20 days ago: the decision is overdue.
    item_id, _case_id, panel_day = held_item(app, days_ago=25, reference="C-LATE")
    submit(client, f"/panels/items/{item_id}/outcome", {**APPROVE, "minutes_received_on": uk(panel_day + timedelta(5))})
    other_id, _other, _d = held_item(app, days_ago=3, reference="C-WAIT")
    submit(client, f"/panels/items/{other_id}/outcome", {"recommendation": "not_approve"})
    page = page_text(client.get("/panels/decisions-awaited"))
    assert "C-LATE" in page and "Breached" in page and "overdue" in page
    assert "C-WAIT" in page and "Waiting for the final minutes" in page
    assert page.index("C-LATE") < page.index("C-WAIT")


def test_a_refusal_is_a_qualifying_determination_with_28_days(app, client, panel_admin):
    item_id, case_id, panel_day = held_item(app, days_ago=20, reference="C-REFUSED")
    submit(
        client,
        f"/panels/items/{item_id}/outcome",
        {"recommendation": "not_approve", "minutes_received_on": uk(panel_day + timedelta(1))},
    )
    decided = panel_day + timedelta(days=3)
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "not_approved", "decided_on": uk(decided), "decision_maker": "Dee", "letter_date": uk(decided)},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.decision is CaseDecision.NOT_APPROVED
        assert db.session.scalar(select(Household.id)) is None
        determination = db.session.scalars(select(QualifyingDetermination)).one()
        assert (determination.kind, determination.letter_date) == (DeterminationKind.REFUSAL, decided)
        determination_id = determination.id
    page = page_text(client.get("/panels/determinations"))
    assert "C-REFUSED" in page and "Refusal of approval" in page
    assert (decided + timedelta(days=28)).strftime("%b %Y") in page
    response = submit(
        client,
        f"/panels/determinations/{determination_id}",
        {"irm_applied_on": uk(decided - timedelta(days=1))},
    )
    assert "The IRM application must be on or after the letter date" in error_summary(response)
    response = submit(
        client,
        f"/panels/determinations/{determination_id}",
        {"irm_applied_on": uk(decided + timedelta(days=5)), "final_decision": "confirmed"},
    )
    assert "Enter the date of the final decision" in error_summary(response)
    response = submit(
        client,
        f"/panels/determinations/{determination_id}",
        {
            "irm_applied_on": uk(decided + timedelta(days=5)),
            "final_decision": "confirmed",
            "final_decision_date": uk(today()),
        },
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        determination = db.session.get(QualifyingDetermination, determination_id)
        assert determination.final_decision is FinalDecision.CONFIRMED
    assert "No qualifying determinations are open" in page_text(client.get("/panels/determinations"))


def test_a_confirmed_termination_ends_the_households_approval(app, client, panel_admin):
    household_id = make_household(app, reference="FH-END", approval_date=date(2020, 1, 1))
    item_id, _hid, panel_day = held_item(app, days_ago=40, kind=ItemKind.TERMINATION, household_id=household_id)
    submit(
        client,
        f"/panels/items/{item_id}/outcome",
        {"recommendation": "not_approve", "minutes_received_on": uk(panel_day + timedelta(1))},
    )
    decided = panel_day + timedelta(days=2)
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "not_approved", "decided_on": uk(decided), "decision_maker": "Dee"},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        determination = db.session.scalars(select(QualifyingDetermination)).one()
        assert determination.kind is DeterminationKind.TERMINATION
        assert determination.letter_date is None
        # Approval only ends when the determination is final.
        assert db.session.get(Household, household_id).deregistration_date is None
        determination_id = determination.id
    assert "Waiting for the letter" in page_text(client.get("/panels/determinations"))
    final_day = decided + timedelta(days=30)
    response = submit(
        client,
        f"/panels/determinations/{determination_id}",
        {"letter_date": uk(decided), "final_decision": "confirmed", "final_decision_date": uk(final_day)},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        household = db.session.get(Household, household_id)
        assert household.deregistration_date == final_day
        assert household.deregistration_reason is DeregistrationReason.TERMINATED


def test_a_first_annual_reviews_outcome_completes_the_review_and_the_decision_sets_new_terms(app, client, panel_admin):
    household_id = make_household(app, reference="FH-REVIEW", approval_date=today() - timedelta(days=340))
    item_id, _hid, panel_day = held_item(app, days_ago=5, kind=ItemKind.FIRST_ANNUAL_REVIEW, household_id=household_id)
    form = client.get(f"/panels/items/{item_id}/outcome").get_data(as_text=True)
    assert "Approval continues" in form  # the words fit a review
    response = submit(
        client,
        f"/panels/items/{item_id}/outcome",
        {
            "recommendation": "approve",
            "approved_places": "3",
            "age_from": "5",
            "age_to": "17",
            "placement_types": ["short_term"],
            "minutes_received_on": uk(panel_day + timedelta(1)),
        },
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        review = db.session.scalars(select(AnnualReview)).one()
        assert (review.household_id, review.completed_date, review.went_to_panel) == (household_id, panel_day, True)
        assert review.outcome is ReviewOutcome.CHANGE_OF_TERMS
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(today()), "decision_maker": "Dee"},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        household = db.session.get(Household, household_id)
        assert (household.approved_places, household.age_from, household.age_to) == (3, 5, 17)
        assert db.session.scalar(select(QualifyingDetermination.id)) is None


def test_deferring_a_review_reopens_it(app, client, panel_admin):
    household_id = make_household(app, approval_date=today() - timedelta(days=340))
    item_id, _hid, _day = held_item(app, days_ago=5, kind=ItemKind.FIRST_ANNUAL_REVIEW, household_id=household_id)
    data = {
        "recommendation": "approve",
        "approved_places": "2",
        "age_from": "0",
        "age_to": "17",
        "placement_types": ["short_term"],
    }
    submit(client, f"/panels/items/{item_id}/outcome", data)
    with app.app_context():
        assert db.session.scalars(select(AnnualReview)).one().outcome is ReviewOutcome.CONTINUE
    submit(client, f"/panels/items/{item_id}/outcome", {"recommendation": "defer", "defer_reason": "More info"})
    with app.app_context():
        assert db.session.scalar(select(AnnualReview.id)) is None


def test_a_regulation_25_extension_records_the_panels_views_and_the_extension(app, client, panel_admin):
    item_id, case_id, panel_day = held_item(
        app,
        kind=ItemKind.REG25_EXTENSION,
        carer_type=CaseCarerType.CONNECTED,
        application_date=today() - timedelta(days=90),
    )
    with app.app_context():
        from carertrack.audit.recorder import acting_as

        with acting_as("test setup"):
            case = db.session.get(Case, case_id)
            case.placement_date = today() - timedelta(days=100)
            db.session.commit()
    submit(
        client,
        f"/panels/items/{item_id}/outcome",
        {"recommendation": "approve", "minutes_received_on": uk(panel_day + timedelta(1))},
    )
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(today()), "decision_maker": "Nora Nominated"},
    )
    assert "Enter the length of the extension in weeks" in error_summary(response)
    response = submit(
        client,
        f"/panels/items/{item_id}/decision",
        {"decision": "approved", "decided_on": uk(today()), "decision_maker": "Nora Nominated", "extension_weeks": "8"},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.extension_panel_views_date == panel_day
        assert (case.extension_granted_date, case.extension_weeks) == (today(), 8)
        assert case.extension_nominated_officer == "Nora Nominated"
        assert case.panel_date is None and case.decision is None and case.panel_recommendation is None
