"""In a real browser, under the real CSP: a social worker records a DBS renewal for a carer in a
household they supervise, and a manager deregisters a household; axe-core on every page visited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.household import DeregistrationReason, Household
from carertrack.models.user import Role
from tests.factories import make_user
from tests.household_factories import add_person, make_household

pytestmark = pytest.mark.browser


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def nav(page, text: str):  # type: ignore[no-untyped-def]
    """A link in the service navigation."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=text, exact=True)


def test_social_worker_records_a_dbs_renewal(app, page, browser_sign_in, assert_accessible):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Will Worker")
    household_id = make_household(
        app,
        reference="FH-BROWSER-1",
        worker_id=worker.id,
        carers=(("Dee Renewal", date(1975, 6, 1)),),
        carer_dbs=today() - timedelta(days=3 * 365 + 20),
    )
    add_person(app, household_id, "Lou Lodger", date(1990, 2, 2), dbs_issued=today() - timedelta(days=100))
    browser_sign_in(page, worker)
    assert_accessible(page)  # the home page, with the households panel

    nav(page, "Households").click()
    expect(page.locator("h1")).to_have_text("Your households")
    expect(page.locator("tbody")).to_contain_text("Not compliant")
    assert_accessible(page)

    page.get_by_role("link", name="FH-BROWSER-1").click()
    expect(page.locator("h1")).to_have_text("Dee Renewal")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Dee Renewal must have a current DBS check")
    assert_accessible(page)

    page.get_by_role("link", name="Record a DBS certificate for Dee Renewal").click()
    expect(page.locator("h1")).to_have_text("Record a DBS certificate for Dee Renewal")
    assert_accessible(page)

    # A mistyped number and a future date are refused, with the answers kept.
    page.get_by_label("Certificate number").fill("12345")
    page.get_by_label("Date of issue").fill(uk(today() + timedelta(days=3)))
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Certificate number must be 12 digits, like 001234567890")
    expect(summary).to_contain_text("The date of issue must be today or in the past")
    expect(summary).to_contain_text("Select yes if the person has subscribed to the DBS Update Service")
    expect(page.get_by_label("Certificate number")).to_have_value("12345")
    assert_accessible(page)

    page.get_by_label("Certificate number").fill("0012 3456 7890")
    page.get_by_label("Date of issue").fill(uk(today() - timedelta(days=4)))
    page.get_by_role("group", name="Has the person subscribed to the DBS Update Service?").get_by_label("Yes").check()
    page.get_by_label("Clear", exact=True).check()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("DBS certificate recorded for Dee Renewal")
    expect(page.locator("h1")).to_have_text("Dee Renewal")
    expect(page.locator("main")).not_to_contain_text("Not compliant")
    expect(page.locator("main")).to_contain_text("Number 001234567890")
    expect(page.locator("main")).to_contain_text("Update Service: subscribed, no status check recorded")
    assert_accessible(page)


def test_manager_deregisters_a_household(app, page, browser_sign_in, assert_accessible):
    manager = make_user(app, Role.MANAGER, name="Mo Manager")
    household_id = make_household(
        app, reference="FH-BROWSER-2", carers=(("Ray Tiring", date(1955, 3, 3)),), carer_dbs=today()
    )
    browser_sign_in(page, manager)

    nav(page, "Households").click()
    expect(page.locator("h1")).to_have_text("Approved households")
    page.get_by_label("Search by reference, name or postcode").fill("tiring")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("caption")).to_have_text("1 household")
    assert_accessible(page)
    page.get_by_role("link", name="FH-BROWSER-2").click()
    assert_accessible(page)

    page.get_by_role("button", name="Deregister this household").click()
    expect(page.locator("h1")).to_have_text("Deregister household FH-BROWSER-2")
    assert_accessible(page)

    # A resignation without its notice date is refused; with it, the date is worked out (28 days).
    page.get_by_label("Resigned", exact=True).check()
    page.get_by_role("button", name="Record deregistration").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date written notice was received")
    assert_accessible(page)
    notice = today() - timedelta(days=30)
    page.get_by_label("Date written notice was received").fill(uk(notice))
    page.get_by_role("button", name="Record deregistration").click()

    ends = notice + timedelta(days=28)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Household FH-BROWSER-2 was deregistered on")
    expect(page.locator("main")).to_contain_text(f"Approval ended on {ends.day} {ends:%B %Y}: Resigned")
    expect(page.locator("main")).to_contain_text("This record is read-only")
    expect(page.get_by_role("button", name="Deregister this household")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a person")).to_have_count(0)
    assert_accessible(page)

    with app.app_context():
        household = db.session.get(Household, household_id)
        assert household.deregistration_reason is DeregistrationReason.RESIGNED
        assert (household.deregistration_notice_date, household.deregistration_date) == (notice, ends)

    # It has left the compliance page's population and shows as deregistered in the list.
    nav(page, "DBS compliance").click()
    expect(page.locator("main")).not_to_contain_text("FH-BROWSER-2")
    assert_accessible(page)
    nav(page, "Households").click()
    page.get_by_label("Status").select_option("deregistered")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("tbody")).to_contain_text("FH-BROWSER-2")
    expect(page.locator("tbody")).to_contain_text("Deregistered")
    assert_accessible(page)


def test_staying_put_list_is_accessible(app, page, browser_sign_in, assert_accessible):
    viewer = make_user(app, Role.VIEWER, name="Val Viewer")
    household_id = make_household(app, reference="FH-BROWSER-3", carer_dbs=today())
    with app.app_context():
        from carertrack.audit.recorder import acting_as
        from carertrack.households import services

        with acting_as("test setup"):
            household = db.session.get(Household, household_id)
            born = today() - timedelta(days=21 * 365 - 40)
            services.start_staying_put(
                household, "YP-BROWSER", "Yan Young", born, today() - timedelta(days=500), None, True
            )
            db.session.commit()
    browser_sign_in(page, viewer)
    nav(page, "Staying put").click()
    expect(page.locator("h1")).to_have_text("Staying put")
    expect(page.locator("tbody")).to_contain_text("Ending within 90 days")
    assert_accessible(page)
