"""A panel administrator's journey in a real browser: schedule a meeting, book cases, record attendance,
recommendations and the ADM decision, and print the agenda; axe-core on every page, under the real CSP."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.household import Household
from carertrack.models.user import Role
from tests.factories import make_user
from tests.panel_factories import make_case, make_members

pytestmark = pytest.mark.browser


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_panel_administrators_journey(app, page, browser_sign_in, assert_accessible):
    admin = make_user(app, Role.PANEL_ADMIN, name="Pam Panel")
    worker = make_user(app, Role.SOCIAL_WORKER, name="Will Worker")
    members = make_members(app)
    make_case(app, reference="C-BROWSER-1", worker_id=worker.id, applicants=(("Ann Apple", None),))
    make_case(app, reference="C-BROWSER-2", worker_id=worker.id, applicants=(("Bob Berry", None),))
    browser_sign_in(page, admin)

    # The calendar, empty.
    page.get_by_role("link", name="Panel", exact=True).click()
    expect(page.locator("h1")).to_have_text("Panel calendar")
    assert_accessible(page)

    # Schedule today's meeting.
    page.get_by_role("button", name="Schedule a meeting").click()
    expect(page.locator("h1")).to_have_text("Schedule a panel meeting")
    assert_accessible(page)
    page.get_by_role("button", name="Save meeting").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)
    page.get_by_label("Date of the meeting").fill(uk(today()))
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Venue").fill("Civic Centre, Room 2")
    page.get_by_label("Chair").select_option(str(members["Chris Chair"]))
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Panel meeting scheduled")
    expect(page.locator("h1")).to_contain_text("Panel meeting")
    assert_accessible(page)
    meeting_url = page.url

    # Book both cases; the first with its papers in.
    for reference, name, papers in (("C-BROWSER-1", "Ann Apple", uk(today())), ("C-BROWSER-2", "Bob Berry", "")):
        page.get_by_role("link", name="Add an item to the agenda").click()
        expect(page.locator("h1")).to_have_text("Add an item to the agenda")
        assert_accessible(page)
        page.get_by_label("New approval (mainstream)").check()
        page.get_by_label("Case", exact=True).select_option(label=f"{reference}: {name} (Mainstream)")
        page.get_by_label("Presenting social worker").select_option(label="Will Worker")
        if papers:
            page.get_by_label("Date the papers reached panel members").fill(papers)
        page.get_by_role("button", name="Add to agenda").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{reference} is on the agenda")
    agenda = page.locator("table.govuk-table").first
    expect(agenda).to_contain_text("C-BROWSER-1: Ann Apple")
    expect(agenda).to_contain_text("C-BROWSER-2: Bob Berry")
    expect(agenda).to_contain_text("Will Worker")
    assert_accessible(page)

    # Reorder: the second item moves up.
    page.get_by_role("button", name="Up C-BROWSER-2").click()
    expect(page.locator("table.govuk-table").first.locator("tbody tr").first).to_contain_text("C-BROWSER-2")

    # Print the agenda: items in order, presenters and papers; only the agenda prints.
    page.get_by_role("link", name="Printable agenda").click()
    expect(page.locator("h1")).to_contain_text("Agenda:")
    rows = page.locator(".app-agenda__table tbody tr")
    expect(rows.nth(0)).to_contain_text("C-BROWSER-2")
    expect(rows.nth(1)).to_contain_text("Papers late")  # received today, after the deadline
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator(".app-agenda")).to_be_visible()
    page.emulate_media(media="screen")
    page.goto(meeting_url)

    # Record attendance: five present, the meeting is held and quorate.
    page.get_by_role("link", name="Record attendance").click()
    expect(page.locator("h1")).to_have_text("Record attendance")
    assert_accessible(page)
    for name in ("Chris Chair", "Sam Social", "Ian Independent", "Meg Medical", "Ed Elected"):
        page.get_by_label(re.compile(name)).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The meeting was quorate")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Quorate")

    # The recommendation on the first case, with terms and the minutes.
    page.get_by_role("link", name=re.compile("C-BROWSER-1")).click()
    expect(page.locator("h1")).to_contain_text("C-BROWSER-1")
    assert_accessible(page)
    page.get_by_role("link", name="Record the outcome").click()
    expect(page.locator("h1")).to_have_text("The panel's recommendation")
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Number of children").fill("2")
    page.get_by_label("Youngest age (years)").fill("0")
    page.get_by_label("Oldest age (years)").fill("10")
    page.get_by_label("Short-term").check()
    page.get_by_label("Date the final minutes were received").fill(uk(today()))
    page.get_by_role("button", name="Save outcome").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome saved")
    expect(page.locator("main")).to_contain_text("2 children, aged 0 to 10")

    # The ADM decision: approval creates the household.
    page.get_by_role("link", name="Record the agency decision").click()
    expect(page.locator("h1")).to_have_text("Agency decision")
    assert_accessible(page)
    page.get_by_label("Approved", exact=True).check()
    page.get_by_label("Date of the decision", exact=True).fill(uk(today()))
    page.get_by_label("Agency decision maker").fill("Dee Decider")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Approved household C-BROWSER-1 has been created"
    )
    assert_accessible(page)
    with app.app_context():
        household = db.session.scalars(select(Household).where(Household.reference == "C-BROWSER-1")).one()
        assert household.approved_places == 2

    # The second case is deferred, so nothing waits for a decision; the lists read clean.
    page.goto(meeting_url)
    page.get_by_role("link", name=re.compile("C-BROWSER-2")).click()
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Defer", exact=True).check()
    page.get_by_label("Why did the panel defer?").fill("Medical report outstanding")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.locator("main")).to_contain_text("Medical report outstanding")
    page.goto("/panels/decisions-awaited")
    expect(page.locator("main")).to_contain_text("No recommendations are waiting for a decision")
    assert_accessible(page)
    page.goto("/panels/determinations")
    expect(page.locator("h1")).to_have_text("Qualifying determinations open")
    assert_accessible(page)
    page.goto("/panels/members")
    expect(page.locator("main")).to_contain_text("Chris Chair")
    assert_accessible(page)
    page.goto("/")
    expect(page.locator("#panel-summary-heading")).to_have_text("Panel business")
    assert_accessible(page)


def test_a_social_worker_sees_their_panel_items(app, page, browser_sign_in, assert_accessible):
    from tests.panel_factories import book, make_meeting

    worker = make_user(app, Role.SOCIAL_WORKER, name="Sue Social")
    meeting_id = make_meeting(app, today())
    book(app, meeting_id, worker.id, case_id=make_case(app, reference="C-MINE", worker_id=worker.id))
    browser_sign_in(page, worker)
    page.goto("/panels/my-items")
    expect(page.locator("main")).to_contain_text("C-MINE")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("C-MINE")).click()
    expect(page.locator("h1")).to_contain_text("C-MINE")
    assert_accessible(page)


def test_booking_a_case_and_a_household_from_their_own_pages(app, page, browser_sign_in, assert_accessible):
    from tests.household_factories import make_household
    from tests.panel_factories import make_meeting

    manager = make_user(app, Role.MANAGER, name="Mo Manager")
    worker = make_user(app, Role.SOCIAL_WORKER, name="Wen Worker")
    make_meeting(app, today() + timedelta(days=14))
    case_id = make_case(app, reference="C-FROM-PAGE", worker_id=worker.id, applicants=(("Cy Cherry", None),))
    household_id = make_household(app, reference="FH-FROM-PAGE", worker_id=worker.id)
    browser_sign_in(page, manager)

    for url, reference in ((f"/cases/{case_id}", "C-FROM-PAGE"), (f"/households/{household_id}", "FH-FROM-PAGE")):
        page.goto(url)
        assert_accessible(page)
        page.get_by_role("button", name="Book onto a panel").click()
        expect(page.locator("h1")).to_have_text("Choose the panel meeting")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Book onto this meeting")).click()
        expect(page.locator("h1")).to_have_text("Add an item to the agenda")
        page.get_by_role("button", name="Add to agenda").click()  # the subject, kind and presenter are filled in
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{reference} is on the agenda")
        page.goto(url)
        expect(page.locator("#panel-booking")).to_contain_text("On the agenda for the panel of")
        expect(page.get_by_role("button", name="Book onto a panel")).to_have_count(0)
        assert_accessible(page)
        page.locator("#panel-booking").get_by_role("link", name=re.compile("See the agenda")).click()
        expect(page.locator("h1")).to_contain_text("Panel meeting")
        expect(page.locator("main")).to_contain_text(reference)
