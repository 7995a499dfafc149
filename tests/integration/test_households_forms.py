"""Recording things on a household through the real forms: members, DBS, status checks, reviews,
training, placements and staying put, with their validation and lost-update protection."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.clocks import add_months_clamped
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.dbs import DbsCheck, DbsStatusCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole, Placement, Relationship
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role
from tests.forms import submit
from tests.household_factories import add_person, make_household, member_ids


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def page_text(response) -> str:
    return response.get_data(as_text=True)


DBS_ANSWERS = {
    "enhanced_with_barred_list": "yes",
    "update_service": "no",
    "outcome": "clear",
}


def test_social_worker_records_a_dbs_renewal(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    household_id = make_household(app, worker_id=worker.id, carer_dbs=today() - timedelta(days=3 * 365 + 30))
    carer_id = member_ids(app, household_id)[0]
    assert "Not compliant" in page_text(client.get(f"/households/{household_id}"))

    url = f"/households/{household_id}/people/{carer_id}/dbs/new"
    data = {"certificate_number": "0012 3456 7890", "issue_date": uk(today() - timedelta(days=2)), **DBS_ANSWERS}
    response = submit(client, url, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/households/{household_id}#people")

    with app.app_context():
        checks = db.session.scalars(select(DbsCheck).where(DbsCheck.member_id == carer_id)).all()
        assert sorted(c.certificate_number for c in checks) == ["001234567890", "001234567890"]
        assert max(c.issue_date for c in checks) == today() - timedelta(days=2)
    html = page_text(client.get(f"/households/{household_id}"))
    assert "Not compliant" not in html
    assert "Current" in html
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "DbsCheck").order_by(AuditEvent.id)
        ).all()[-1]
        assert (event.parent_type, event.parent_id, event.actor_id) == ("Household", str(household_id), worker.id)


def test_dbs_form_validation(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    carer_id = member_ids(app, household_id)[0]
    url = f"/households/{household_id}/people/{carer_id}/dbs/new"

    response = submit(client, url, {"certificate_number": "12345", "issue_date": uk(today() + timedelta(days=1))})
    html = page_text(response)
    assert response.status_code == 400
    assert "Error: Record a DBS certificate" in html
    assert "Certificate number must be 12 digits, like 001234567890" in html
    assert "The date of issue must be today or in the past" in html
    assert "Select the outcome" in html

    response = submit(client, url, {"certificate_number": "001234567890", "issue_date": "1/1/1970", **DBS_ANSWERS})
    assert "The date of issue must be after the person&#39;s date of birth" in page_text(response)

    disclosed = {**DBS_ANSWERS, "outcome": "disclosed", "certificate_number": "001234567890", "issue_date": "1/2/2025"}
    response = submit(client, url, disclosed)
    assert "Enter the date the disclosure was risk-assessed" in page_text(response)
    assert "Select the manager&#39;s decision" in page_text(response)

    response = submit(client, url, {**disclosed, "risk_assessed_on": "3/2/2025", "risk_decision": "accepted"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.scalars(select(DbsCheck).where(DbsCheck.member_id == carer_id)).one()
        assert (check.outcome.value, check.risk_decision.value, check.risk_assessed_on) == (
            "disclosed",
            "accepted",
            date(2025, 2, 3),
        )


def test_status_check_extends_a_subscribed_certificate(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    member_id = add_person(
        app,
        household_id,
        "Sub Scriber",
        date(1980, 1, 1),
        dbs_issued=today() - timedelta(days=4 * 365),
        update_service=True,
    )
    assert "Expired on" in page_text(client.get(f"/households/{household_id}"))
    with app.app_context():
        check_id = db.session.scalars(select(DbsCheck.id).where(DbsCheck.member_id == member_id)).one()
    url = f"/households/{household_id}/dbs/{check_id}/status-checks/new"

    response = submit(client, url, {"checked_on": uk(today() - timedelta(days=4 * 366)), "result": "no_change"})
    assert "The status check must be on or after the certificate&#39;s date of issue" in page_text(response)

    response = submit(client, url, {"checked_on": uk(today()), "result": "no_change"})
    assert response.status_code == 302
    html = page_text(client.get(f"/households/{household_id}"))
    assert "Expired on" not in html
    assert f"Renew by {add_months_clamped(today(), 36).day}" in html


def test_status_check_needs_a_subscription(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, carer_dbs=date(2024, 1, 1))
    with app.app_context():
        check_id = db.session.scalars(select(DbsCheck.id)).one()
    response = client.get(f"/households/{household_id}/dbs/{check_id}/status-checks/new")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(DbsStatusCheck)).all() == []


def test_editing_a_certificate_someone_else_changed_keeps_what_was_typed(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, carer_dbs=date(2024, 1, 1))
    with app.app_context():
        check_id = db.session.scalars(select(DbsCheck.id)).one()
    url = f"/households/{household_id}/dbs/{check_id}"
    page = client.get(url)
    assert page.status_code == 200
    with app.app_context(), acting_as("another worker"):
        db.session.get(DbsCheck, check_id).certificate_number = "999999999999"
        db.session.commit()
    from tests.forms import page_forms

    form = next(f for f in page_forms(page_text(page)) if f["method"] == "post" and "version" in dict(f["fields"]))
    values = dict(form["fields"]) | {"certificate_number": "111111111111"}
    response = client.post(url, data=values)
    html = page_text(response)
    assert response.status_code == 400
    assert "This record was changed by another worker" in html
    assert 'value="111111111111"' in html
    with app.app_context():
        assert db.session.get(DbsCheck, check_id).certificate_number == "999999999999"


def test_members_are_added_and_leave(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, carer_dbs=today())
    url = f"/households/{household_id}/people/new"

    response = submit(client, url, {"name": "", "date_of_birth": uk(today() + timedelta(days=1))})
    html = page_text(response)
    assert "Enter the person&#39;s full name" in html
    assert "Date of birth must be in the past" in html
    assert "Select their relationship to the household" in html

    response = submit(
        client,
        url,
        {
            "name": "Sam Teen",
            "date_of_birth": uk(add_months_clamped(today(), -12 * 18 + 2)),
            "relationship": "birth_child",
        },
    )
    assert response.status_code == 302
    html = page_text(client.get(f"/households/{household_id}"))
    assert "Sam Teen" in html
    assert "Needed by their 18th birthday" in html  # 18 in 2 months: inside the 3-month window
    assert "Not compliant" in html

    with app.app_context():
        teen = db.session.scalars(select(HouseholdMember).where(HouseholdMember.name == "Sam Teen")).one()
        assert teen.role is MemberRole.CHILD_MEMBER
        teen_id = teen.id
    response = submit(client, f"/households/{household_id}/people/{teen_id}", {"left_date": uk(today())})
    assert response.status_code == 302
    html = page_text(client.get(f"/households/{household_id}"))
    assert "People who no longer live here" in html
    assert "Not compliant" not in html


def test_left_date_must_follow_the_joined_date(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, approval_date=date(2022, 5, 1))
    carer_id = member_ids(app, household_id)[0]
    response = submit(client, f"/households/{household_id}/people/{carer_id}", {"left_date": "1/5/2022"})
    assert "The date they left must be after the date they started living here" in page_text(response)


def test_first_review_goes_to_panel_and_sets_the_next_due_date(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    approved = today() - timedelta(days=300)
    household_id = make_household(app, worker_id=worker.id, approval_date=approved)
    html = page_text(client.get(f"/households/{household_id}"))
    assert "it goes back to the fostering panel" in html

    url = f"/households/{household_id}/reviews/new"
    page = page_text(client.get(url))
    assert 'value="yes" checked' in page.replace("\n", " ") or "checked" in page
    response = submit(client, url, {"completed_date": uk(approved - timedelta(days=1)), "outcome": "continue"})
    assert "The review must be on or after the date of approval" in page_text(response)
    completed = today() - timedelta(days=5)
    response = submit(client, url, {"completed_date": uk(completed), "outcome": "continue"})
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalars(select(AnnualReview)).one()
        assert review.went_to_panel is True
    html = page_text(client.get(f"/households/{household_id}"))
    due = add_months_clamped(completed, 12)
    assert f"Next review due by <strong>{due.day} {due:%B %Y}</strong>" in html


def test_training_standards_recorded_for_a_carer(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, approval_date=today() - timedelta(days=400))
    carer_id = member_ids(app, household_id)[0]
    assert "Overdue" in page_text(client.get(f"/households/{household_id}"))
    response = submit(
        client, f"/households/{household_id}/people/{carer_id}/training", {"tsd_completed_date": uk(today())}
    )
    assert response.status_code == 302
    assert "Completed" in page_text(client.get(f"/households/{household_id}"))


def test_placements_and_vacancies(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, approved_places=2)
    url = f"/households/{household_id}/placements/new"
    response = submit(client, url, {"child_reference": "C-100", "start_date": "10/1/2025", "end_date": "10/1/2025"})
    assert "The date the placement ended must be after the date it started" in page_text(response)
    assert submit(client, url, {"child_reference": "C-100", "start_date": "10/1/2025"}).status_code == 302
    assert "1 child placed of 2 approved places: 1 vacancy" in page_text(client.get(f"/households/{household_id}"))
    with app.app_context():
        placement_id = db.session.scalars(select(Placement.id)).one()
    response = submit(client, f"/households/{household_id}/placements/{placement_id}", {"end_date": uk(today())})
    assert response.status_code == 302
    assert "0 children placed of 2 approved places: 2 vacancies" in page_text(client.get(f"/households/{household_id}"))


def test_staying_put_adds_the_young_person_who_then_needs_dbs(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, carer_dbs=today())
    dob = add_months_clamped(today(), -12 * 18 - 1)  # 18 a month ago
    url = f"/households/{household_id}/staying-put/new"
    base = {"young_person_reference": "YP-7", "name": "Robin Young", "date_of_birth": uk(dob)}

    response = submit(
        client, url, {**base, "start_date": uk(dob), "planned_end_date": uk(add_months_clamped(dob, 12 * 21 + 1))}
    )
    html = page_text(response)
    assert "Staying put starts on or after the young person&#39;s 18th birthday" in html
    assert "The planned end date must be on or before their 21st birthday" in html

    start = add_months_clamped(dob, 12 * 18)
    response = submit(
        client, url, {**base, "start_date": uk(start), "planned_end_date": uk(add_months_clamped(dob, 12 * 21))}
    )
    assert response.status_code == 302
    with app.app_context():
        arrangement = db.session.scalars(select(StayingPut)).one()
        assert arrangement.member.relationship is Relationship.STAYING_PUT
        assert arrangement.member.role is MemberRole.ADULT_MEMBER
        arrangement_id, member_id = arrangement.id, arrangement.member_id
    html = page_text(client.get(f"/households/{household_id}"))
    assert "Robin Young" in html and "Not compliant" in html

    staying = page_text(client.get("/staying-put"))
    assert "YP-7" in staying and "1 active arrangement" in staying
    assert "Not compliant" in staying  # the young person has no DBS check yet

    edit = f"/households/{household_id}/staying-put/{arrangement_id}"
    response = submit(client, edit, {"end_date": uk(today())})
    assert "Select why it ended" in page_text(response)
    assert submit(client, edit, {"end_date": uk(today()), "end_reason": "moved_on"}).status_code == 302
    with app.app_context():
        assert db.session.get(HouseholdMember, member_id).left_date == today()
    assert "Not compliant" not in page_text(client.get(f"/households/{household_id}"))


def test_manager_adds_a_household_with_its_carers(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    make_household(app, reference="FH-TAKEN")
    data = {
        "reference": "FH-TAKEN",
        "carer_1_name": "Pat Example",
        "carer_1_dob": "2/3/1970",
        "carer_2_name": "Lee Example",
        "carer_type": "connected",
        "approval_date": "1/6/2024",
        "postcode": "XYZ 123",
        "age_from": "12",
        "age_to": "5",
    }
    html = page_text(submit(client, "/households/new", data))
    assert "A household with this reference already exists" in html
    assert "Enter the second carer&#39;s date of birth" in html
    assert "Enter a real postcode, like SW1A 1AA" in html
    assert "The oldest age must be the same as or more than the youngest age" in html

    data |= {"reference": "FH-NEW", "carer_2_dob": "4/5/1972", "postcode": "sw1a1aa", "age_from": "0", "age_to": "11"}
    response = submit(client, "/households/new", {**data, "placement_types": ["long_term", "emergency"]})
    assert response.status_code == 302
    with app.app_context():
        household = db.session.scalars(select(Household).where(Household.reference == "FH-NEW")).one()
        assert [m.name for m in household.carers] == ["Pat Example", "Lee Example"]
        assert household.postcode == "SW1A 1AA"
        assert household.placement_types == ["emergency", "long_term"]
        assert household.carer_type.report_bucket == "connected"


def test_putting_a_household_on_hold(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    url = f"/households/{household_id}/edit"
    html = page_text(submit(client, url, {"on_hold": "yes"}))
    assert "Enter why the household is on hold" in html
    response = submit(
        client, url, {"on_hold": "yes", "on_hold_reason": "Carers' holiday", "on_hold_since": uk(today())}
    )
    assert response.status_code == 302
    assert "On hold since" in page_text(client.get(f"/households/{household_id}"))
    assert submit(client, url, {"on_hold": "no"}).status_code == 302
    with app.app_context():
        household = db.session.get(Household, household_id)
        assert (household.on_hold_reason, household.on_hold_since) == (None, None)
