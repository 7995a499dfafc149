"""The household pages that filter, count and paginate in SQL show exactly what the Python rules give.

The DBS compliance page, the household list filtered by compliance, the staying-put list and the
home page's households block are compared, page by page and count by count, with the Python rules
in carertrack.compliance applied to every household (the way these pages used to compute them).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.clocks import add_months_clamped
from carertrack.compliance import (
    DbsRules,
    DbsStatus,
    DueStatus,
    ending_within_days,
    household_compliance,
    review_position,
    staying_put_active,
    staying_put_ends,
)
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.households import home
from carertrack.households.queries import (
    PER_PAGE,
    ListFilters,
    approved_households,
    dbs_exception_page,
    dbs_exceptions,
    dbs_people,
    household_list,
    staying_put_page,
)
from carertrack.models.household import CarerType, Household
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role, User
from tests.household_factories import make_household
from tests.integration.test_households_queries import build


def every_page(fetch) -> tuple[list, int]:  # type: ignore[no-untyped-def]
    """All items of a paginated listing, page after page, and its total."""
    items, number = [], 1
    while True:
        page = fetch(number)
        items += page.items
        if not page.has_next:
            return items, page.total
        number += 1


@pytest.mark.parametrize("status", [None, DbsStatus.EXPIRED, DbsStatus.MISSING, DbsStatus.DUE_SOON])
def test_dbs_exception_pages_and_counts_equal_the_python_rule(app, status):
    build(app, 120)
    as_of, rules = today(), DbsRules()
    with app.test_request_context():
        rows = dbs_people(as_of, rules)
        python = dbs_exceptions(rows, {status} if status else None)
        shown, total = every_page(lambda n: dbs_exception_page(as_of, rules, {status} if status else None, page=n)[0])
        assert total == len(python) > (PER_PAGE if status is None else 0)
        assert [(r.household.id, r.person.member.id, r.person.status, r.person.due_date) for r in shown] == [
            (r.household.id, r.person.member.id, r.person.status, r.person.due_date) for r in python
        ]
        _, counts = dbs_exception_page(as_of, rules, page=1)
        for key in ("current", "due_soon", "expired", "missing", "people_requiring"):
            assert counts[key] == sum(1 for r in rows if key == "people_requiring" or r.person.status.value == key)
        households = approved_households(as_of)
        assert counts["not_compliant"] == sum(
            1 for h in households if not household_compliance(h, as_of, rules).compliant
        )
        beyond, _ = dbs_exception_page(as_of, rules, {status} if status else None, page=99)
        assert beyond.items == [] and beyond.total == total


def test_the_dbs_compliance_page_is_paginated_and_keeps_its_filter(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    build(app, 120)
    first = client.get("/dbs-compliance").get_data(as_text=True)
    second = client.get("/dbs-compliance?page=2").get_data(as_text=True)
    names = lambda html: re.findall(r'<td class="govuk-table__cell">((?:Carer|Child) \d+)</td>', html)  # noqa: E731
    assert len(names(first)) == PER_PAGE and names(second)
    assert not set(names(first)) & set(names(second))
    assert re.search(r"Showing 26 to \d+ of \d+", second)
    # The pagination links keep the status filter.
    for _ in range(PER_PAGE + 1):
        make_household(app)  # a carer with no certificate: missing
    missing = client.get("/dbs-compliance?status=missing").get_data(as_text=True)
    assert re.search(r'href="/dbs-compliance\?status=missing&amp;page=2"', missing)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SOCIAL_WORKER])
@pytest.mark.parametrize("compliance", ["not_compliant", "due_soon", "compliant"])
def test_household_list_compliance_filters_equal_the_python_rule(app, signed_in_as, compliance, role):
    person = signed_in_as(role)
    worker_id = person.id if role is Role.SOCIAL_WORKER else None
    build(app, 140, worker_id=worker_id)
    build(app, 30, start=140)  # someone else's households
    for _ in range(3):  # compliant, with a certificate due soon
        make_household(app, worker_id=worker_id, carer_dbs=add_months_clamped(today(), -36) + timedelta(days=30))
    as_of, rules = today(), DbsRules()
    with app.test_request_context():
        user = db.session.get(User, person.id)
        filters = ListFilters(compliance=compliance)
        shown, total = every_page(lambda n: household_list(user, filters, as_of, rules, page=n)[0])
        visible = approved_households(as_of, user if worker_id else None)
        index = {h.id: household_compliance(h, as_of, rules) for h in visible}
        expected = {
            "not_compliant": {i for i, c in index.items() if not c.compliant},
            "due_soon": {i for i, c in index.items() if c.compliant and c.due_soon},
            "compliant": {i for i, c in index.items() if c.compliant},
        }[compliance]
        assert [h.id for h in shown] == sorted(expected, key=lambda i: db.session.get(Household, i).reference)
        assert total == len(expected) > 0


def add_arrangements(app, count: int) -> None:
    """Staying-put arrangements, active, ending soon, ended and not started, in one household."""
    now = today()
    with app.app_context(), acting_as("test setup"):
        household = Household(reference="FH-SP", carer_type=CarerType.MAINSTREAM, approval_date=date(2015, 1, 1))
        db.session.add(household)
        for i in range(count):
            db.session.add(
                StayingPut(
                    household=household,
                    young_person_reference=f"YP-{i:03d}",
                    date_of_birth=now - timedelta(days=365 * 19 + 37 * i),
                    start_date=now - timedelta(days=300 - (i % 7) * 60),
                    end_date=now + timedelta(days=(i % 5 - 2) * 45) if i % 3 == 0 else None,
                )
            )
        db.session.commit()


@pytest.mark.parametrize("which", ["", "active", "ended"])
def test_staying_put_pages_equal_the_python_rules(app, signed_in_as, which):
    manager = signed_in_as(Role.MANAGER)
    add_arrangements(app, 70)
    as_of = today()
    with app.test_request_context():
        user = db.session.get(User, manager.id)
        everything = db.session.scalars(db.select(StayingPut).order_by(StayingPut.id)).all()

        def key(a: StayingPut) -> tuple:
            active = staying_put_active(a, as_of)
            return (not active, staying_put_ends(a).toordinal() * (1 if active else -1))

        python = sorted(everything, key=key)
        if which:
            python = [a for a in python if staying_put_active(a, as_of) == (which == "active")]
        shown, total = every_page(lambda n: staying_put_page(user, as_of, which, page=n)[0])
        assert [r.arrangement.id for r in shown] == [a.id for a in python]
        assert total == len(python) > 0
        _, counts = staying_put_page(user, as_of, which)
        assert counts["active"] == sum(1 for a in everything if staying_put_active(a, as_of))
        assert counts["ending_within_90_days"] == sum(1 for a in everything if ending_within_days(a, as_of))
        assert 0 < counts["ending_within_90_days"] < counts["active"] < len(everything)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SOCIAL_WORKER])
def test_home_block_counts_equal_the_python_rules(app, signed_in_as, role):
    person = signed_in_as(role)
    build(app, 90, worker_id=person.id if role is Role.SOCIAL_WORKER else None)
    build(app, 20, start=90)  # someone else's households
    as_of, rules = today(), DbsRules()
    with app.test_request_context():
        user = db.session.get(User, person.id)
        context = home.context(user)
        households = approved_households(as_of, user if role is Role.SOCIAL_WORKER else None, with_reviews=True)
        positions = {
            h.id: review_position(h.approval_date, [r.completed_date for r in h.reviews], as_of, 42) for h in households
        }
        rows = dbs_people(as_of, rules, user if role is Role.SOCIAL_WORKER else None)
        exceptions = dbs_exceptions(rows)
        assert context["households"] == len(households)
        assert context["not_compliant"] == sum(
            1 for h in households if not household_compliance(h, as_of, rules).compliant
        )
        assert context["dbs_exception_count"] == len(exceptions) > home.SHOWN
        assert [(r.person.member.id, r.person.due_date) for r in context["dbs_exceptions"]] == [
            (r.person.member.id, r.person.due_date) for r in exceptions[: home.SHOWN]
        ]
        overdue = sorted(
            (h for h in households if positions[h.id].status is DueStatus.OVERDUE),
            key=lambda h: (positions[h.id].due_date, h.reference),
        )
        assert context["reviews_overdue_count"] == len(overdue)
        assert context["reviews_due_count"] == sum(1 for p in positions.values() if p.status is DueStatus.DUE_SOON)
        if role is Role.SOCIAL_WORKER:
            assert [(h.id, r.due_date) for h, r in context["reviews_overdue"]] == [
                (h.id, positions[h.id].due_date) for h in overdue[: home.SHOWN]
            ]
