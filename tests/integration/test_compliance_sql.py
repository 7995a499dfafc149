"""carertrack/compliance_sql.py agrees with the Python DBS rules in carertrack/compliance.py.

The Python rules are the definitions. Households, people, certificates and Update Service checks are
generated around several as-of dates with the awkward dates in them (29 February births and issue
dates, month ends, issue dates exactly on the expiry and due-soon thresholds, subscribed and not,
non-enhanced and future-dated certificates, people who have left or not yet joined), then the SQL
statuses, counts, ordering and household compliance are compared with the Python rules. Annual
review positions and staying-put states (also in compliance_sql) are compared the same way.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import Date, literal, select
from sqlalchemy.orm import selectinload

from carertrack.audit.recorder import acting_as
from carertrack.clocks import add_months_clamped
from carertrack.compliance import (
    DbsRules,
    DbsStatus,
    DueStatus,
    birthday,
    dbs_renewal_date,
    ending_within_days,
    household_compliance,
    is_adult_on,
    is_approved_on,
    last_satisfactory_status_check,
    latest_check,
    requires_dbs,
    review_position,
    sort_most_urgent,
    staying_put_active,
    staying_put_ends,
)
from carertrack.compliance_sql import (
    DbsThresholds,
    compliant_sql,
    date_key,
    dbs_people,
    due_soon_sql,
    exceptions,
    is_adult_sql,
    latest_checks,
    not_compliant_sql,
    requires_dbs_sql,
    reviews_due,
    status_counts,
    staying_put_sql,
)
from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import AnnualReview, CarerType, Household, HouseholdMember, MemberRole, ReviewOutcome
from carertrack.models.staying_put import StayingPut

AS_OFS = (date(2026, 3, 15), date(2028, 2, 29), date(2026, 2, 28), date(2025, 8, 31), date(2027, 3, 1))
RULES = (DbsRules(), DbsRules(renewal_years=4, due_soon_days=30, window_months=6), DbsRules(1, 0, 0))


def _near(day: date, spread: int = 2) -> list[date]:
    return [day + timedelta(days=d) for d in range(-spread, spread + 1)]


def candidate_dates() -> dict[str, list[date]]:
    """Dates on and around every threshold of every as-of date and rule set, plus leap days and month ends."""
    births, issues = [], []
    for as_of in AS_OFS:
        for rules in RULES:
            births += _near(add_months_clamped(as_of, -12 * 18))
            births += _near(add_months_clamped(add_months_clamped(as_of, rules.window_months), -12 * 18))
            renewal_ago = add_months_clamped(as_of, -12 * rules.renewal_years)
            issues += _near(renewal_ago, 3) + _near(renewal_ago + timedelta(days=rules.due_soon_days), 3)
        issues += _near(as_of, 1)  # includes a certificate issued the day after (future-dated)
    leap_days = [date(y, 2, 29) for y in (2004, 2008, 2012, 2016, 2020, 2024)]
    month_ends = [date(y, m + 1, 1) - timedelta(days=1) for y in (2008, 2022, 2023, 2024) for m in (1, 2, 7, 10)] + [
        date(y, 12, 31) for y in (2022, 2023)
    ]
    births += leap_days + [date(2008, 2, 28), date(2008, 3, 1), date(1970, 1, 1), date(2015, 6, 30)]
    issues += leap_days + month_ends + [date(2019, 1, 1), date(2025, 12, 31)]
    return {"births": sorted(set(births)), "issues": sorted(set(issues))}


def build(app, households: int = 70, seed: int = 1789) -> None:
    """Households approved (or not yet, or no longer) around the as-of dates, with varied people and DBS."""
    rng = random.Random(seed)
    dates = candidate_dates()
    with app.app_context(), acting_as("test setup"):
        for i in range(households):
            approval = rng.choice([date(2015, 1, 1), date(2026, 3, 15), date(2026, 3, 16), date(2027, 6, 1)])
            deregistered = rng.choice([None, None, None, date(2026, 3, 15), date(2027, 1, 1), date(2028, 2, 29)])
            household = Household(
                reference=f"SQL-{i:03d}",
                carer_type=CarerType.MAINSTREAM,
                approval_date=approval,
                deregistration_date=deregistered,
            )
            db.session.add(household)
            for j in range(rng.randint(1, 5)):
                role = rng.choice(list(MemberRole))
                member = HouseholdMember(
                    household=household,
                    name=f"Person {i}-{j}",
                    role=role,
                    date_of_birth=rng.choice(dates["births"] + [None]),
                    joined_date=rng.choice([None, None, None, date(2026, 3, 15), date(2026, 3, 16), date(2027, 9, 1)]),
                    left_date=rng.choice(
                        [None, None, None, None, date(2026, 3, 15), date(2026, 3, 16), date(2028, 1, 1)]
                    ),
                )
                db.session.add(member)
                for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                    check = DbsCheck(
                        member=member,
                        issue_date=rng.choice(dates["issues"]),
                        enhanced_with_barred_list=rng.random() < 0.85,
                        update_service=rng.random() < 0.5,
                    )
                    db.session.add(check)
                    for _ in range(rng.choice([0, 0, 1, 2])):
                        db.session.add(
                            DbsStatusCheck(
                                dbs_check=check,
                                checked_on=rng.choice(dates["issues"]),
                                result=rng.choice([StatusCheckResult.NO_CHANGE] * 3 + [StatusCheckResult.CHANGED]),
                            )
                        )
        db.session.commit()


def load_all() -> list[Household]:
    """Every household with its people, certificates and status checks, for the Python rules."""
    return list(
        db.session.scalars(
            select(Household).options(
                selectinload(Household.members)
                .selectinload(HouseholdMember.dbs_checks)
                .selectinload(DbsCheck.status_checks)
            )
        )
    )


@pytest.mark.parametrize("as_of", AS_OFS)
@pytest.mark.parametrize("rules", RULES)
def test_thresholds_agree_with_the_python_rules_on_every_nearby_date(as_of, rules):
    """Each threshold splits the dates exactly where the Python rule changes its answer."""
    limits = DbsThresholds.on(as_of, rules)

    def child(dob: date) -> SimpleNamespace:
        return SimpleNamespace(role=MemberRole.CHILD_MEMBER, date_of_birth=dob, joined_date=None, left_date=None)

    for offset in range(-800, 800):
        dob = limits.adult_born_by + timedelta(days=offset)
        assert is_adult_on(dob, as_of) == (dob <= limits.adult_born_by)
        dob = limits.window_born_by + timedelta(days=offset)
        assert requires_dbs(child(dob), as_of, rules.window_months) == (dob <= limits.window_born_by)
        base = limits.expired_base_by + timedelta(days=offset)
        renewal = add_months_clamped(base, 12 * rules.renewal_years)
        assert (renewal < as_of) == (base <= limits.expired_base_by)
        base = limits.due_base_by + timedelta(days=offset)
        renewal = add_months_clamped(base, 12 * rules.renewal_years)
        assert ((renewal - as_of).days <= rules.due_soon_days) == (base <= limits.due_base_by)


def test_date_keys_order_like_the_python_due_dates(app_ctx):
    """date_key_sql gives add_months_clamped(d, 12 * years) as YYYYMMDD, leap days included."""
    from carertrack.compliance_sql import date_key_sql

    days = [date(2024, 2, 29), date(2024, 2, 28), date(2023, 2, 28), date(2020, 2, 29), date(2025, 12, 31)]
    for years in (0, 1, 3, 4, 18, 76):
        for day in days:
            got = db.session.scalar(select(date_key_sql(literal(day, Date), years)))
            assert got == date_key(add_months_clamped(day, 12 * years)), (day, years)


@pytest.mark.parametrize("rules", RULES)
def test_sql_statuses_counts_order_and_compliance_agree_with_the_python_rules(app, rules):
    build(app)
    with app.app_context():
        households = load_all()
        members = [m for h in households for m in h.members]
        assert len(members) > 150
        seen: set[DbsStatus] = set()
        for as_of in AS_OFS:
            limits = DbsThresholds.on(as_of, rules)
            message = f"as of {as_of}, {rules}"

            # Who needs a check, who is adult, which certificate counts.
            requiring = set(db.session.scalars(select(HouseholdMember.id).where(requires_dbs_sql(limits))))
            assert requiring == {m.id for m in members if requires_dbs(m, as_of, rules.window_months)}, message
            adults = set(db.session.scalars(select(HouseholdMember.id).where(is_adult_sql(limits))))
            assert adults == {m.id for m in members if is_adult_on(m.date_of_birth, as_of)}, message
            latest = latest_checks(as_of)
            sql_latest = dict(db.session.execute(select(latest.c.member_id, latest.c.check_id)).all())
            python_latest = {m.id: c.id for m in members if (c := latest_check(m.dbs_checks, as_of))}
            assert sql_latest == python_latest, message

            # Everyone requiring a check in an approved household, with their status.
            people = [p for h in households for p in household_compliance(h, as_of, rules).people]
            expected = {p.member.id: p.status.value for p in people}
            sql_people = dbs_people(as_of, rules)
            got = dict(db.session.execute(select(sql_people.c.member_id, sql_people.c.status)).all())
            assert got == expected, message
            seen |= {p.status for p in people}

            # Counts per status.
            counts = dict(db.session.execute(status_counts(sql_people)).all())
            for status in DbsStatus:
                assert counts.get(status.value, 0) == sum(1 for p in people if p.status is status), message

            # Exceptions, most urgent first, and their due dates.
            python_order = [
                p.member.id for p in sort_most_urgent(p for p in people if p.status is not DbsStatus.CURRENT)
            ]
            assert list(db.session.scalars(exceptions(sql_people)).all()) == [
                db.session.get(HouseholdMember, i) for i in python_order
            ], message
            keys = dict(db.session.execute(select(sql_people.c.member_id, sql_people.due_key)).all())
            assert keys == {p.member.id: date_key(p.due_date) for p in people}, message
            page = db.session.scalars(exceptions(sql_people).limit(5).offset(3)).all()
            assert [m.id for m in page] == python_order[3:8], message
            only_due = db.session.scalars(exceptions(sql_people, [DbsStatus.DUE_SOON.value])).all()
            assert [m.id for m in only_due] == [i for i in python_order if expected[i] == "due_soon"], message

            # Household compliance as WHERE conditions.
            compliance = {h.id: household_compliance(h, as_of, rules) for h in households}
            approved = {
                h.id
                for h in households
                if h.approval_date <= as_of and not (h.deregistration_date and h.deregistration_date <= as_of)
            }
            not_compliant = set(db.session.scalars(select(Household.id).where(not_compliant_sql(as_of, rules))))
            assert not_compliant == {i for i, c in compliance.items() if not c.compliant}, message
            assert not_compliant, message
            compliant = set(db.session.scalars(select(Household.id).where(compliant_sql(as_of, rules))))
            assert compliant == {i for i, c in compliance.items() if c.compliant and i in approved}, message
            due_soon = set(db.session.scalars(select(Household.id).where(due_soon_sql(as_of, rules))))
            assert due_soon == {i for i, c in compliance.items() if c.compliant and c.due_soon}, message
        assert seen == set(DbsStatus), "the generated data should give every status"


def _forms() -> list[bool]:
    """The forms of latest_checks the test database can run: row_number() everywhere, and DISTINCT ON
    (the default there) on PostgreSQL."""
    return [False, True] if db.session.get_bind().dialect.name == "postgresql" else [False]


def test_both_forms_of_latest_checks_choose_the_python_rules_certificate_and_renewal_base(app):
    """Ties on the issue date go to the higher id, whichever certificate was subscribed or status
    checked; non-enhanced and future-dated certificates never count; a status check after the as-of
    date is ignored. Each form gives exactly compliance.latest_check and the base of dbs_renewal_date,
    on the generated data too."""
    as_of = date(2026, 1, 15)
    build(app, households=40, seed=4242)
    with app.app_context(), acting_as("test setup"):
        household = Household(reference="TIES", carer_type=CarerType.MAINSTREAM, approval_date=date(2020, 1, 1))
        db.session.add(household)
        same_day = date(2024, 2, 29)
        for n, (first_subscribed, second_subscribed) in enumerate([(True, False), (False, True), (True, True)]):
            member = HouseholdMember(household=household, name=f"Tie {n}", role=MemberRole.CARER)
            first = DbsCheck(member=member, issue_date=same_day, update_service=first_subscribed)
            db.session.add_all([member, first])
            db.session.flush()
            second = DbsCheck(member=member, issue_date=same_day, update_service=second_subscribed)
            db.session.add(second)
            db.session.flush()
            for check in (first, second):
                db.session.add(
                    DbsStatusCheck(dbs_check=check, checked_on=date(2025, 6, 30), result=StatusCheckResult.NO_CHANGE)
                )
            db.session.add(
                DbsStatusCheck(dbs_check=second, checked_on=date(2026, 1, 16), result=StatusCheckResult.NO_CHANGE)
            )
            # Later, but not counting: not enhanced, or issued after the as-of date.
            db.session.add(DbsCheck(member=member, issue_date=date(2025, 12, 31), enhanced_with_barred_list=False))
            db.session.add(DbsCheck(member=member, issue_date=date(2026, 1, 16)))
        db.session.commit()
        members = [m for h in load_all() for m in h.members]
        for when in (as_of, *AS_OFS):
            expected = {}
            for member in members:
                if (check := latest_check(member.dbs_checks, when)) is not None:
                    checked = last_satisfactory_status_check(check, when)
                    base = checked if checked is not None and checked > check.issue_date else check.issue_date
                    assert add_months_clamped(base, 36) == dbs_renewal_date(check, 3, when)
                    expected[member.id] = (check.id, base, check.update_service)
            for distinct_on in _forms():
                latest = latest_checks(when, distinct_on=distinct_on)
                statement = select(
                    latest.c.member_id, latest.c.check_id, latest.c.renewal_base, latest.c.update_service
                )
                got = {row[0]: tuple(row[1:]) for row in db.session.execute(statement)}
                assert got == expected, (when, distinct_on)
        ties = [m for m in members if m.name.startswith("Tie")]
        for distinct_on in _forms():
            latest = latest_checks(as_of, distinct_on=distinct_on)
            chosen = dict(db.session.execute(select(latest.c.member_id, latest.c.check_id)).all())
            for member in ties:
                same = sorted(c.id for c in member.dbs_checks if c.issue_date == same_day)
                assert chosen[member.id] == same[-1], distinct_on


def test_a_child_turning_18_is_due_on_the_birthday_and_a_leap_day_birthday_falls_on_28_february(app):
    """Spot checks the generated data may miss: a 29 February birth and an exact renewal day."""
    as_of = date(2026, 1, 15)
    with app.app_context(), acting_as("test setup"):
        household = Household(reference="LEAP", carer_type=CarerType.MAINSTREAM, approval_date=date(2020, 1, 1))
        leap = HouseholdMember(
            household=household, name="Leap", role=MemberRole.CHILD_MEMBER, date_of_birth=date(2008, 2, 29)
        )
        renewal_day = HouseholdMember(household=household, name="Renewal", role=MemberRole.CARER)
        db.session.add_all([household, leap, renewal_day])
        db.session.add(DbsCheck(member=renewal_day, issue_date=date(2023, 1, 15)))  # renews on the as-of date
        db.session.commit()
        people = dbs_people(as_of, DbsRules())
        statement = select(people.c.member_id, people.c.status, people.due_key)
        rows = {member: (status, key) for member, status, key in db.session.execute(statement)}
        assert rows[leap.id] == ("missing", 20260228)
        assert birthday(date(2008, 2, 29), 18) == date(2026, 2, 28)
        assert rows[renewal_day.id] == ("due_soon", 20260115)


# --- Annual reviews and staying put ----------------------------------------------------------------


def build_reviews_and_staying_put(app, seed: int = 77) -> None:
    """Households whose last review (or approval) falls on and around the overdue and due-soon edges,
    and staying-put arrangements whose 21st birthday, end and planned end fall around the 90-day edge."""
    rng = random.Random(seed)
    starts, births, ends = [], [], []
    for as_of in AS_OFS:
        year_ago = add_months_clamped(as_of, -12)
        for soon in (0, 42, 61):
            starts += _near(year_ago, 2) + _near(year_ago + timedelta(days=soon), 2)
        horizon = as_of + timedelta(days=90)
        births += _near(add_months_clamped(as_of, -12 * 21), 2) + _near(add_months_clamped(horizon, -12 * 21), 2)
        ends += _near(as_of, 1) + _near(horizon, 1)
    starts += [date(y, 2, 29) for y in (2020, 2024)] + [date(2025, 2, 28), date(2025, 3, 1)]
    births += [date(2004, 2, 29), date(2008, 2, 29), date(2005, 2, 28), date(2005, 3, 1)]
    with app.app_context(), acting_as("test setup"):
        for i in range(120):
            approval = rng.choice(starts + [date(2015, 1, 1), date(2027, 1, 1)])
            household = Household(
                reference=f"REV-{i:03d}",
                carer_type=CarerType.MAINSTREAM,
                approval_date=approval,
                deregistration_date=rng.choice([None] * 6 + [date(2026, 3, 15), date(2027, 3, 1)]),
            )
            db.session.add(household)
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                completed = rng.choice(starts + [date(2028, 6, 1)])  # some after every as-of date
                db.session.add(
                    AnnualReview(household=household, completed_date=completed, outcome=ReviewOutcome.CONTINUE)
                )
            if i % 2 == 0:
                start = rng.choice([date(2024, 1, 1), date(2026, 3, 15), date(2026, 3, 16), date(2028, 2, 29)])
                db.session.add(
                    StayingPut(
                        household=household,
                        young_person_reference=f"YP-{i}",
                        date_of_birth=rng.choice(births),
                        start_date=start,
                        end_date=rng.choice([None, None] + ends),
                        planned_end_date=rng.choice([None, None] + ends),
                    )
                )
        db.session.commit()


@pytest.mark.parametrize("due_soon_days", [42, 0, 61])
def test_review_positions_in_sql_agree_with_the_python_rule(app, due_soon_days):
    build_reviews_and_staying_put(app)
    with app.app_context():
        households = db.session.scalars(select(Household).options(selectinload(Household.reviews))).all()
        seen = set()
        for as_of in AS_OFS:
            reviews = reviews_due(as_of, due_soon_days)
            got = {r.household_id: (r.status, r.due_key) for r in db.session.execute(select(reviews.rows))}
            expected = {}
            for h in households:
                if is_approved_on(h, as_of):
                    position = review_position(
                        h.approval_date, [r.completed_date for r in h.reviews], as_of, due_soon_days
                    )
                    expected[h.id] = (position.status.value, date_key(position.due_date))
                    seen.add(position.status)
            assert got == expected, f"as of {as_of}"
        assert seen == {DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.NOT_DUE}


def test_staying_put_in_sql_agrees_with_the_python_rules(app):
    build_reviews_and_staying_put(app)
    with app.app_context():
        arrangements = db.session.scalars(select(StayingPut).order_by(StayingPut.id)).all()
        assert len(arrangements) > 50
        for as_of in AS_OFS:
            rules = staying_put_sql(as_of)
            active = set(db.session.scalars(select(StayingPut.id).where(rules.active)))
            assert active == {a.id for a in arrangements if staying_put_active(a, as_of)}, as_of
            ending = set(db.session.scalars(select(StayingPut.id).where(rules.ending_soon)))
            assert ending == {a.id for a in arrangements if ending_within_days(a, as_of)}, as_of
            assert ending, as_of
            keys = dict(db.session.execute(select(StayingPut.id, rules.ends_key)).all())
            assert keys == {a.id: date_key(staying_put_ends(a)) for a in arrangements}, as_of
            ordered = list(db.session.scalars(select(StayingPut.id).order_by(*rules.order())))
            python = sorted(
                arrangements,
                key=lambda a: (
                    not staying_put_active(a, as_of),
                    staying_put_ends(a).toordinal() * (1 if staying_put_active(a, as_of) else -1),
                ),
            )
            assert ordered == [a.id for a in python], as_of
