"""Booking from a case or household page: the "Book onto a panel" link (editors only, only when it can go),
the page that chooses the meeting, and the current booking shown on the case and household pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus
from carertrack.models.user import Role
from carertrack.panels import rules
from tests.factories import make_user
from tests.household_factories import make_household
from tests.html import banners, body, page_text
from tests.panel_factories import book, make_case, make_meeting

BOOK = "Book onto a panel"


def _close(app, case_id: int) -> None:
    with app.app_context(), acting_as("test setup"):
        db.session.get(Case, case_id).closed_date = date(2026, 1, 2)
        db.session.commit()


@pytest.mark.parametrize("role", [Role.PANEL_ADMIN, Role.MANAGER])
def test_editors_book_a_case_from_its_page(app, client, signed_in_as, role):
    signed_in_as(role)
    worker = make_user(app, Role.SOCIAL_WORKER)
    panel_day = today() + timedelta(days=20)
    meeting_id = make_meeting(app, panel_day)
    make_meeting(app, today() + timedelta(days=50), status=MeetingStatus.CANCELLED)
    case_id = make_case(app, reference="C-LINK-1", worker_id=worker.id)

    case_page = body(client.get(f"/cases/{case_id}"))
    assert BOOK in case_page
    assert f'href="/panels/book?case_id={case_id}"' in case_page

    choose = client.get(f"/panels/book?case_id={case_id}")
    assert choose.status_code == 200
    html = body(choose)
    # Only meetings taking bookings are offered; each goes to the booking form with the case chosen.
    assert f"/panels/meetings/{meeting_id}/items/new?case_id={case_id}" in html
    assert html.count("Book onto this meeting") == 1
    assert "0 of 6 places used" in page_text(choose)

    form = body(client.get(f"/panels/meetings/{meeting_id}/items/new?case_id={case_id}"))
    assert f'<option selected value="{case_id}">' in form or f'value="{case_id}" selected' in form


def test_the_case_page_shows_its_booking_instead_of_the_link(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    panel_day = today() + timedelta(days=30)
    meeting_id = make_meeting(app, panel_day)
    case_id = make_case(app, worker_id=worker.id)
    item_id = book(app, meeting_id, worker.id, case_id=case_id)

    html = body(client.get(f"/cases/{case_id}"))
    assert BOOK not in html
    assert f'href="/panels/meetings/{meeting_id}#item-{item_id}"' in html
    text = page_text(client.get(f"/cases/{case_id}"))
    assert f"On the agenda for the panel of {panel_day.day}" in text
    assert "new approval (mainstream)" in text

    # Going to the choosing page anyway leads to the item, never a second booking.
    response = client.get(f"/panels/book?case_id={case_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/panels/items/{item_id}")


def test_no_link_for_a_case_that_cannot_go_to_panel(app, client, manager):
    case_id = make_case(app)
    _close(app, case_id)
    assert BOOK not in body(client.get(f"/cases/{case_id}"))
    response = client.get(f"/panels/book?case_id={case_id}", follow_redirects=True)
    assert response.request.path == f"/cases/{case_id}"
    assert any("cannot go to panel" in banner for banner in banners(response))


def test_a_social_worker_sees_the_booking_but_no_link(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    case_id = make_case(app, worker_id=worker.id)
    assert BOOK not in body(client.get(f"/cases/{case_id}"))
    assert client.get(f"/panels/book?case_id={case_id}").status_code == 403
    meeting_id = make_meeting(app, today() + timedelta(days=9))
    item_id = book(app, meeting_id, worker.id, case_id=case_id)
    html = body(client.get(f"/cases/{case_id}"))
    assert f'href="/panels/meetings/{meeting_id}#item-{item_id}"' in html
    assert BOOK not in html


def test_editors_book_a_household_from_its_page(app, client, manager):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=20))
    household_id = make_household(app, reference="FH-LINK", worker_id=worker.id)

    html = body(client.get(f"/households/{household_id}"))
    assert f'href="/panels/book?household_id={household_id}"' in html
    choose = body(client.get(f"/panels/book?household_id={household_id}"))
    assert f"/panels/meetings/{meeting_id}/items/new?household_id={household_id}" in choose

    item_id = book(app, meeting_id, worker.id, household_id=household_id)
    html = body(client.get(f"/households/{household_id}"))
    assert BOOK not in html
    assert f'href="/panels/meetings/{meeting_id}#item-{item_id}"' in html
    assert "other review" in page_text(client.get(f"/households/{household_id}"))


def test_no_link_for_a_deregistered_household(app, client, manager):
    household_id = make_household(app, deregistration_date=today() - timedelta(days=1))
    assert BOOK not in body(client.get(f"/households/{household_id}"))
    response = client.get(f"/panels/book?household_id={household_id}", follow_redirects=True)
    assert response.request.path == f"/households/{household_id}"
    assert any("not approved" in banner for banner in banners(response))


def test_an_administrator_sees_the_booking_date_without_a_panel_link(app, client, admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=20))
    household_id = make_household(app, worker_id=worker.id)
    book(app, meeting_id, worker.id, household_id=household_id)
    html = body(client.get(f"/households/{household_id}"))
    assert "On the agenda for the panel of" in html
    assert f"/panels/meetings/{meeting_id}" not in html  # administrators have no panel pages
    assert BOOK not in html


def test_the_choosing_page_needs_a_real_subject(app, client, panel_admin):
    assert client.get("/panels/book").status_code == 404
    assert client.get("/panels/book?case_id=999999").status_code == 404
    assert client.get("/panels/book?household_id=999999").status_code == 404
    assert client.get("/panels/book?case_id=99999999999999999999").status_code == 404  # beyond any id
    assert client.get("/panels/book?case_id=x1").status_code == 404


def test_bookable_rules_agree_with_the_booking_list(app):
    """The rule behind the link and the SQL behind the booking form's list of cases agree."""
    open_id = make_case(app)
    closed_id = make_case(app)
    _close(app, closed_id)
    with app.app_context():
        from carertrack.panels import queries

        listed = {c.id for c in db.session.scalars(queries.bookable_cases_statement())}
        for case_id in (open_id, closed_id):
            case = db.session.get(Case, case_id)
            assert rules.case_can_go_to_panel(case) is (case_id in listed)
        assert listed == {open_id}
        household = db.session.get(Household, make_household(app))
        assert rules.household_can_go_to_panel(household, today())
        assert not rules.household_can_go_to_panel(household, household.approval_date - timedelta(days=1))
