"""The assessment pipeline in a real browser: a social worker's journey and a manager's, axe clean throughout."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import Case, Stage
from carertrack.models.user import Role
from tests.case_factories import make_case
from tests.factories import make_user

pytestmark = pytest.mark.browser

TODAY = date.today()


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def save(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_social_worker_journey_from_enquiry_to_predicted_panel(app, page, browser_sign_in, assert_accessible):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    browser_sign_in(page, worker)

    page.get_by_role("link", name="Enquiries").first.click()
    expect(page.locator("h1")).to_have_text("Open enquiries")
    assert_accessible(page)
    page.get_by_role("button", name="Record a new enquiry").click()
    expect(page.locator("h1")).to_have_text("Record a new enquiry")
    assert_accessible(page)

    # Nothing filled in: every question says what is missing, and the page stays accessible.
    save(page, "Save enquiry")
    expect(page).to_have_title(re.compile(r"^Error: Record a new enquiry"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the enquiry")
    assert_accessible(page)

    page.get_by_label("Mainstream").check()
    page.get_by_label("Date of the enquiry").fill(uk(TODAY - timedelta(days=40)))
    page.get_by_label("How did they get in touch?").select_option("website")
    page.locator("#applicant_1_name").fill("Jordan Ellis")
    page.locator("#applicant_1_email").fill("jordan.ellis@example.org")
    page.locator("#applicant_2_name").fill("Robin Ellis")
    page.get_by_label("Address line 1").fill("12 Station Road")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("ls1 4ap")
    page.get_by_label("Teenagers").check()
    save(page, "Save enquiry")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Enquiry recorded as FC-")
    expect(page.locator("h1")).to_have_text("Jordan Ellis and Robin Ellis")
    expect(page.locator('[data-clock="first_contact"]')).to_contain_text("Breached")
    assert_accessible(page)
    case_url = page.url

    page.get_by_role("link", name="Record first contact").click()
    page.get_by_label("Date of first contact").fill(uk(TODAY - timedelta(days=39)))
    save(page, "Save first contact")
    expect(page.locator('[data-clock="first_contact"]')).to_contain_text("Stopped")

    page.get_by_role("link", name="Record initial visit").click()
    expect(page.locator("h1")).to_have_text("Record the initial visit")
    assert_accessible(page)
    page.get_by_label("Date of the initial visit").fill(uk(TODAY - timedelta(days=30)))
    page.get_by_label("Invited to apply").check()
    save(page, "Save initial visit")
    expect(page.locator(".govuk-tag").first).to_have_text("Initial visit")

    page.get_by_role("link", name="Record application").click()
    # An application before the enquiry is refused with a clear message.
    page.get_by_label("Date the application was received").fill(uk(TODAY - timedelta(days=41)))
    save(page, "Save application")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be the same as or after the enquiry date")
    assert_accessible(page)
    page.get_by_label("Date the application was received").fill(uk(TODAY - timedelta(days=25)))
    save(page, "Save application")
    expect(page.locator('[data-clock="eight_month"]')).to_contain_text("On track")
    assert_accessible(page)

    # The manager allocates the assessment to Sam (the allocation pages are the manager's journey).
    case_id = int(case_url.rstrip("/").split("/")[-1])
    with app.app_context(), acting_as("manager in another office"):
        from carertrack.cases import services

        services.allocate(db.session.get(Case, case_id), worker.id, TODAY - timedelta(days=24), None)
        db.session.commit()

    page.goto(case_url)
    update_links = page.locator("#stage1 ~ .app-table-wrapper a", has_text="Update")
    count = update_links.count()
    assert count >= 9
    for index in range(count):
        page.goto(case_url)
        page.locator("#stage1 ~ .app-table-wrapper a", has_text="Update").nth(index).click()
        if index == 0:
            assert_accessible(page)
        page.get_by_label("Date requested").fill(uk(TODAY - timedelta(days=20)))
        page.get_by_label("Date received").fill(uk(TODAY - timedelta(days=10)))
        page.get_by_label("Satisfactory", exact=True).check()
        save(page, "Save check")
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    page.get_by_role("link", name="Record the Stage 1 decision").click()
    expect(page.locator("h1")).to_have_text("Record the Stage 1 decision")
    expect(page.locator("main")).to_contain_text("Every Stage 1 check has been received.")
    assert_accessible(page)
    page.get_by_label("Proceed to Stage 2").check()
    page.get_by_label("Date of the decision").fill(uk(TODAY - timedelta(days=9)))
    save(page, "Save Stage 1 decision")
    expect(page.locator(".govuk-tag").first).to_have_text("Stage 2 assessment")

    page.get_by_role("link", name="Add a Stage 2 session").click()
    assert_accessible(page)
    page.get_by_label("Date of the session").fill(uk(TODAY - timedelta(days=7)))
    page.get_by_label("Home visit").check()
    save(page, "Add session")

    page.get_by_role("link", name="Change preparation training").click()
    page.get_by_label("Date preparation training was completed (optional)").fill(uk(TODAY - timedelta(days=6)))
    page.get_by_label("Date the assessment report was completed (optional)").fill(uk(TODAY - timedelta(days=1)))
    save(page, "Save Stage 2 progress")
    expect(page.locator(".govuk-tag").first).to_have_text("Ready for panel")

    page.get_by_role("link", name="Set predicted panel date").click()
    assert_accessible(page)
    page.get_by_label("Predicted panel date").fill(uk(TODAY + timedelta(days=30)))
    save(page, "Save predicted panel date")
    expect(page.locator("#panel ~ .govuk-summary-list").first).to_contain_text(
        f"{(TODAY + timedelta(days=30)).day} {(TODAY + timedelta(days=30)):%B %Y}"
    )
    expect(page.locator("#timeline ~ .app-timeline")).to_contain_text("Moved to Ready for panel")
    assert_accessible(page)

    page.get_by_role("link", name="My cases").click()
    expect(page.locator("table")).to_contain_text("Jordan Ellis and Robin Ellis")
    assert_accessible(page)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.stage == Stage.READY_FOR_PANEL
        assert case.predicted_panel_date == TODAY + timedelta(days=30)


def test_manager_filters_the_pipeline_and_reallocates_a_case(app, page, browser_sign_in, assert_accessible):
    sam = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    priya = make_user(app, Role.SOCIAL_WORKER, name="Priya Shah")
    manager = make_user(app, Role.MANAGER, name="Maria Jones")
    make_case(
        app,
        names=("Breached Household",),
        application_date=TODAY - timedelta(days=280),
        allocated_worker_id=sam.id,
        allocated_date=TODAY - timedelta(days=270),
        delay_reason="Bereavement",
    )
    make_case(app, names=("Fresh Household",), application_date=TODAY - timedelta(days=20), allocated_worker_id=sam.id)
    make_case(app, names=("Enquiry Household",), enquiry_date=TODAY)
    with app.app_context(), acting_as("test setup"):
        from carertrack.models.case_records import CaseAllocation

        case = db.session.scalars(db.select(Case).where(Case.delay_reason == "Bereavement")).one()
        case.allocations.append(CaseAllocation(worker_id=sam.id, allocated_date=TODAY - timedelta(days=270)))
        db.session.commit()

    browser_sign_in(page, manager)
    expect(page.locator("main")).to_contain_text("1 case breached")
    page.get_by_role("link", name="Pipeline").first.click()
    expect(page.locator("h1")).to_have_text("Pipeline")
    expect(page.locator("#pipeline-cases")).to_contain_text("Fresh Household")
    assert_accessible(page)

    page.get_by_label("Timescale").select_option("breached")
    page.get_by_label("Social worker").select_option(str(sam.id))
    save(page, "Apply filters")
    table = page.locator("#pipeline-cases")
    expect(table).to_contain_text("Breached Household")
    expect(table).not_to_contain_text("Fresh Household")
    expect(table).to_contain_text("Delay: Bereavement")
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Name, reference or postcode").fill("enquiry household")
    save(page, "Apply filters")
    expect(page.locator("#pipeline-cases")).to_contain_text("Enquiry Household")
    expect(page.locator("#pipeline-cases")).not_to_contain_text("Breached Household")

    page.goto("/cases/pipeline?status=breached")
    page.get_by_role("link", name="Breached Household").click()
    expect(page.locator("h1")).to_have_text("Breached Household")
    page.get_by_role("link", name="Reallocate the case").click()
    expect(page.locator("h1")).to_have_text("Reallocate the case")
    expect(page.locator("table")).to_contain_text("Sam Okafor")
    expect(page.get_by_role("radio", name="Priya Shah (0 cases allocated, 0 enquiries)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("Priya Shah")).check()
    page.get_by_label("Date of allocation").fill(uk(TODAY))
    page.get_by_label("Reason for reallocating (optional)").fill("Sam is on long-term leave")
    save(page, "Allocate case")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Case allocated.")
    expect(page.locator("#summary ~ .govuk-summary-list").first).to_contain_text("Priya Shah, since")
    expect(page.locator("#timeline ~ .app-timeline")).to_contain_text("Reallocated to Priya Shah")
    assert_accessible(page)
    with app.app_context():
        assert (
            db.session.scalars(db.select(Case.allocated_worker_id).where(Case.delay_reason == "Bereavement")).one()
            == priya.id
        )
