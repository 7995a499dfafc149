"""The assessment rules at their boundaries: clocks, statuses, counting, stages, the checklist and validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from carertrack.cases import rules, validation
from carertrack.cases.rules import ClockSettings
from carertrack.clocks import ClockStatus
from carertrack.models.case import (
    CarerType,
    Case,
    CaseDecision,
    PanelRecommendation,
    Stage,
    Stage1Decision,
)
from carertrack.models.case_records import (
    CaseApplicant,
    CaseMember,
    CheckKind,
    CheckOutcome,
    MemberRelation,
    Stage1Check,
    Stage2Session,
)

SETTINGS = ClockSettings(lead_days=42, short_lead_days=2, first_contact_days=2)


def make_case(**values) -> Case:
    values.setdefault("carer_type", CarerType.MAINSTREAM)
    values.setdefault("stage", Stage.ENQUIRY)
    names = values.pop("names", ["Alex Smith"])
    case = Case(**values)
    for position, name in enumerate(names, start=1):
        case.applicants.append(CaseApplicant(id=position, position=position, name=name))
    return case


def clock(case: Case, key: str, as_of: date):
    return next((c for c in rules.case_clocks(case, as_of, SETTINGS) if c.key == key), None)


# --- 8 months --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "deadline"),
    [
        (date(2025, 6, 30), date(2026, 2, 28)),  # clamped to the end of February
        (date(2025, 8, 31), date(2026, 4, 30)),  # clamped to the end of April
        (date(2023, 6, 30), date(2024, 2, 29)),  # leap year February
        (date(2023, 6, 29), date(2024, 2, 29)),
        (date(2025, 1, 15), date(2025, 9, 15)),
        (date(2025, 5, 31), date(2026, 1, 31)),
    ],
)
def test_eight_month_deadline_clamps_to_month_end(applied, deadline):
    case = make_case(application_date=applied)
    assert clock(case, rules.EIGHT_MONTH, applied).deadline == deadline


def test_eight_month_status_boundaries_without_a_panel_date():
    case = make_case(application_date=date(2025, 1, 15))  # deadline 15 September 2025
    deadline = date(2025, 9, 15)
    assert clock(case, "eight_month", deadline - timedelta(days=43)).status is ClockStatus.ON_TRACK
    assert clock(case, "eight_month", deadline - timedelta(days=42)).status is ClockStatus.AT_RISK
    on_the_day = clock(case, "eight_month", deadline)
    assert on_the_day.status is ClockStatus.AT_RISK
    assert on_the_day.days_left == 0
    after = clock(case, "eight_month", deadline + timedelta(days=1))
    assert after.status is ClockStatus.BREACHED
    assert after.days_left == -1


def test_eight_month_status_with_a_predicted_or_booked_panel():
    deadline = date(2025, 9, 15)
    on_time = make_case(application_date=date(2025, 1, 15), predicted_panel_date=deadline)
    assert clock(on_time, "eight_month", deadline - timedelta(days=5)).status is ClockStatus.ON_TRACK
    late = make_case(application_date=date(2025, 1, 15), predicted_panel_date=deadline + timedelta(days=1))
    assert clock(late, "eight_month", date(2025, 3, 1)).status is ClockStatus.AT_RISK
    # The later of predicted and booked counts.
    booked_late = make_case(
        application_date=date(2025, 1, 15), predicted_panel_date=date(2025, 8, 1), panel_date=date(2025, 10, 1)
    )
    assert clock(booked_late, "eight_month", date(2025, 3, 1)).status is ClockStatus.AT_RISK
    # A panel date does not save a clock whose deadline has passed.
    assert clock(on_time, "eight_month", deadline + timedelta(days=1)).status is ClockStatus.BREACHED


def test_eight_month_clock_stops_at_approve_or_not_approve_but_not_defer():
    deadline = date(2025, 9, 15)
    approved = make_case(
        application_date=date(2025, 1, 15),
        panel_date=deadline,
        panel_recommendation=PanelRecommendation.APPROVE,
        recommendation_date=deadline,
    )
    stopped = clock(approved, "eight_month", date(2026, 1, 1))
    assert stopped.status is None and stopped.stopped_on == deadline and stopped.within is True
    refused_late = make_case(
        application_date=date(2025, 1, 15),
        panel_date=deadline + timedelta(days=1),
        panel_recommendation=PanelRecommendation.NOT_APPROVE,
    )
    late = clock(refused_late, "eight_month", date(2026, 1, 1))
    assert late.stopped_on == deadline + timedelta(days=1) and late.within is False
    deferred = make_case(
        application_date=date(2025, 1, 15),
        panel_date=date(2025, 8, 1),
        panel_recommendation=PanelRecommendation.DEFER,
        recommendation_date=date(2025, 8, 1),
    )
    assert clock(deferred, "eight_month", date(2025, 9, 16)).status is ClockStatus.BREACHED


def test_a_recommendation_after_the_as_of_date_has_not_happened_yet():
    case = make_case(
        application_date=date(2025, 1, 15),
        panel_date=date(2025, 9, 1),
        panel_recommendation=PanelRecommendation.APPROVE,
        recommendation_date=date(2025, 9, 1),
    )
    running = clock(case, "eight_month", date(2025, 8, 31))
    assert running.status is ClockStatus.ON_TRACK
    assert clock(case, "eight_month", date(2025, 9, 1)).status is None


def test_closure_stops_the_eight_month_clock_and_no_clock_before_the_application():
    case = make_case(application_date=date(2025, 1, 15), closed_date=date(2025, 5, 1))
    assert clock(case, "eight_month", date(2025, 4, 30)).status is ClockStatus.ON_TRACK
    assert clock(case, "eight_month", date(2025, 5, 1)).stopped_on == date(2025, 5, 1)
    assert clock(case, "eight_month", date(2025, 1, 14)) is None
    assert clock(make_case(), "eight_month", date(2025, 1, 14)) is None


# --- Regulation 24 ---------------------------------------------------------------------------------


def test_reg24_is_sixteen_weeks_from_placement_without_an_extension():
    case = make_case(carer_type=CarerType.CONNECTED, placement_date=date(2025, 3, 3))
    reg24 = clock(case, "reg24", date(2025, 3, 3))
    assert reg24.deadline == date(2025, 6, 23)
    assert clock(case, "reg24", date(2025, 6, 23)).status is ClockStatus.AT_RISK
    assert clock(case, "reg24", date(2025, 6, 24)).status is ClockStatus.BREACHED


@pytest.mark.parametrize(("weeks", "deadline"), [(1, date(2025, 6, 30)), (8, date(2025, 8, 18))])
def test_reg24_extension_adds_its_weeks(weeks, deadline):
    case = make_case(
        carer_type=CarerType.CONNECTED,
        placement_date=date(2025, 3, 3),
        extension_granted_date=date(2025, 6, 1),
        extension_weeks=weeks,
    )
    assert clock(case, "reg24", date(2025, 6, 24)).deadline == deadline
    assert clock(case, "reg24", deadline + timedelta(days=1)).status is ClockStatus.BREACHED


def test_reg24_only_for_connected_cases_with_a_placement_and_stops_at_the_decision():
    assert clock(make_case(placement_date=date(2025, 3, 3)), "reg24", date(2025, 4, 1)) is None
    assert clock(make_case(carer_type=CarerType.CONNECTED), "reg24", date(2025, 4, 1)) is None
    decided = make_case(
        carer_type=CarerType.CONNECTED,
        placement_date=date(2025, 3, 3),
        decision=CaseDecision.APPROVED,
        decision_date=date(2025, 7, 1),
    )
    assert clock(decided, "reg24", date(2025, 6, 30)).status is ClockStatus.BREACHED
    stopped = clock(decided, "reg24", date(2025, 7, 1))
    assert stopped.status is None and stopped.within is False
    # A recommendation does not stop regulation 24: only the decision does.
    recommended = make_case(
        carer_type=CarerType.CONNECTED,
        placement_date=date(2025, 3, 3),
        panel_date=date(2025, 6, 1),
        panel_recommendation=PanelRecommendation.APPROVE,
    )
    assert clock(recommended, "reg24", date(2025, 6, 24)).status is ClockStatus.BREACHED


# --- First contact ---------------------------------------------------------------------------------


def test_first_contact_counts_working_days_over_a_weekend():
    case = make_case(enquiry_date=date(2025, 10, 3))  # a Friday
    first = clock(case, "first_contact", date(2025, 10, 3))
    assert first.deadline == date(2025, 10, 7)  # Tuesday
    assert clock(case, "first_contact", date(2025, 10, 7)).status is ClockStatus.AT_RISK
    assert clock(case, "first_contact", date(2025, 10, 8)).status is ClockStatus.BREACHED


def test_first_contact_skips_bank_holidays():
    case = make_case(enquiry_date=date(2026, 4, 2))  # Thursday before Good Friday 2026
    assert clock(case, "first_contact", date(2026, 4, 2)).deadline == date(2026, 4, 8)
    christmas = make_case(enquiry_date=date(2025, 12, 24))
    assert clock(christmas, "first_contact", date(2025, 12, 24)).deadline == date(2025, 12, 30)


def test_first_contact_uses_the_short_lead_time_and_stops_at_contact_visit_or_application():
    case = make_case(enquiry_date=date(2025, 10, 1))  # Wednesday; deadline Friday 3 October
    settings = ClockSettings(short_lead_days=1)
    first = next(c for c in rules.case_clocks(case, date(2025, 10, 1), settings) if c.key == "first_contact")
    assert first.status is ClockStatus.ON_TRACK
    for stop in ("first_contact_date", "initial_visit_date", "application_date"):
        stopped = make_case(enquiry_date=date(2025, 10, 1), **{stop: date(2025, 10, 6)})
        late = clock(stopped, "first_contact", date(2025, 10, 10))
        assert late.stopped_on == date(2025, 10, 6) and late.within is False, stop


# --- Timescale status, counting, display -----------------------------------------------------------


def test_timescale_status_is_the_worse_of_eight_months_and_reg24_only():
    case = make_case(
        carer_type=CarerType.CONNECTED,
        enquiry_date=date(2025, 1, 1),
        application_date=date(2025, 3, 1),
        placement_date=date(2025, 3, 3),
    )
    # 8 months on track; reg 24 breached after 23 June.
    assert rules.timescale_status(case, date(2025, 6, 24), SETTINGS) is ClockStatus.BREACHED
    assert rules.timescale_status(case, date(2025, 5, 11), SETTINGS) is ClockStatus.ON_TRACK
    assert rules.timescale_status(case, date(2025, 5, 12), SETTINGS) is ClockStatus.AT_RISK
    # A breached first-contact clock does not count.
    enquiry = make_case(enquiry_date=date(2025, 1, 1))
    assert rules.timescale_status(enquiry, date(2025, 3, 1), SETTINGS) is None
    applied = make_case(enquiry_date=date(2025, 1, 1), application_date=date(2025, 3, 1))
    assert rules.timescale_status(applied, date(2025, 3, 1), SETTINGS) is ClockStatus.ON_TRACK


def test_in_assessment_and_enquiry_open_as_of_a_date():
    case = make_case(
        enquiry_date=date(2025, 1, 1),
        application_date=date(2025, 2, 1),
        panel_date=date(2025, 9, 1),
        panel_recommendation=PanelRecommendation.APPROVE,
        recommendation_date=date(2025, 9, 2),
    )
    assert rules.enquiry_open(case, date(2025, 1, 31))
    assert not rules.in_assessment(case, date(2025, 1, 31))
    assert rules.in_assessment(case, date(2025, 2, 1))
    assert not rules.enquiry_open(case, date(2025, 2, 1))
    assert rules.in_assessment(case, date(2025, 9, 1))
    assert not rules.in_assessment(case, date(2025, 9, 2))
    deferred = make_case(
        application_date=date(2025, 2, 1), panel_date=date(2025, 9, 1), panel_recommendation=PanelRecommendation.DEFER
    )
    assert rules.in_assessment(deferred, date(2025, 12, 1))
    closed = make_case(application_date=date(2025, 2, 1), closed_date=date(2025, 3, 1))
    assert rules.in_assessment(closed, date(2025, 2, 28)) and not rules.in_assessment(closed, date(2025, 3, 1))
    assert not rules.enquiry_open(
        make_case(enquiry_date=date(2025, 1, 1), closed_date=date(2025, 1, 5)), date(2025, 2, 1)
    )


def test_applicant_display():
    assert rules.applicant_display(make_case(names=["Sam Jones"])) == "Sam Jones"
    assert rules.applicant_display(make_case(names=["Sam Jones", "Ali Khan"])) == "Sam Jones and Ali Khan"
    assert rules.applicant_display(make_case(names=[])) == ""


def test_urgency_orders_breached_then_at_risk_then_on_track_then_none():
    keys = [
        rules.urgency_key(None, None),
        rules.urgency_key(ClockStatus.ON_TRACK, date(2025, 1, 1)),
        rules.urgency_key(ClockStatus.BREACHED, date(2025, 3, 1)),
        rules.urgency_key(ClockStatus.AT_RISK, date(2025, 2, 1)),
        rules.urgency_key(ClockStatus.BREACHED, date(2025, 2, 1)),
    ]
    assert sorted(keys) == [keys[4], keys[2], keys[3], keys[1], keys[0]]


def test_age_on_birthdays_and_leap_days():
    assert rules.age_on(date(2008, 5, 10), date(2026, 5, 9)) == 17
    assert rules.age_on(date(2008, 5, 10), date(2026, 5, 10)) == 18
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert rules.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_brief_report_comments_due_in_ten_working_days():
    case = make_case(brief_report=True, brief_report_shared_date=date(2025, 12, 19))  # Friday before Christmas
    assert rules.brief_report_comments_due(case) == date(2026, 1, 7)
    assert (
        rules.brief_report_comments_due(make_case(brief_report=False, brief_report_shared_date=date(2025, 1, 1)))
        is None
    )


# --- Stage -----------------------------------------------------------------------------------------


def test_derived_stage_follows_the_recorded_facts():
    case = make_case(enquiry_date=date(2025, 1, 1))
    assert rules.derived_stage(case) is Stage.ENQUIRY
    case.initial_visit_date = date(2025, 1, 10)
    assert rules.derived_stage(case) is Stage.INITIAL_VISIT
    case.application_date = date(2025, 2, 1)
    assert rules.derived_stage(case) is Stage.APPLICATION
    case.allocated_worker_id = 7
    assert rules.derived_stage(case) is Stage.ALLOCATED
    case.checks.append(Stage1Check(kind=CheckKind.MEDICAL, subject="A", requested_date=date(2025, 2, 5)))
    assert rules.derived_stage(case) is Stage.STAGE1
    case.sessions.append(Stage2Session(session_date=date(2025, 3, 1)))
    assert rules.derived_stage(case) is Stage.STAGE2
    case.report_completed_date = date(2025, 7, 1)
    assert rules.derived_stage(case) is Stage.READY_FOR_PANEL
    case.panel_date = date(2025, 8, 1)
    assert rules.derived_stage(case) is Stage.PANEL
    case.decision = CaseDecision.APPROVED
    assert rules.derived_stage(case) is Stage.DECIDED


def test_stage2_starts_with_a_decision_to_proceed():
    case = make_case(application_date=date(2025, 2, 1), stage1_decision=Stage1Decision.PROCEED)
    assert rules.derived_stage(case) is Stage.STAGE2


# --- Checklist -------------------------------------------------------------------------------------


def test_checklist_from_the_household():
    case = make_case(names=["Sam Jones", "Ali Khan"])
    today = date(2026, 5, 10)
    case.members += [
        CaseMember(
            id=11, name="Adult Son", date_of_birth=date(2000, 1, 1), relation=MemberRelation.CHILD, lives_there=True
        ),
        CaseMember(
            id=12,
            name="Turns 18 Today",
            date_of_birth=date(2008, 5, 10),
            relation=MemberRelation.CHILD,
            lives_there=True,
        ),
        CaseMember(
            id=13, name="Seventeen", date_of_birth=date(2008, 5, 11), relation=MemberRelation.CHILD, lives_there=True
        ),
        CaseMember(
            id=14, name="Toddler", date_of_birth=date(2023, 1, 1), relation=MemberRelation.CHILD, lives_there=True
        ),
        CaseMember(
            id=15, name="Gran Away", date_of_birth=date(1950, 1, 1), relation=MemberRelation.PARENT, lives_there=False
        ),
        CaseMember(
            id=16, name="Lodger", date_of_birth=date(1990, 1, 1), relation=MemberRelation.LODGER, lives_there=True
        ),
    ]
    specs = rules.required_checks(case, today)
    by_subject: dict[str, set[CheckKind]] = {}
    for spec in specs:
        by_subject.setdefault(spec.subject, set()).add(spec.kind)
    applicant_kinds = set(rules.APPLICANT_CHECKS)
    assert by_subject["Sam Jones"] == applicant_kinds
    assert by_subject["Ali Khan"] == applicant_kinds
    assert by_subject["Adult Son"] == {CheckKind.DBS, CheckKind.LA_CHECKS}
    assert by_subject["Turns 18 Today"] == {CheckKind.DBS, CheckKind.LA_CHECKS}
    assert by_subject["Seventeen"] == {CheckKind.SCHOOL}
    assert by_subject["Toddler"] == {CheckKind.HEALTH_VISITOR}
    assert "Gran Away" not in by_subject
    assert by_subject["Lodger"] == {CheckKind.DBS, CheckKind.LA_CHECKS}
    assert sum(1 for s in specs if s.kind == CheckKind.PERSONAL_REFERENCE) == 2
    assert sum(1 for s in specs if s.kind == CheckKind.HOME_SAFETY) == 1


def test_plan_keeps_checks_with_anything_recorded_and_drops_untouched_person_checks():
    case = make_case(names=["Sam Jones"])
    received = Stage1Check(kind=CheckKind.DBS, subject="Old Lodger", member_id=99, received_date=date(2025, 1, 1))
    untouched = Stage1Check(kind=CheckKind.LA_CHECKS, subject="Old Lodger", member_id=99)
    extra_reference = Stage1Check(kind=CheckKind.PERSONAL_REFERENCE, subject="Referee 3")
    renamed = Stage1Check(kind=CheckKind.MEDICAL, subject="Sam Jnes", applicant_id=1)
    plan = rules.plan_checklist(
        [received, untouched, extra_reference, renamed], rules.required_checks(case, date(2026, 1, 1))
    )
    assert plan.remove == [untouched]
    assert (renamed, "Sam Jones") in plan.rename
    added = {(s.kind, s.subject) for s in plan.add}
    assert (CheckKind.MEDICAL, "Sam Jones") not in added
    assert (CheckKind.DBS, "Sam Jones") in added
    # The hand-added third reference counts towards the two needed, so one more is added, not two.
    assert sum(1 for s in plan.add if s.kind == CheckKind.PERSONAL_REFERENCE) == 1


def test_outstanding_checks_and_references():
    checks = [
        Stage1Check(kind=CheckKind.PERSONAL_REFERENCE, subject="R1", received_date=date(2025, 1, 1)),
        Stage1Check(kind=CheckKind.EX_PARTNER, subject="A", outcome=CheckOutcome.NOT_APPLICABLE),
        Stage1Check(kind=CheckKind.MEDICAL, subject="A", requested_date=date(2025, 1, 1)),
    ]
    assert rules.outstanding_checks(checks) == [checks[2]]
    assert rules.references_received(checks) == 1


# --- Validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode", ["SW1A 2AA", "sw1a2aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "GIR 0AA"]
)
def test_real_postcode_shapes_pass(postcode):
    assert validation.postcode_error(postcode) is None


@pytest.mark.parametrize("postcode", ["SW1A", "12345", "QQ1 1AA", "SW1A 2A", "SW1A 2AAA", "not a postcode", "1AA 1AA"])
def test_other_postcodes_are_refused(postcode):
    assert validation.postcode_error(postcode) == validation.POSTCODE_MESSAGE


def test_postcode_is_normalised():
    assert validation.normalise_postcode(" sw1a   2aa ") == "SW1A 2AA"


def test_contact_needs_an_email_or_a_phone_and_phones_look_like_phones():
    assert validation.contact_error("", " ") == validation.CONTACT_MESSAGE
    assert validation.contact_error("a@example.org", None) is None
    assert validation.contact_error(None, "07700 900982") is None
    assert validation.phone_error("07700 900982") is None
    assert validation.phone_error("+44 808 157 0192") is None
    assert validation.phone_error("call me") == validation.PHONE_MESSAGE
    assert validation.phone_error("123") == validation.PHONE_MESSAGE


TODAY = date(2026, 3, 10)


def errors_for(**values):
    return validation.date_errors(validation.CaseDates(**values), TODAY)


def test_dates_of_events_cannot_be_in_the_future_but_panel_dates_can():
    errors = errors_for(enquiry_date=TODAY + timedelta(days=1), predicted_panel_date=TODAY + timedelta(days=90))
    assert errors == {"enquiry_date": "The enquiry date must be today or in the past"}
    assert errors_for(enquiry_date=TODAY) == {}


def test_impossible_sequences_are_refused():
    enquiry = date(2026, 1, 10)
    assert "application_date" in errors_for(enquiry_date=enquiry, application_date=enquiry - timedelta(days=1))
    assert errors_for(enquiry_date=enquiry, application_date=enquiry) == {}
    assert errors_for(enquiry_date=enquiry, initial_visit_date=date(2026, 1, 9))["initial_visit_date"].startswith(
        "The initial visit date must be the same as or after the enquiry date"
    )
    assert "allocated_date" in errors_for(application_date=date(2026, 2, 1), allocated_date=date(2026, 1, 31))
    assert errors_for(allocated_date=date(2026, 1, 31)) == {
        "allocated_date": "Record the date the application was received before allocating the case"
    }
    assert "decision_date" in errors_for(
        application_date=date(2025, 6, 1), panel_date=date(2026, 2, 1), decision_date=date(2026, 1, 31)
    )
    assert "panel_date" in errors_for(application_date=date(2025, 6, 1), panel_date=date(2025, 5, 31))


def test_temporary_approval_only_on_connected_cases():
    assert errors_for(carer_type=CarerType.MAINSTREAM, placement_date=date(2026, 1, 1)) == {
        "placement_date": "A temporary approval can only be recorded on a connected person case"
    }
    assert errors_for(carer_type=CarerType.CONNECTED, placement_date=date(2026, 1, 1)) == {}


@pytest.mark.parametrize(("weeks", "ok"), [(0, False), (1, True), (8, True), (9, False)])
def test_extension_is_one_to_eight_weeks(weeks, ok):
    errors = errors_for(
        carer_type=CarerType.CONNECTED,
        placement_date=date(2026, 1, 1),
        extension_granted_date=date(2026, 3, 1),
        extension_weeks=weeks,
    )
    assert ("extension_weeks" not in errors) is ok


def test_extension_needs_a_placement_and_must_come_before_the_sixteen_weeks_end():
    assert "extension_granted_date" in errors_for(
        carer_type=CarerType.CONNECTED, extension_granted_date=date(2026, 3, 1), extension_weeks=4
    )
    late = errors_for(
        carer_type=CarerType.CONNECTED,
        placement_date=date(2025, 9, 1),
        extension_granted_date=date(2025, 12, 23),  # 16 weeks end on 22 December
        extension_weeks=4,
    )
    assert late["extension_granted_date"].startswith("The extension must be granted before the temporary approval ends")


def test_a_second_extension_is_refused():
    assert validation.second_extension_error(make_case()) is None
    assert "only one extension" in validation.second_extension_error(make_case(extension_granted_date=date(2026, 1, 1)))


def test_stage1_decision_to_proceed_needs_every_check_and_two_references():
    medical = Stage1Check(kind=CheckKind.MEDICAL, subject="Sam", requested_date=date(2026, 1, 1))
    references = [
        Stage1Check(kind=CheckKind.PERSONAL_REFERENCE, subject=f"R{n}", received_date=date(2026, 1, 2)) for n in (1, 2)
    ]
    message = validation.stage1_decision_error(Stage1Decision.PROCEED, [medical, *references])
    assert message.startswith("You cannot decide to proceed until every Stage 1 check is received")
    assert "Medical: Sam" in message
    assert validation.stage1_decision_error(Stage1Decision.NOT_PROCEED, [medical]) is None
    medical.received_date = date(2026, 1, 5)
    assert validation.stage1_decision_error(Stage1Decision.PROCEED, [medical, *references]) is None
    one_reference = [
        medical,
        references[0],
        Stage1Check(kind=CheckKind.PERSONAL_REFERENCE, subject="R2", outcome=CheckOutcome.NOT_APPLICABLE),
    ]
    assert "2 personal references" in validation.stage1_decision_error(Stage1Decision.PROCEED, one_reference)
    assert validation.stage1_decision_error(Stage1Decision.PROCEED, []) is not None


def test_date_of_birth_must_be_in_the_past():
    assert validation.date_of_birth_error(TODAY, TODAY) == "Date of birth must be in the past"
    assert validation.date_of_birth_error(TODAY - timedelta(days=1), TODAY) is None
