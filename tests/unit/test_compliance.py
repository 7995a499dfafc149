"""DBS currency, reviews, training, placements and staying put at their boundaries (CONTRACTS 3)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from carertrack.compliance import (
    DbsRules,
    DbsStatus,
    DueStatus,
    HouseholdStatus,
    dbs_renewal_date,
    dbs_status,
    ending_within_days,
    household_compliance,
    household_status,
    is_approved_on,
    latest_check,
    person_dbs,
    requires_dbs,
    resignation_effective_date,
    review_due_date,
    review_position,
    sort_most_urgent,
    staying_put_active,
    training_due_date,
    training_status,
    twenty_first_birthday,
    vacancies,
)

AS_OF = date(2026, 3, 15)
RULES = DbsRules(renewal_years=3, due_soon_days=90, window_months=3)


def member(role="carer", dob=date(1980, 5, 1), joined=None, left=None, checks=(), ident=1):
    return SimpleNamespace(
        id=ident, role=role, date_of_birth=dob, joined_date=joined, left_date=left, dbs_checks=list(checks)
    )


def check(issue, update_service=False, status_checks=(), enhanced=True, ident=1):
    return SimpleNamespace(
        id=ident,
        issue_date=issue,
        update_service=update_service,
        enhanced_with_barred_list=enhanced,
        status_checks=[SimpleNamespace(checked_on=d, result=r) for d, r in status_checks],
    )


def status_of(person, as_of=AS_OF, rules=RULES):
    result = person_dbs(person, as_of, rules)
    return (result.status, result.due_date) if result else None


# --- who needs a DBS check ------------------------------------------------------------------


def test_carers_and_adult_members_always_need_one():
    assert requires_dbs(member("carer"), AS_OF)
    assert requires_dbs(member("adult_member", dob=None), AS_OF)


def test_child_turning_18_in_exactly_the_window_needs_one_and_a_day_later_does_not():
    on_window = member("child_member", dob=date(2008, 6, 15))  # 18 on 15 June 2026: exactly 3 months away
    assert requires_dbs(on_window, AS_OF, window_months=3)
    beyond = member("child_member", dob=date(2008, 6, 16))
    assert not requires_dbs(beyond, AS_OF, window_months=3)


def test_child_already_18_needs_one_and_child_without_a_birth_date_does_not():
    assert requires_dbs(member("child_member", dob=date(2007, 1, 1)), AS_OF)
    assert not requires_dbs(member("child_member", dob=None), AS_OF)


def test_people_who_left_or_have_not_joined_do_not_count():
    assert not requires_dbs(member(left=AS_OF), AS_OF)
    assert requires_dbs(member(left=AS_OF + timedelta(days=1)), AS_OF)
    assert not requires_dbs(member(joined=AS_OF + timedelta(days=1)), AS_OF)
    assert requires_dbs(member(joined=AS_OF), AS_OF)


# --- status and due date --------------------------------------------------------------------


def test_missing_adult_is_due_on_the_as_of_date():
    assert status_of(member("adult_member")) == (DbsStatus.MISSING, AS_OF)


def test_missing_child_is_due_on_their_18th_birthday():
    assert status_of(member("child_member", dob=date(2008, 5, 1))) == (DbsStatus.MISSING, date(2026, 5, 1))


def test_child_already_18_and_missing_is_due_now():
    assert status_of(member("child_member", dob=date(2007, 5, 1))) == (DbsStatus.MISSING, AS_OF)


def test_renewal_is_issue_date_plus_interval_in_calendar_years():
    assert dbs_renewal_date(check(date(2023, 3, 15)), 3) == date(2026, 3, 15)
    assert dbs_renewal_date(check(date(2024, 2, 29)), 3) == date(2027, 2, 28)


def test_exactly_on_the_renewal_date_is_due_soon_and_the_day_after_expired():
    person = member(checks=[check(date(2023, 3, 15))])
    assert status_of(person) == (DbsStatus.DUE_SOON, date(2026, 3, 15))
    assert status_of(person, as_of=date(2026, 3, 16)) == (DbsStatus.EXPIRED, date(2026, 3, 15))


def test_90_days_before_renewal_is_due_soon_and_91_is_current():
    renewal = date(2026, 6, 13)  # AS_OF + 90 days
    assert (renewal - AS_OF).days == 90
    assert status_of(member(checks=[check(date(2023, 6, 13))])) == (DbsStatus.DUE_SOON, renewal)
    assert status_of(member(checks=[check(date(2023, 6, 14))])) == (DbsStatus.CURRENT, date(2026, 6, 14))


def test_update_service_check_later_than_issue_date_extends_currency():
    subscribed = check(date(2022, 1, 10), update_service=True, status_checks=[(date(2025, 1, 20), "no_change")])
    assert status_of(member(checks=[subscribed])) == (DbsStatus.CURRENT, date(2028, 1, 20))


def test_status_check_ignored_when_not_subscribed():
    unsubscribed = check(date(2022, 1, 10), update_service=False, status_checks=[(date(2025, 1, 20), "no_change")])
    assert status_of(member(checks=[unsubscribed])) == (DbsStatus.EXPIRED, date(2025, 1, 10))


def test_status_check_with_new_information_does_not_extend_currency():
    changed = check(date(2022, 1, 10), update_service=True, status_checks=[(date(2025, 1, 20), "changed")])
    assert status_of(member(checks=[changed])) == (DbsStatus.EXPIRED, date(2025, 1, 10))


def test_status_check_after_the_as_of_date_has_not_happened_yet():
    later = check(date(2022, 1, 10), update_service=True, status_checks=[(date(2026, 3, 16), "no_change")])
    assert status_of(member(checks=[later])) == (DbsStatus.EXPIRED, date(2025, 1, 10))
    assert status_of(member(checks=[later]), as_of=date(2026, 3, 16))[0] is DbsStatus.CURRENT


def test_latest_certificate_counts_and_future_or_basic_ones_do_not():
    old = check(date(2020, 1, 1), ident=1)
    new = check(date(2025, 1, 1), ident=2)
    future = check(date(2026, 4, 1), ident=3)
    basic = check(date(2025, 6, 1), enhanced=False, ident=4)
    assert latest_check([new, old, future, basic], AS_OF) is new
    assert latest_check([future], AS_OF) is None


def test_a_check_issued_after_the_as_of_date_leaves_the_person_missing():
    person = member(checks=[check(date(2026, 3, 16))])
    assert status_of(person) == (DbsStatus.MISSING, AS_OF)


def test_renewal_interval_comes_from_the_rules():
    person = member(checks=[check(date(2023, 3, 15))])
    assert status_of(person, rules=DbsRules(renewal_years=5))[0] is DbsStatus.CURRENT
    assert dbs_status(person, person.dbs_checks[0], AS_OF, 3, 0, 3) == (DbsStatus.DUE_SOON, date(2026, 3, 15))


def test_no_status_for_someone_who_does_not_need_a_check():
    assert status_of(member("child_member", dob=date(2015, 1, 1))) is None
    assert status_of(member(left=date(2025, 1, 1))) is None


def test_most_urgent_first():
    people = [
        person_dbs(member(checks=[check(date(2025, 1, 1))], ident=1), AS_OF, RULES),
        person_dbs(member(checks=[check(date(2023, 4, 1))], ident=2), AS_OF, RULES),
        person_dbs(member("adult_member", ident=3), AS_OF, RULES),
        person_dbs(member(checks=[check(date(2022, 1, 1))], ident=4), AS_OF, RULES),
    ]
    assert [p.member.id for p in sort_most_urgent(people)] == [4, 3, 2, 1]


# --- households -------------------------------------------------------------------------------


def household(approved=date(2020, 1, 1), deregistered=None, members=(), on_hold=None, since=None, places=None):
    return SimpleNamespace(
        approval_date=approved,
        deregistration_date=deregistered,
        members=list(members),
        on_hold_reason=on_hold,
        on_hold_since=since,
        approved_places=places,
    )


def test_approved_on_is_inclusive_of_approval_and_exclusive_of_deregistration():
    home = household(approved=AS_OF, deregistered=date(2026, 6, 1))
    assert is_approved_on(home, AS_OF)
    assert not is_approved_on(home, AS_OF - timedelta(days=1))
    assert is_approved_on(home, date(2026, 5, 31))
    assert not is_approved_on(home, date(2026, 6, 1))


def test_household_status_from_its_dates():
    assert household_status(household(), AS_OF) is HouseholdStatus.ACTIVE
    assert household_status(household(on_hold="Bereavement", since=AS_OF), AS_OF) is HouseholdStatus.ON_HOLD
    assert (
        household_status(household(on_hold="Later", since=AS_OF + timedelta(days=1)), AS_OF) is HouseholdStatus.ACTIVE
    )
    assert household_status(household(deregistered=AS_OF), AS_OF) is HouseholdStatus.DEREGISTERED
    assert household_status(household(deregistered=AS_OF + timedelta(1)), AS_OF) is HouseholdStatus.ACTIVE
    assert household_status(household(approved=AS_OF + timedelta(1)), AS_OF) is HouseholdStatus.NOT_YET_APPROVED


def test_household_not_compliant_when_someone_is_expired_or_missing():
    current = member(checks=[check(date(2025, 1, 1))], ident=1)
    due_soon = member(checks=[check(date(2023, 4, 1))], ident=2)
    missing_child = member("child_member", dob=date(2008, 5, 1), ident=3)
    assert household_compliance(household(members=[current, due_soon]), AS_OF, RULES).compliant
    result = household_compliance(household(members=[current, missing_child]), AS_OF, RULES)
    assert not result.compliant
    assert [p.member.id for p in result.exceptions] == [3]


def test_left_members_and_deregistered_households_do_not_count():
    missing_left = member("adult_member", left=date(2025, 1, 1))
    assert household_compliance(household(members=[missing_left]), AS_OF, RULES).compliant
    missing = member("adult_member")
    result = household_compliance(household(members=[missing], deregistered=date(2026, 1, 1)), AS_OF, RULES)
    assert result.compliant
    assert result.people == []


# --- reviews and training -------------------------------------------------------------------


def test_first_review_due_12_months_after_approval_then_12_after_the_last():
    assert review_due_date(date(2024, 2, 29), None) == date(2025, 2, 28)
    assert review_due_date(date(2024, 2, 29), date(2025, 1, 31)) == date(2026, 1, 31)


def test_review_position_boundaries():
    approved = date(2025, 4, 26)  # first review due 26 April 2026, 42 days after AS_OF
    position = review_position(approved, [], AS_OF, due_soon_days=42)
    assert (position.due_date, position.status, position.first) == (date(2026, 4, 26), DueStatus.DUE_SOON, True)
    assert review_position(approved, [], AS_OF - timedelta(days=1), 42).status is DueStatus.NOT_DUE
    assert review_position(approved, [], date(2026, 4, 26), 42).status is DueStatus.DUE_SOON
    assert review_position(approved, [], date(2026, 4, 27), 42).status is DueStatus.OVERDUE


def test_review_position_uses_only_reviews_completed_by_the_date():
    approved = date(2024, 1, 10)
    position = review_position(approved, [date(2025, 1, 5), date(2026, 3, 20)], AS_OF, 42)
    assert (position.due_date, position.first, position.last_completed) == (date(2026, 1, 5), False, date(2025, 1, 5))
    assert position.status is DueStatus.OVERDUE


def test_training_due_12_months_after_approval_and_18_for_connected():
    assert training_due_date(date(2025, 8, 31), "mainstream") == date(2026, 8, 31)
    assert training_due_date(date(2025, 8, 31), "short_breaks") == date(2026, 8, 31)
    assert training_due_date(date(2025, 8, 31), "connected") == date(2027, 2, 28)


def test_training_status():
    approved = date(2025, 3, 15)
    assert training_status(approved, "mainstream", None, AS_OF, 61) == (DueStatus.DUE_SOON, date(2026, 3, 15))
    assert training_status(approved, "mainstream", None, date(2026, 3, 16), 61)[0] is DueStatus.OVERDUE
    assert training_status(approved, "connected", None, AS_OF, 61)[0] is DueStatus.NOT_DUE
    assert training_status(approved, "mainstream", date(2026, 1, 1), AS_OF, 61)[0] is DueStatus.DONE
    assert training_status(approved, "mainstream", date(2026, 4, 1), AS_OF, 61)[0] is DueStatus.DUE_SOON


# --- deregistration, placements, staying put --------------------------------------------------


def test_resignation_takes_effect_28_days_after_notice():
    assert resignation_effective_date(date(2026, 1, 10)) == date(2026, 2, 7)
    assert resignation_effective_date(date(2026, 2, 14)) == date(2026, 3, 14)


def test_vacancies_count_children_placed_on_the_date():
    placements = [
        SimpleNamespace(start_date=date(2025, 1, 1), end_date=None),
        SimpleNamespace(start_date=date(2025, 1, 1), end_date=AS_OF),  # left today: no longer placed
        SimpleNamespace(start_date=AS_OF + timedelta(days=1), end_date=None),
    ]
    assert vacancies(household(places=2), placements, AS_OF) == 1
    assert vacancies(household(places=None), placements, AS_OF) is None


def arrangement(dob=date(2006, 1, 1), start=date(2024, 1, 1), end=None, planned=None):
    return SimpleNamespace(date_of_birth=dob, start_date=start, end_date=end, planned_end_date=planned)


def test_staying_put_active_until_21_or_the_end_date():
    assert twenty_first_birthday(date(2005, 2, 28)) == date(2026, 2, 28)
    assert staying_put_active(arrangement(), AS_OF)
    assert not staying_put_active(arrangement(start=AS_OF + timedelta(days=1)), AS_OF)
    assert not staying_put_active(arrangement(end=AS_OF), AS_OF)
    assert staying_put_active(arrangement(end=AS_OF + timedelta(days=1)), AS_OF)
    assert not staying_put_active(arrangement(dob=date(2005, 3, 15)), AS_OF)  # 21 today, no end date
    assert staying_put_active(arrangement(dob=date(2005, 3, 16)), AS_OF)


@pytest.mark.parametrize(
    ("dob", "end", "planned", "expected"),
    [
        (date(2005, 6, 13), None, None, True),  # 21 in exactly 90 days
        (date(2005, 6, 14), None, None, False),  # 91 days
        (date(2006, 1, 1), date(2026, 6, 13), None, True),  # planned end date recorded as end_date
        (date(2006, 1, 1), None, date(2026, 6, 13), True),  # planned end
        (date(2006, 1, 1), None, date(2026, 6, 14), False),
        (date(2006, 1, 1), AS_OF, None, False),  # already ended
    ],
)
def test_ending_within_90_days(dob, end, planned, expected):
    assert ending_within_days(arrangement(dob=dob, end=end, planned=planned), AS_OF, 90) is expected
