"""Enquiry intake: the question page, its validation, and who the new enquiry belongs to."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, EnquirySource, Stage
from carertrack.models.case_records import StageChange
from carertrack.models.user import Role
from tests.factories import make_user
from tests.forms import submit

GOOD = {
    "carer_type": "mainstream",
    "enquiry_date": "",
    "enquiry_source": "website",
    "applicant_1_name": "Jordan Ellis",
    "applicant_1_email": "jordan@example.org",
    "applicant_1_phone": "",
    "postcode": "sw1a2aa",
    "address_line_1": "1 High Street",
    "town": "Exampleton",
    "interests": ["siblings", "teenagers"],
    "interest_age_from": "8",
    "interest_age_to": "15",
}


def good(**changes):
    data = dict(GOOD, enquiry_date=date.today().strftime("%d/%m/%Y"))
    data.update(changes)
    return data


def test_a_social_worker_records_an_enquiry_and_it_is_theirs(app, client, social_worker):
    response = submit(client, "/cases/new", good())
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        assert response.headers["Location"] == f"/cases/{case.id}"
        assert case.reference.startswith(f"FC-{date.today().year}-")
        assert case.carer_type == CarerType.MAINSTREAM
        assert case.enquiry_source == EnquirySource.WEBSITE
        assert case.postcode == "SW1A 2AA"
        assert case.intake_worker_id == social_worker.id
        assert case.interest_siblings and case.interest_teenagers and not case.interest_short_breaks
        assert (case.interest_age_from, case.interest_age_to) == (8, 15)
        assert [a.name for a in case.applicants] == ["Jordan Ellis"]
        assert case.stage == Stage.ENQUIRY
        change = db.session.scalars(select(StageChange)).one()
        assert change.to_stage == Stage.ENQUIRY and change.changed_by_id == social_worker.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jordan Ellis" in page
    assert "First contact" in page


def test_references_count_up_within_the_year(app, client, social_worker):
    submit(client, "/cases/new", good())
    submit(client, "/cases/new", good(applicant_1_name="Second Person"))
    with app.app_context():
        refs = sorted(db.session.scalars(select(Case.reference)))
    year = date.today().year
    assert refs == [f"FC-{year}-0001", f"FC-{year}-0002"]


def test_two_applicants_are_recorded_in_order(app, client, social_worker):
    submit(client, "/cases/new", good(applicant_2_name="Robin Ellis", applicant_2_phone="07700 900982"))
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        assert [(a.position, a.name) for a in case.applicants] == [(1, "Jordan Ellis"), (2, "Robin Ellis")]


def test_empty_form_shows_every_required_question(client, social_worker):
    response = submit(client, "/cases/new", {"postcode": "", "applicant_1_name": "", "enquiry_source": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>Error: Record a new enquiry" in page
    for message in (
        "Select what kind of foster carer they are enquiring about",
        "Enter the date of the enquiry",
        "Select how they got in touch",
        "Enter the applicant&#39;s full name",
        "Enter the postcode",
    ):
        assert message in page, message


def test_intake_refuses_future_dates_bad_postcodes_and_no_contact(app, client, social_worker):
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = submit(
        client,
        "/cases/new",
        good(
            enquiry_date=tomorrow,
            postcode="NOT A CODE",
            applicant_1_email="",
            applicant_1_phone="",
            applicant_1_date_of_birth=tomorrow,
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The enquiry date must be today or in the past" in page
    assert "Enter a real postcode, like SW1A 2AA" in page
    assert "Enter an email address or a telephone number" in page
    assert "Date of birth must be in the past" in page
    with app.app_context():
        assert db.session.scalars(select(Case)).first() is None


def test_intake_refuses_unreal_dates_and_bad_numbers(client, social_worker):
    response = submit(
        client, "/cases/new", good(enquiry_date="31/2/2025", interest_age_from="ten", interest_age_to="25")
    )
    page = response.get_data(as_text=True)
    assert "The date of the enquiry must be a real date" in page
    assert "Enter the youngest age as a whole number" in page
    assert "The oldest age must be between 0 and 17" in page
    response = submit(client, "/cases/new", good(interest_age_from="12", interest_age_to="5"))
    assert "The oldest age must be the same as or more than the youngest age" in response.get_data(as_text=True)


def test_a_second_applicant_without_a_name_is_refused(client, social_worker):
    response = submit(client, "/cases/new", good(applicant_2_email="robin@example.org"))
    assert response.status_code == 400
    assert "Enter the second applicant&#39;s full name" in response.get_data(as_text=True)


def test_a_manager_chooses_the_enquiry_worker(app, client, manager):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Priya Shah")
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Priya Shah" in page
    submit(client, "/cases/new", good(intake_worker=str(worker.id), carer_type="connected", child_reference="C-123"))
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        assert case.intake_worker_id == worker.id
        assert case.child_reference == "C-123"


def test_a_social_worker_is_not_offered_a_worker_choice(client, social_worker):
    assert 'name="intake_worker"' not in client.get("/cases/new").get_data(as_text=True)
