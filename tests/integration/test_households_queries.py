"""Lists and the compliance page: filters, ordering, SQL conditions that agree with the Python rules,
and query counts that do not grow with the number of households."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.compliance import DbsRules, DbsStatus, household_compliance, household_status
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.households.queries import STATUS_CLAUSES, approved_on_clause, dbs_people
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import (
    AnnualReview,
    CarerType,
    Household,
    HouseholdMember,
    MemberRole,
    Placement,
    Relationship,
    ReviewOutcome,
)
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role
from tests.household_factories import add_person, make_household
from tests.queries import count_queries


def build(app, count: int, start: int = 0, worker_id: int | None = None) -> None:
    """`count` households with a realistic spread of dates, people and certificates, in one commit."""
    now = today()
    with app.app_context(), acting_as("test setup"):
        for i in range(start, start + count):
            approved = now - timedelta(days=30 + 17 * i % 2500)
            household = Household(
                reference=f"BULK-{i:04d}",
                carer_type=list(CarerType)[i % 4],
                approval_date=approved,
                supervising_worker_id=worker_id,
                approved_places=1 + i % 3,
                deregistration_date=now - timedelta(days=i % 40) if i % 9 == 0 else None,
                on_hold_reason="Break" if i % 11 == 0 else None,
                on_hold_since=now - timedelta(days=5) if i % 11 == 0 else None,
                postcode=f"ZZ{i % 10} {i % 10}AA",
            )
            carer = HouseholdMember(
                name=f"Carer {i}",
                date_of_birth=date(1970, 1, 1),
                role=MemberRole.CARER,
                relationship=Relationship.CARER,
            )
            child = HouseholdMember(
                name=f"Child {i}",
                date_of_birth=now - timedelta(days=6500 + i % 200),
                role=MemberRole.CHILD_MEMBER,
                relationship=Relationship.BIRTH_CHILD,
            )
            household.members = [carer, child]
            if i % 5:
                check = DbsCheck(
                    member=carer, issue_date=now - timedelta(days=(i * 37) % 1300), update_service=i % 2 == 0
                )
                check.status_checks = [
                    DbsStatusCheck(checked_on=now - timedelta(days=i % 300), result=StatusCheckResult.NO_CHANGE)
                ]
                db.session.add(check)
            household.reviews = [
                AnnualReview(completed_date=approved + timedelta(days=300), outcome=ReviewOutcome.CONTINUE)
            ]
            household.placements = [Placement(child_reference=f"C-{i}", start_date=approved + timedelta(days=10))]
            if i % 45 == 0:
                household.staying_put = [
                    StayingPut(
                        young_person_reference=f"YP-{i}",
                        date_of_birth=now - timedelta(days=7000),
                        start_date=now - timedelta(days=400),
                    )
                ]
            db.session.add(household)
        db.session.commit()


def queries_for(app, client, url: str) -> int:
    with count_queries(app) as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


PAGES = [
    "/households",
    "/households?compliance=not_compliant",
    "/households?status=active&type=mainstream&q=carer",
    "/dbs-compliance",
    "/staying-put",
]


def test_query_counts_do_not_grow_with_the_number_of_households(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    build(app, 10)
    small = {url: queries_for(app, client, url) for url in PAGES}
    build(app, 490, start=10)
    large = {url: queries_for(app, client, url) for url in PAGES}
    assert large == small


def test_social_worker_pages_query_counts_do_not_grow(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    build(app, 10, worker_id=worker.id)
    small = {url: queries_for(app, client, url) for url in ("/households", "/staying-put")}
    small["panel"] = panel_queries(app, worker.id)
    build(app, 500, start=10, worker_id=worker.id)
    large = {url: queries_for(app, client, url) for url in ("/households", "/staying-put")}
    large["panel"] = panel_queries(app, worker.id)
    assert large == small


def panel_queries(app, user_id: int) -> int:
    """Statements the households home panel runs (the home page has other areas' panels too)."""
    from carertrack.households import home
    from carertrack.models.user import User

    with app.test_request_context():
        user = db.session.get(User, user_id)
        with count_queries(app) as counter:
            context = home.context(user)
        assert context["households"] > 0
        return counter.count


def test_manager_home_panel_query_count_does_not_grow(app, signed_in_as):
    manager = signed_in_as(Role.MANAGER)
    build(app, 10)
    small = panel_queries(app, manager.id)
    build(app, 500, start=10)
    assert panel_queries(app, manager.id) == small


def test_household_page_query_count_does_not_grow_with_its_records(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    add_person(
        app,
        household_id,
        "One",
        date(1990, 1, 1),
        dbs_issued=date(2024, 1, 1),
        update_service=True,
        status_check=date(2025, 1, 1),
    )
    small = queries_for(app, client, f"/households/{household_id}")
    for n in range(8):
        add_person(
            app,
            household_id,
            f"Person {n}",
            date(1990, 1, 1),
            dbs_issued=date(2024, 1, 1),
            update_service=True,
            status_check=date(2025, 1, 1),
        )
    assert queries_for(app, client, f"/households/{household_id}") == small


@pytest.mark.parametrize("offset", [-400, -31, -1, 0, 1, 30])
def test_sql_status_conditions_agree_with_the_python_rules(app, offset):
    build(app, 60)
    as_of = today() + timedelta(days=offset)
    with app.app_context():
        households = db.session.scalars(db.select(Household)).all()
        for name, clause in STATUS_CLAUSES.items():
            sql = set(db.session.scalars(db.select(Household.id).where(clause(as_of))))
            python = {h.id for h in households if household_status(h, as_of).value == name}
            assert sql == python, name
        approved = set(db.session.scalars(db.select(Household.id).where(approved_on_clause(as_of))))
        assert approved == {h.id for h in households if household_status(h, as_of).value in ("active", "on_hold")}


def test_batch_loaded_dbs_positions_agree_with_one_household_at_a_time(app):
    build(app, 80)
    rules = DbsRules()
    as_of = today()
    with app.app_context():
        batch = {
            (row.household.id, row.person.member.id): (row.person.status, row.person.due_date)
            for row in dbs_people(as_of, rules)
        }
        db.session.expunge_all()
        single = {}
        for household in db.session.scalars(db.select(Household)).all():
            for person in household_compliance(household, as_of, rules).people:
                single[(household.id, person.member.id)] = (person.status, person.due_date)
    assert batch == single
    assert {status for status, _ in batch.values()} >= {DbsStatus.CURRENT, DbsStatus.EXPIRED, DbsStatus.MISSING}


def references(html: str) -> list[str]:
    return re.findall(r">((?:FH|BULK)-[0-9A-Z-]+)</a>", html)


def test_list_filters_search_and_pagination(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    now = today()
    make_household(
        app,
        reference="FH-A",
        carer_type=CarerType.CONNECTED,
        carers=(("Olu Adeyemi", date(1970, 1, 1)),),
        postcode="SE1 7PB",
        carer_dbs=now,
    )
    make_household(app, reference="FH-B", carers=(("Beth Brown", date(1970, 1, 1)),), postcode="N1 9GU")
    make_household(app, reference="FH-C", deregistration_date=now - timedelta(days=2), carer_dbs=now)
    assert references(client.get("/households?type=connected").get_data(as_text=True)) == ["FH-A"]
    assert references(client.get("/households?status=deregistered").get_data(as_text=True)) == ["FH-C"]
    assert references(client.get("/households?status=active").get_data(as_text=True)) == ["FH-A", "FH-B"]
    assert references(client.get("/households?compliance=not_compliant").get_data(as_text=True)) == ["FH-B"]
    assert references(client.get("/households?compliance=compliant").get_data(as_text=True)) == ["FH-A"]
    assert references(client.get("/households?q=adeyemi").get_data(as_text=True)) == ["FH-A"]
    assert references(client.get("/households?q=n19gu").get_data(as_text=True)) == ["FH-B"]
    assert references(client.get("/households?q=fh-c").get_data(as_text=True)) == ["FH-C"]
    html = client.get("/households?q=nobody").get_data(as_text=True)
    assert "No households match your search and filters." in html

    build(app, 30)
    first = references(client.get("/households").get_data(as_text=True))
    second = references(client.get("/households?page=2").get_data(as_text=True))
    assert len(first) == 25 and len(second) == 8
    assert not set(first) & set(second)


def test_compliance_page_lists_people_not_current_most_urgent_first(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    now = today()
    household_id = make_household(app, reference="FH-Z", carer_dbs=now - timedelta(days=3 * 365 - 30))  # due soon
    add_person(app, household_id, "Expired Early", date(1980, 1, 1), dbs_issued=now - timedelta(days=4 * 365))
    add_person(app, household_id, "Missing Adult", date(1985, 1, 1))
    add_person(app, household_id, "Current Person", date(1985, 1, 1), dbs_issued=now)
    add_person(app, household_id, "Young Child", date(2020, 1, 1), Relationship.BIRTH_CHILD)
    html = client.get("/dbs-compliance").get_data(as_text=True)
    names = re.findall(r'<td class="govuk-table__cell">([A-Z][a-z]+ [A-Z][a-z]+)</td>', html)
    assert names == ["Expired Early", "Missing Adult", "Jane Carer"]
    assert "Current Person" not in html and "Young Child" not in html
    html = client.get("/dbs-compliance?status=missing").get_data(as_text=True)
    assert "Missing Adult" in html and "Expired Early" not in html
