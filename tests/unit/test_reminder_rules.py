"""Each reminder rule at its boundaries: the day before it fires, the day it fires, and when it changes or stops.

Records are built in memory (never saved); the expected dates are worked out by hand in the comments.
The panel rules read their settings, so those tests run inside an app context.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from carertrack.models.case import CarerType, Case, PanelRecommendation, compute_deadlines
from carertrack.models.case_records import CaseApplicant
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole, ReviewOutcome
from carertrack.models.household import CarerType as HouseholdType
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.models.staying_put import StayingPut
from carertrack.reminders import items as keys
from carertrack.reminders.digest import Recipient, digest_key, plan_daily
from carertrack.reminders.items import Directory, most_urgent_first
from carertrack.reminders.rules import (
    ReminderSettings,
    Sources,
    agenda_items,
    case_items,
    determination_items,
    due_items,
    for_recipient,
    household_items,
    staying_put_items,
)

WORKER, OTHER_WORKER, MANAGER, PANEL_ADMIN, LEFT = 1, 2, 10, 20, 99
DIRECTORY = Directory(
    active=frozenset({WORKER, OTHER_WORKER, MANAGER, PANEL_ADMIN}), managers=(MANAGER,), panel_admins=(PANEL_ADMIN,)
)
SETTINGS = ReminderSettings()


def rules_of(found) -> list[str]:
    return [item.rule for item in found]


# --- Cases ------------------------------------------------------------------------------------------


def make_case(**fields) -> Case:
    fields.setdefault("reference", "FC-2025-0001")
    fields.setdefault("carer_type", CarerType.MAINSTREAM)
    case = Case(id=fields.pop("id", 7), **fields)
    case.applicants = [CaseApplicant(position=1, name="Jane Smith"), CaseApplicant(position=2, name="Tom Smith")]
    case.eight_month_deadline, case.reg24_deadline = compute_deadlines(
        case.carer_type, case.application_date, case.placement_date, case.extension_weeks
    )
    return case


# Application 10 January 2025: deadline 10 September 2025; at risk from 42 days before (30 July).
EIGHT = {"application_date": date(2025, 1, 10), "allocated_worker_id": WORKER}


def test_eight_month_clock_quiet_until_42_days_before_the_deadline():
    assert case_items(make_case(**EIGHT), date(2025, 7, 29), DIRECTORY, SETTINGS) == []


def test_eight_month_clock_at_risk_goes_to_the_assessing_worker_and_the_manager():
    [item] = case_items(make_case(**EIGHT), date(2025, 7, 30), DIRECTORY, SETTINGS)
    assert item.rule == keys.EIGHT_MONTH_AT_RISK
    assert item.due_date == date(2025, 9, 10)
    assert item.recipients == (WORKER, MANAGER)
    assert not item.urgent
    assert item.subject == "FC-2025-0001 (Jane and Tom)"
    assert item.link.endpoint == "cases.show" and dict(item.link.values) == {"case_id": 7}


def test_eight_month_clock_on_the_deadline_is_still_at_risk_and_breached_the_day_after():
    assert rules_of(case_items(make_case(**EIGHT), date(2025, 9, 10), DIRECTORY, SETTINGS)) == [
        keys.EIGHT_MONTH_AT_RISK
    ]
    [item] = case_items(make_case(**EIGHT), date(2025, 9, 11), DIRECTORY, SETTINGS)
    assert item.rule == keys.EIGHT_MONTH_BREACHED
    assert item.urgent
    assert item.recipients == (WORKER, MANAGER)
    # A breach is an alert the manager cannot turn off; the worker's digest preference still applies.
    assert item.mandatory_for(MANAGER)
    assert not item.mandatory_for(WORKER)


def test_a_predicted_panel_after_the_deadline_is_at_risk_months_ahead():
    case = make_case(**EIGHT, predicted_panel_date=date(2025, 9, 18))
    assert rules_of(case_items(case, date(2025, 3, 1), DIRECTORY, SETTINGS)) == [keys.EIGHT_MONTH_AT_RISK]


def test_an_approve_recommendation_stops_the_clock_but_a_deferral_does_not():
    approved = make_case(
        **EIGHT,
        panel_date=date(2025, 9, 1),
        panel_recommendation=PanelRecommendation.APPROVE,
        recommendation_date=date(2025, 9, 1),
    )
    assert case_items(approved, date(2025, 9, 20), DIRECTORY, SETTINGS) == []
    deferred = make_case(
        **EIGHT,
        panel_date=date(2025, 9, 1),
        panel_recommendation=PanelRecommendation.DEFER,
        recommendation_date=date(2025, 9, 1),
    )
    assert rules_of(case_items(deferred, date(2025, 9, 20), DIRECTORY, SETTINGS)) == [keys.EIGHT_MONTH_BREACHED]


def test_an_unallocated_or_inactive_workers_case_goes_to_the_managers():
    [item] = case_items(make_case(application_date=date(2025, 1, 10)), date(2025, 9, 11), DIRECTORY, SETTINGS)
    assert item.recipients == (MANAGER,)
    [item] = case_items(
        make_case(application_date=date(2025, 1, 10), allocated_worker_id=LEFT), date(2025, 9, 11), DIRECTORY, SETTINGS
    )
    assert item.recipients == (MANAGER,)


# Placement Monday 3 March 2025: 12 weeks is 26 May, 14 weeks 9 June, 16 weeks (the deadline) 23 June.
# A panel is predicted before the deadline, so the clock is on track and only the milestones remind.
REG24 = {
    "carer_type": CarerType.CONNECTED,
    "placement_date": date(2025, 3, 3),
    "allocated_worker_id": WORKER,
    "predicted_panel_date": date(2025, 6, 19),
}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 5, 25), []),
        (date(2025, 5, 26), [keys.REG24_FIRST]),
        (date(2025, 6, 8), [keys.REG24_FIRST]),
        (date(2025, 6, 9), [keys.REG24_SECOND]),
        (date(2025, 6, 22), [keys.REG24_SECOND]),
        (date(2025, 6, 23), [keys.REG24_EXPIRY]),
        (date(2025, 6, 24), [keys.REG24_EXPIRY]),
    ],
)
def test_temporary_approval_at_12_and_14_weeks_and_at_expiry(as_of, expected):
    assert rules_of(case_items(make_case(**REG24), as_of, DIRECTORY, SETTINGS)) == expected


def test_temporary_approval_milestones_go_to_the_worker_and_expiry_to_the_managers_too():
    [first] = case_items(make_case(**REG24), date(2025, 5, 26), DIRECTORY, SETTINGS)
    assert first.recipients == (WORKER,)
    assert first.due_date == date(2025, 5, 26)
    [expiry] = case_items(make_case(**REG24), date(2025, 6, 23), DIRECTORY, SETTINGS)
    assert expiry.recipients == (WORKER, MANAGER)
    assert expiry.urgent and expiry.due_date == date(2025, 6, 23)
    assert "ends on 23 June 2025" in expiry.detail


def test_a_granted_extension_moves_the_milestones_and_the_expiry():
    # Eight more weeks: the deadline is 18 August 2025; the milestones sit 4 and 2 weeks before it.
    case = make_case(**REG24, extension_weeks=8, extension_granted_date=date(2025, 6, 2))
    assert rules_of(case_items(case, date(2025, 6, 23), DIRECTORY, SETTINGS)) == []
    assert rules_of(case_items(case, date(2025, 7, 21), DIRECTORY, SETTINGS)) == [keys.REG24_FIRST]
    assert rules_of(case_items(case, date(2025, 8, 18), DIRECTORY, SETTINGS)) == [keys.REG24_EXPIRY]


def test_an_extension_decision_is_needed_when_no_panel_comes_before_the_deadline():
    # No panel date: at risk from 42 days before 23 June, that is 12 May.
    case = make_case(**{**REG24, "predicted_panel_date": None})
    assert rules_of(case_items(case, date(2025, 5, 11), DIRECTORY, SETTINGS)) == []
    [item] = case_items(case, date(2025, 5, 12), DIRECTORY, SETTINGS)
    assert item.rule == keys.REG24_EXTENSION
    assert item.recipients == (WORKER, MANAGER)
    granted = make_case(
        **{**REG24, "predicted_panel_date": None}, extension_weeks=4, extension_granted_date=date(2025, 5, 1)
    )
    assert keys.REG24_EXTENSION not in rules_of(case_items(granted, date(2025, 6, 1), DIRECTORY, SETTINGS))
    pending = make_case(**{**REG24, "predicted_panel_date": None}, extension_pending_irm=True)
    assert keys.REG24_EXTENSION not in rules_of(case_items(pending, date(2025, 6, 1), DIRECTORY, SETTINGS))


def test_the_adm_decision_ends_the_temporary_approval_reminders():
    case = make_case(**REG24, decision_date=date(2025, 6, 20))
    assert case_items(case, date(2025, 6, 24), DIRECTORY, SETTINGS) == []


def test_the_lead_times_default_to_the_settings_defaults(app_ctx):
    # These tests use ReminderSettings(); with nothing stored, the service uses exactly the same figures.
    assert ReminderSettings.current() == SETTINGS


def test_the_milestone_weeks_are_settings():
    settings = ReminderSettings(reg24_first_weeks=10, reg24_second_weeks=13)
    # 10 weeks after 3 March is 12 May.
    assert rules_of(case_items(make_case(**REG24), date(2025, 5, 12), DIRECTORY, settings)) == [keys.REG24_FIRST]


# Enquiry Friday 2 May 2025; Monday 5 May is a bank holiday, so 2 working days end on Wednesday 7 May.
ENQUIRY = {"enquiry_date": date(2025, 5, 2), "intake_worker_id": OTHER_WORKER}


def test_first_contact_overdue_the_working_day_after_its_deadline():
    assert case_items(make_case(**ENQUIRY), date(2025, 5, 7), DIRECTORY, SETTINGS) == []
    [item] = case_items(make_case(**ENQUIRY), date(2025, 5, 8), DIRECTORY, SETTINGS)
    assert item.rule == keys.FIRST_CONTACT_OVERDUE
    assert item.due_date == date(2025, 5, 7)
    assert item.recipients == (OTHER_WORKER,)


def test_first_contact_with_nobody_taking_the_enquiry_goes_to_the_managers_and_stops_when_made():
    [item] = case_items(make_case(enquiry_date=date(2025, 5, 2)), date(2025, 5, 8), DIRECTORY, SETTINGS)
    assert item.recipients == (MANAGER,)
    assert item.mandatory_for(MANAGER)
    contacted = make_case(**ENQUIRY, first_contact_date=date(2025, 5, 6))
    assert case_items(contacted, date(2025, 5, 8), DIRECTORY, SETTINGS) == []


# --- Approved households ---------------------------------------------------------------------------


def make_household(worker: int | None = WORKER, **fields) -> Household:
    fields.setdefault("approval_date", date(2020, 1, 1))
    fields.setdefault("carer_type", HouseholdType.MAINSTREAM)
    household = Household(id=5, reference="FH-0005", supervising_worker_id=worker, **fields)
    household.members = []
    household.reviews = []
    return household


def add_member(
    household: Household, ident: int, name: str, dob: date | None, role: MemberRole, **fields
) -> HouseholdMember:
    member = HouseholdMember(id=ident, name=name, date_of_birth=dob, role=role, **fields)
    member.dbs_checks = []
    household.members.append(member)
    return member


def add_dbs(member: HouseholdMember, issued: date) -> None:
    check = DbsCheck(id=member.id * 10, certificate_number="001234567890", issue_date=issued)
    check.enhanced_with_barred_list = True
    check.update_service = False
    check.status_checks = []
    member.dbs_checks.append(check)


def dbs_rules(found):
    return [i for i in found if i.rule.startswith("dbs_")]


def carer_household(issued: date = date(2022, 6, 15)) -> Household:
    # Training done and a recent review, so only DBS reminders can appear.
    household = make_household()
    carer = add_member(
        household, 51, "Jane Carer", date(1975, 4, 3), MemberRole.CARER, tsd_completed_date=date(2020, 6, 1)
    )
    add_dbs(carer, issued)
    household.reviews = [AnnualReview(completed_date=date(2025, 1, 1), outcome=ReviewOutcome.CONTINUE)]
    return household


# DBS issued 15 June 2022: renewal 15 June 2025; due soon from 90 days before (17 March 2025).
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 3, 16), []),
        (date(2025, 3, 17), [keys.DBS_DUE_SOON]),
        (date(2025, 6, 15), [keys.DBS_DUE_SOON]),
        (date(2025, 6, 16), [keys.DBS_EXPIRED]),
    ],
)
def test_dbs_due_soon_and_expired(as_of, expected):
    found = dbs_rules(household_items(carer_household(), as_of, DIRECTORY, SETTINGS))
    assert rules_of(found) == expected
    for item in found:
        assert item.recipients == (WORKER,)
        assert item.due_date == date(2025, 6, 15)
        assert item.subject == "Household FH-0005: Jane"
        assert item.record_type == "HouseholdMember" and item.record_id == 51


def test_dbs_reminders_carry_no_dbs_details_or_dates_of_birth():
    for as_of in (date(2025, 3, 17), date(2025, 6, 16)):
        for item in household_items(carer_household(), as_of, DIRECTORY, SETTINGS):
            text = f"{item.title} {item.subject} {item.detail}"
            assert "001234567890" not in text
            assert "1975" not in text and "3 April" not in text
            assert "2022" not in text  # the issue date


def test_a_child_turning_18_without_a_dbs_check():
    # Born 10 September 2008: 18 on 10 September 2026; within 3 months from 10 June 2026.
    household = carer_household(issued=date(2025, 1, 1))
    add_member(household, 52, "Jamie Carer", date(2008, 9, 10), MemberRole.CHILD_MEMBER)
    assert dbs_rules(household_items(household, date(2026, 6, 9), DIRECTORY, SETTINGS)) == []
    [item] = dbs_rules(household_items(household, date(2026, 6, 10), DIRECTORY, SETTINGS))
    assert item.rule == keys.DBS_TURNING_18
    assert item.subject == "Household FH-0005: Jamie"
    # The key is the birthday; the words never say it.
    assert item.due_date == date(2026, 9, 10)
    assert "September" not in item.detail and "2008" not in item.detail


def test_an_adult_with_no_dbs_check_keeps_one_key_from_day_to_day():
    household = carer_household(issued=date(2025, 1, 1))
    add_member(household, 53, "Lee Lodger", date(1990, 2, 2), MemberRole.ADULT_MEMBER, joined_date=date(2024, 11, 5))
    day_one = dbs_rules(household_items(household, date(2025, 3, 1), DIRECTORY, SETTINGS))
    day_two = dbs_rules(household_items(household, date(2025, 3, 2), DIRECTORY, SETTINGS))
    assert rules_of(day_one) == [keys.DBS_MISSING]
    assert day_one[0].key(WORKER) == day_two[0].key(WORKER)
    assert day_one[0].due_date == date(2024, 11, 5)
    assert day_one[0].urgent


def test_household_reminders_go_to_the_managers_when_nobody_supervises():
    household = carer_household()
    household.supervising_worker_id = None
    [item] = dbs_rules(household_items(household, date(2025, 6, 16), DIRECTORY, SETTINGS))
    assert item.recipients == (MANAGER,)


def test_a_deregistered_household_gets_no_reminders():
    household = carer_household()
    household.deregistration_date = date(2025, 6, 1)
    assert household_items(household, date(2025, 6, 16), DIRECTORY, SETTINGS) == []


# Approved 1 March 2024: first review due 1 March 2025, due soon from 42 days before (18 January 2025).
def review_household(reviews: list[date] = ()) -> Household:
    household = make_household(approval_date=date(2024, 3, 1))
    carer = add_member(
        household, 61, "Ann Carer", date(1970, 1, 1), MemberRole.CARER, tsd_completed_date=date(2024, 6, 1)
    )
    add_dbs(carer, date(2024, 1, 1))
    household.reviews = [AnnualReview(completed_date=d, outcome=ReviewOutcome.CONTINUE) for d in reviews]
    return household


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 1, 17), []),
        (date(2025, 1, 18), [keys.REVIEW_DUE_SOON]),
        (date(2025, 3, 1), [keys.REVIEW_DUE_SOON]),
        (date(2025, 3, 2), [keys.REVIEW_OVERDUE]),
    ],
)
def test_annual_review_due_within_6_weeks_and_overdue(as_of, expected):
    found = household_items(review_household(), as_of, DIRECTORY, SETTINGS)
    assert rules_of(found) == expected
    for item in found:
        assert item.due_date == date(2025, 3, 1)
        assert "first review goes to panel" in item.detail
        assert item.link.anchor == "reviews"


def test_a_completed_review_sets_the_next_one_a_year_later():
    found = household_items(review_household([date(2025, 2, 20)]), date(2025, 3, 2), DIRECTORY, SETTINGS)
    assert found == []
    [item] = household_items(review_household([date(2025, 2, 20)]), date(2026, 2, 21), DIRECTORY, SETTINGS)
    assert item.rule == keys.REVIEW_OVERDUE and item.due_date == date(2026, 2, 20)


def training_household(
    carer_type=HouseholdType.MAINSTREAM, completed: date | None = None, left: date | None = None
) -> Household:
    household = make_household(approval_date=date(2024, 3, 1), carer_type=carer_type)
    carer = add_member(
        household, 71, "Bea Carer", date(1970, 1, 1), MemberRole.CARER, tsd_completed_date=completed, left_date=left
    )
    add_dbs(carer, date(2024, 1, 1))
    household.reviews = [AnnualReview(completed_date=date(2025, 2, 1), outcome=ReviewOutcome.CONTINUE)]
    return household


def training_rules(found):
    return [i.rule for i in found if i.rule.startswith("training")]


# Mainstream, approved 1 March 2024: standards due 1 March 2025; due soon from 61 days before (30 December 2024).
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 12, 29), []),
        (date(2024, 12, 30), [keys.TRAINING_DUE_SOON]),
        (date(2025, 3, 1), [keys.TRAINING_DUE_SOON]),
        (date(2025, 3, 2), [keys.TRAINING_OVERDUE]),
    ],
)
def test_training_standards_due_within_2_months_and_overdue(as_of, expected):
    assert training_rules(household_items(training_household(), as_of, DIRECTORY, SETTINGS)) == expected


def test_connected_carers_have_18_months_and_completed_or_departed_carers_none():
    # Connected: due 1 September 2025.
    connected = training_household(HouseholdType.CONNECTED)
    assert training_rules(household_items(connected, date(2025, 3, 2), DIRECTORY, SETTINGS)) == []
    assert training_rules(household_items(connected, date(2025, 9, 2), DIRECTORY, SETTINGS)) == [keys.TRAINING_OVERDUE]
    done = training_household(completed=date(2025, 2, 1))
    assert training_rules(household_items(done, date(2025, 3, 2), DIRECTORY, SETTINGS)) == []
    departed = training_household(left=date(2025, 1, 1))
    assert training_rules(household_items(departed, date(2025, 3, 2), DIRECTORY, SETTINGS)) == []


# --- Staying put -------------------------------------------------------------------------------------


def arrangement(**fields) -> StayingPut:
    household = make_household()
    # Born 20 August 2005: 21 on 20 August 2026. Three months before is 20 May 2026.
    record = StayingPut(
        id=9, young_person_reference="YP-0042", date_of_birth=date(2005, 8, 20), start_date=date(2023, 8, 20), **fields
    )
    record.household = household
    return record


def test_staying_put_ending_within_3_months():
    assert staying_put_items(arrangement(), date(2026, 5, 19), DIRECTORY, SETTINGS) == []
    [item] = staying_put_items(arrangement(), date(2026, 5, 20), DIRECTORY, SETTINGS)
    assert item.rule == keys.STAYING_PUT_ENDING
    assert item.recipients == (WORKER,)
    assert item.subject == "Household FH-0005: young person YP-0042"
    assert item.due_date == date(2026, 8, 20)
    # The 21st birthday is the young person's date of birth in disguise: never in the words.
    assert "August" not in item.detail and "2005" not in item.detail


def test_an_earlier_planned_end_counts_and_an_ended_arrangement_is_quiet():
    early = arrangement(planned_end_date=date(2026, 3, 31))
    [item] = staying_put_items(early, date(2026, 1, 1), DIRECTORY, SETTINGS)
    assert item.due_date == date(2026, 3, 31)
    ended = arrangement(end_date=date(2026, 5, 1))
    assert staying_put_items(ended, date(2026, 5, 20), DIRECTORY, SETTINGS) == []


# --- Panel ----------------------------------------------------------------------------------------------


def make_item(meeting_date: date, **fields) -> AgendaItem:
    meeting = PanelMeeting(
        id=3,
        meeting_date=meeting_date,
        start_time=time(10),
        capacity=6,
        status=fields.pop("status", MeetingStatus.SCHEDULED),
    )
    item = AgendaItem(id=11, meeting_id=3, kind=ItemKind.NEW_APPROVAL, presenter_id=WORKER, **fields)
    item.meeting = meeting
    item.case = make_case(application_date=date(2025, 1, 10))
    item.household = None
    item.decision = None
    return item


# Panel Thursday 12 June 2025: papers due by Thursday 5 June; reminded from 3 working days before (Monday 2 June).
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 5, 30), []),
        (date(2025, 6, 2), [keys.PAPERS_DUE]),
        (date(2025, 6, 5), [keys.PAPERS_DUE]),
        (date(2025, 6, 6), [keys.PAPERS_OVERDUE]),
        (date(2025, 6, 12), [keys.PAPERS_OVERDUE]),
        (date(2025, 6, 13), []),
    ],
)
def test_panel_papers_due_in_3_working_days_and_overdue(app_ctx, as_of, expected):
    found = agenda_items(make_item(date(2025, 6, 12)), as_of, DIRECTORY, SETTINGS)
    assert rules_of(found) == expected
    for item in found:
        assert item.recipients == (WORKER, PANEL_ADMIN)
        assert item.due_date == date(2025, 6, 5)
        assert item.link.endpoint == "panels.item"


def test_papers_received_or_a_cancelled_meeting_need_no_reminder(app_ctx):
    received = make_item(date(2025, 6, 12), papers_received_on=date(2025, 6, 1))
    assert agenda_items(received, date(2025, 6, 6), DIRECTORY, SETTINGS) == []
    cancelled = make_item(date(2025, 6, 12), status=MeetingStatus.CANCELLED)
    assert agenda_items(cancelled, date(2025, 6, 6), DIRECTORY, SETTINGS) == []
    withdrawn = make_item(date(2025, 6, 12), withdrawn_on=date(2025, 5, 1))
    assert agenda_items(withdrawn, date(2025, 6, 6), DIRECTORY, SETTINGS) == []


def decided_item(**fields) -> AgendaItem:
    # Recommended on Thursday 12 June 2025, final minutes on Monday 16 June: the ADM's 7 working days end
    # on Wednesday 25 June; the reminder goes after 5 working days (Monday 23 June).
    return make_item(
        date(2025, 6, 12),
        recommendation=Recommendation.APPROVE,
        recommendation_date=date(2025, 6, 12),
        minutes_received_on=date(2025, 6, 16),
        papers_received_on=date(2025, 6, 1),
        **fields,
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 6, 20), []),
        (date(2025, 6, 23), [keys.ADM_DUE]),
        (date(2025, 6, 25), [keys.ADM_DUE]),
        (date(2025, 6, 26), [keys.ADM_OVERDUE]),
    ],
)
def test_adm_decision_past_5_working_days_and_overdue(app_ctx, as_of, expected):
    found = agenda_items(decided_item(), as_of, DIRECTORY, SETTINGS)
    assert rules_of(found) == expected
    for item in found:
        assert item.recipients == (PANEL_ADMIN, MANAGER)
        assert item.due_date == date(2025, 6, 25)
        assert item.mandatory_for(MANAGER) == (item.rule == keys.ADM_OVERDUE)


def test_a_recorded_adm_decision_ends_the_reminders(app_ctx):
    item = decided_item()
    item.decision = AdmDecision(
        decision=Decision.APPROVED, decided_on=date(2025, 6, 24), decision_maker="Head of service"
    )
    assert agenda_items(item, date(2025, 6, 26), DIRECTORY, SETTINGS) == []


def determination(**fields) -> QualifyingDetermination:
    item = decided_item()
    decision = AdmDecision(id=4, decision=Decision.NOT_APPROVED, decided_on=date(2025, 6, 20), decision_maker="Head")
    decision.item = item
    # Letter sent 1 July 2025: the 28 days end on 29 July; reminded from 7 days before (22 July).
    record = QualifyingDetermination(id=8, kind=DeterminationKind.REFUSAL, letter_date=date(2025, 7, 1), **fields)
    record.decision = decision
    return record


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 7, 21), []),
        (date(2025, 7, 22), [keys.IRM_ENDING]),
        (date(2025, 7, 29), [keys.IRM_ENDING]),
        (date(2025, 7, 30), [keys.IRM_ENDED]),
    ],
)
def test_a_qualifying_determinations_28_days_ending(app_ctx, as_of, expected):
    found = determination_items(determination(), as_of, DIRECTORY, SETTINGS)
    assert rules_of(found) == expected
    for item in found:
        assert item.recipients == (WORKER, PANEL_ADMIN)
        assert item.record_type == "QualifyingDetermination" and item.due_date == date(2025, 7, 29)


def test_representations_stop_the_irm_reminders(app_ctx):
    stopped = determination(representations_received_on=date(2025, 7, 10))
    assert determination_items(stopped, date(2025, 7, 25), DIRECTORY, SETTINGS) == []


# --- Putting them together ----------------------------------------------------------------------------


def test_items_come_most_urgent_first_and_each_person_gets_their_own():
    breached = make_case(id=1, reference="FC-1", application_date=date(2025, 1, 10), allocated_worker_id=WORKER)
    at_risk = make_case(id=2, reference="FC-2", application_date=date(2025, 2, 1), allocated_worker_id=OTHER_WORKER)
    household = carer_household()  # DBS renewal due 15 June 2025
    sources = Sources(cases=[at_risk, breached], households=[household])
    found = due_items(sources, date(2025, 9, 11), DIRECTORY, SETTINGS)
    # 11 September: FC-1 breached (deadline 10 Sep), the DBS expired (15 June), FC-2 at risk (deadline 1 Oct).
    assert [(i.rule, i.subject.split()[0]) for i in found] == [
        (keys.DBS_EXPIRED, "Household"),
        (keys.EIGHT_MONTH_BREACHED, "FC-1"),
        (keys.EIGHT_MONTH_AT_RISK, "FC-2"),
    ]
    assert rules_of(for_recipient(found, WORKER)) == [keys.DBS_EXPIRED, keys.EIGHT_MONTH_BREACHED]
    assert rules_of(for_recipient(found, OTHER_WORKER)) == [keys.EIGHT_MONTH_AT_RISK]
    assert rules_of(for_recipient(found, MANAGER)) == [keys.EIGHT_MONTH_BREACHED, keys.EIGHT_MONTH_AT_RISK]
    assert most_urgent_first(reversed(found)) == found


def recipient(ident: int, role, daily: bool = True) -> Recipient:
    return Recipient(ident, f"p{ident}@example.org", f"Person {ident}", role, daily_digest=daily)


def test_a_digest_holds_only_new_items_and_comes_at_most_once_a_day():
    from carertrack.models.user import Role

    breached = make_case(id=1, reference="FC-1", application_date=date(2025, 1, 10), allocated_worker_id=WORKER)
    at_risk = make_case(id=2, reference="FC-2", application_date=date(2025, 2, 1), allocated_worker_id=WORKER)
    day = date(2025, 9, 11)
    found = due_items(Sources(cases=[breached, at_risk]), day, DIRECTORY, SETTINGS)
    people = {WORKER: recipient(WORKER, Role.SOCIAL_WORKER), MANAGER: recipient(MANAGER, Role.MANAGER)}
    [worker_plan, manager_plan] = plan_daily(day, found, people, set())
    assert worker_plan.recipient.id == WORKER and len(worker_plan.new) == 2 and worker_plan.earlier == 0
    # The breach was sent yesterday: only the at-risk item is new, and the breach counts as told before.
    sent = {found[0].key(WORKER)}
    [worker_plan, _] = plan_daily(day, found, people, sent)
    assert rules_of(worker_plan.new) == [keys.EIGHT_MONTH_AT_RISK] and worker_plan.earlier == 1
    # Today's digest already went: nothing more today.
    assert [p.recipient.id for p in plan_daily(day, found, people, {digest_key(WORKER, day)})] == [MANAGER]


def test_turning_the_digest_off_leaves_only_a_managers_breach_alerts():
    from carertrack.models.user import Role

    breached = make_case(id=1, reference="FC-1", application_date=date(2025, 1, 10), allocated_worker_id=WORKER)
    at_risk = make_case(id=2, reference="FC-2", application_date=date(2025, 2, 1), allocated_worker_id=WORKER)
    day = date(2025, 9, 11)
    found = due_items(Sources(cases=[breached, at_risk]), day, DIRECTORY, SETTINGS)
    people = {
        WORKER: recipient(WORKER, Role.SOCIAL_WORKER, daily=False),
        MANAGER: recipient(MANAGER, Role.MANAGER, daily=False),
    }
    [manager_plan] = plan_daily(day, found, people, set())
    assert manager_plan.recipient.id == MANAGER
    assert rules_of(manager_plan.new) == [keys.EIGHT_MONTH_BREACHED]
