"""The panel's rules: quorum, papers deadlines around bank holidays, the ADM and IRM clocks, determinations."""

from __future__ import annotations

from datetime import date, time

import pytest

from carertrack.clocks import ClockStatus
from carertrack.extensions import db
from carertrack.models.panel import MeetingStatus, PanelAttendance, PanelMeeting, PanelMember, PanelRole
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.panels import rules


def member(ident: int, role: PanelRole, years: int | None = None) -> PanelMember:
    return PanelMember(id=ident, name=f"Member {ident}", role=role, experience_years=years, start_date=date(2020, 1, 1))


def quorate_five() -> list[PanelMember]:
    return [
        member(1, PanelRole.CHAIR),
        member(2, PanelRole.SOCIAL_WORKER, 3),
        member(3, PanelRole.INDEPENDENT_MEMBER),
        member(4, PanelRole.MEDICAL_ADVISER),
        member(5, PanelRole.ELECTED_MEMBER),
    ]


# --- Quorum -------------------------------------------------------------------------------------


def test_five_with_a_chair_and_an_experienced_social_worker_are_quorate():
    assert rules.quorum_problems(quorate_five(), minimum=5, social_worker_years=3) == []


def test_a_vice_chair_counts_as_chairing():
    people = quorate_five()
    people[0] = member(1, PanelRole.VICE_CHAIR)
    assert rules.quorum_problems(people, minimum=5, social_worker_years=3) == []


def test_too_few_members():
    problems = rules.quorum_problems(quorate_five()[:4], minimum=5, social_worker_years=3)
    assert problems == ["4 members, fewer than the quorum of 5"]


def test_no_chair_or_vice_chair():
    people = quorate_five()
    people[0] = member(1, PanelRole.OTHER)
    assert rules.quorum_problems(people, minimum=5, social_worker_years=3) == ["No chair or vice-chair"]


def test_the_meetings_own_chair_counts_whatever_their_listed_role():
    people = quorate_five()
    people[0] = member(1, PanelRole.INDEPENDENT_MEMBER)
    assert rules.quorum_problems(people, chair_id=1, minimum=5, social_worker_years=3) == []


def test_social_worker_without_enough_experience():
    people = quorate_five()
    people[1] = member(2, PanelRole.SOCIAL_WORKER, 2)
    assert rules.quorum_problems(people, minimum=5, social_worker_years=3) == [
        "No social worker with at least 3 years' post-qualifying experience"
    ]


def test_no_social_worker_at_all():
    people = quorate_five()
    people[1] = member(2, PanelRole.OTHER, 20)  # experience only counts for a social worker
    assert rules.quorum_problems(people, minimum=5, social_worker_years=3) == [
        "No social worker with at least 3 years' post-qualifying experience"
    ]


def test_every_problem_is_listed_at_once():
    problems = rules.quorum_problems([member(9, PanelRole.OTHER)], minimum=5, social_worker_years=3)
    assert problems == [
        "1 member, fewer than the quorum of 5",
        "No chair or vice-chair",
        "No social worker with at least 3 years' post-qualifying experience",
    ]


def test_quorum_uses_the_settings_by_default(app_ctx):
    from carertrack.audit.recorder import acting_as
    from carertrack.settings import set_setting

    assert rules.quorum_problems(quorate_five()) == []
    with acting_as("test"):
        set_setting("quorum_minimum", 6)
        set_setting("quorum_social_worker_years", 4)
        db.session.commit()
    assert rules.quorum_problems(quorate_five()) == [
        "5 members, fewer than the quorum of 6",
        "No social worker with at least 4 years' post-qualifying experience",
    ]


def test_meeting_quorum_forecasts_from_expected_then_reports_what_was_recorded(app_ctx):
    people = quorate_five()
    meeting = PanelMeeting(meeting_date=date(2026, 3, 10), start_time=time(10), capacity=6)
    meeting.status = MeetingStatus.SCHEDULED
    meeting.attendance = [PanelAttendance(member=m, member_id=m.id, expected=True) for m in people[:4]]
    forecast = rules.meeting_quorum(meeting)
    assert (forecast.recorded, forecast.ok, forecast.text) == (False, False, "Quorum at risk")
    meeting.quorate = True
    meeting.quorum_problems = None
    assert rules.meeting_quorum(meeting).text == "Quorate"
    meeting.status = MeetingStatus.CANCELLED
    assert rules.meeting_quorum(meeting) is None


# --- Papers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "panel, deadline",
    [
        # A panel the day after the Early May bank holiday: the Monday does not count.
        (date(2025, 5, 6), date(2025, 4, 28)),
        # After Easter: Good Friday and Easter Monday are skipped.
        (date(2025, 4, 22), date(2025, 4, 11)),
        # Over Christmas and New Year (Boxing Day on a Friday).
        (date(2026, 1, 2), date(2025, 12, 23)),
        # An ordinary week: five working days back is the same weekday a week earlier.
        (date(2026, 3, 10), date(2026, 3, 3)),
    ],
)
def test_papers_deadline_is_five_working_days_before_the_panel(app_ctx, panel, deadline):
    assert rules.papers_deadline_for(panel) == deadline


def test_papers_deadline_follows_the_setting(app_ctx):
    from carertrack.audit.recorder import acting_as
    from carertrack.settings import set_setting

    with acting_as("test"):
        set_setting("papers_working_days", 10)
        db.session.commit()
    assert rules.papers_deadline_for(date(2026, 3, 10)) == date(2026, 2, 24)


def test_papers_status():
    deadline = date(2026, 3, 3)
    assert rules.papers_status(date(2026, 3, 3), deadline, date(2026, 3, 5)) is rules.PapersStatus.RECEIVED
    assert rules.papers_status(date(2026, 3, 4), deadline, date(2026, 3, 5)) is rules.PapersStatus.LATE
    assert rules.papers_status(None, deadline, date(2026, 3, 3)) is rules.PapersStatus.DUE
    assert rules.papers_status(None, deadline, date(2026, 3, 4)) is rules.PapersStatus.OVERDUE


def test_papers_clock_is_breached_after_the_deadline_and_stops_when_they_arrive(app_ctx):
    item = AgendaItem(kind=ItemKind.NEW_APPROVAL)
    deadline = date(2026, 3, 3)
    assert rules.papers_clock(item, deadline, date(2026, 3, 4)).status is ClockStatus.BREACHED
    assert rules.papers_clock(item, deadline, date(2026, 3, 2)).status is ClockStatus.AT_RISK
    item.papers_received_on = date(2026, 3, 4)
    late = rules.papers_clock(item, deadline, date(2026, 3, 5))
    assert (late.status, late.within) == (None, False)


# --- The ADM decision clock -------------------------------------------------------------------


def recommended(recommendation_date: date, minutes: date | None, kind: ItemKind = ItemKind.NEW_APPROVAL) -> AgendaItem:
    return AgendaItem(
        kind=kind,
        recommendation=Recommendation.APPROVE,
        recommendation_date=recommendation_date,
        minutes_received_on=minutes,
    )


def test_adm_clock_waits_for_the_final_minutes(app_ctx):
    assert rules.adm_clock(recommended(date(2026, 3, 10), None), date(2026, 3, 11)) is None


def test_adm_deadline_is_seven_working_days_from_the_later_of_recommendation_and_minutes(app_ctx):
    # Minutes on Thursday 17 April 2025: Good Friday and Easter Monday do not count.
    item = recommended(date(2025, 4, 15), date(2025, 4, 17))
    clock = rules.adm_clock(item, date(2025, 4, 17))
    assert clock.deadline == date(2025, 4, 30)
    assert clock.status is ClockStatus.ON_TRACK
    assert clock.days_left == 13


def test_minutes_before_the_recommendation_do_not_start_the_clock_early(app_ctx):
    item = recommended(date(2026, 3, 10), date(2026, 3, 9))
    assert rules.adm_clock(item, date(2026, 3, 10)).deadline == date(2026, 3, 19)


def test_adm_clock_at_risk_then_breached(app_ctx):
    item = recommended(date(2026, 3, 10), date(2026, 3, 12))  # deadline Monday 23 March
    assert rules.adm_clock(item, date(2026, 3, 21)).status is ClockStatus.AT_RISK
    assert rules.adm_clock(item, date(2026, 3, 23)).status is ClockStatus.AT_RISK
    assert rules.adm_clock(item, date(2026, 3, 24)).status is ClockStatus.BREACHED


def test_a_decision_stops_the_adm_clock_within_or_outside(app_ctx):
    item = recommended(date(2026, 3, 10), date(2026, 3, 12))
    item.decision = AdmDecision(decision=Decision.APPROVED, decided_on=date(2026, 3, 23), decision_maker="D")
    on_time = rules.adm_clock(item, date(2026, 4, 1))
    assert (on_time.status, on_time.within) == (None, True)
    item.decision.decided_on = date(2026, 3, 24)
    late = rules.adm_clock(item, date(2026, 4, 1))
    assert (late.status, late.within) == (None, False)


def test_a_deferral_has_no_adm_clock(app_ctx):
    item = recommended(date(2026, 3, 10), date(2026, 3, 12))
    item.recommendation = Recommendation.DEFER
    assert rules.adm_clock(item, date(2026, 3, 12)) is None
    assert not rules.needs_decision(item)


# --- Qualifying determinations and the 28 days -----------------------------------------------------


@pytest.mark.parametrize(
    "kind, decision, expected",
    [
        (ItemKind.NEW_APPROVAL, Decision.NOT_APPROVED, DeterminationKind.REFUSAL),
        (ItemKind.CONNECTED_APPROVAL, Decision.NOT_APPROVED, DeterminationKind.REFUSAL),
        (ItemKind.BRIEF_REPORT, Decision.NOT_APPROVED, DeterminationKind.REFUSAL),
        (ItemKind.TERMINATION, Decision.NOT_APPROVED, DeterminationKind.TERMINATION),
        (ItemKind.FIRST_ANNUAL_REVIEW, Decision.NOT_APPROVED, DeterminationKind.TERMINATION),
        (ItemKind.CHANGE_OF_TERMS, Decision.APPROVED, DeterminationKind.CHANGE_OF_TERMS),
        (ItemKind.CHANGE_OF_TERMS, Decision.NOT_APPROVED, None),
        (ItemKind.NEW_APPROVAL, Decision.APPROVED, None),
        (ItemKind.TERMINATION, Decision.APPROVED, None),
        (ItemKind.REG25_EXTENSION, Decision.NOT_APPROVED, None),
    ],
)
def test_which_decisions_are_qualifying_determinations(kind, decision, expected):
    assert rules.determination_kind(AgendaItem(kind=kind), decision) is expected


def determination(letter: date | None) -> QualifyingDetermination:
    return QualifyingDetermination(kind=DeterminationKind.REFUSAL, letter_date=letter)


def test_irm_window_is_28_calendar_days_from_the_letter(app_ctx):
    clock = rules.irm_clock(determination(date(2026, 2, 3)), date(2026, 2, 3))
    assert clock.deadline == date(2026, 3, 3)
    assert clock.status is ClockStatus.ON_TRACK
    assert rules.irm_clock(determination(date(2026, 2, 3)), date(2026, 3, 2)).status is ClockStatus.AT_RISK
    assert rules.irm_clock(determination(date(2026, 2, 3)), date(2026, 3, 4)).status is ClockStatus.BREACHED


def test_irm_window_waits_for_the_letter(app_ctx):
    assert rules.irm_clock(determination(None), date(2026, 2, 3)) is None


def test_representations_or_an_irm_application_stop_the_window(app_ctx):
    qd = determination(date(2026, 2, 3))
    qd.irm_applied_on = date(2026, 2, 20)
    qd.representations_received_on = date(2026, 2, 25)
    clock = rules.irm_clock(qd, date(2026, 4, 1))
    assert (clock.stopped_on, clock.within) == (date(2026, 2, 20), True)


def test_words_follow_the_kind():
    assert rules.recommendation_label(ItemKind.TERMINATION, Recommendation.NOT_APPROVE) == "Terminate approval"
    assert rules.recommendation_label(ItemKind.NEW_APPROVAL, Recommendation.NOT_APPROVE) == "Do not approve"
    assert rules.decision_label(ItemKind.REG25_EXTENSION, Decision.APPROVED) == "Extension agreed"
    assert rules.decision_label(ItemKind.OTHER_REVIEW, Decision.APPROVED) == "Approval continues"
