"""The calendar shows the next few upcoming meetings with a link to all of them, a page at a time."""

from __future__ import annotations

from datetime import timedelta

from carertrack.dates import today
from carertrack.panels.routes_meetings import UPCOMING_PER_PAGE, UPCOMING_SHOWN
from tests.html import page_text
from tests.panel_factories import make_meeting


def test_calendar_shows_the_next_meetings_and_links_to_every_one(app, client, panel_admin):
    count = UPCOMING_PER_PAGE + 3
    for n in range(count):
        make_meeting(app, today() + timedelta(days=n + 1))
    page = page_text(client.get("/panels"))
    assert f"Showing the next {UPCOMING_SHOWN} of {count} upcoming meetings" in page
    assert f"See all {count} upcoming meetings" in page
    first = page_text(client.get("/panels/upcoming"))
    assert f"Showing 1 to {UPCOMING_PER_PAGE} of {count}" in first
    second = page_text(client.get("/panels/upcoming?page=2"))
    assert f"Showing {UPCOMING_PER_PAGE + 1} to {count} of {count}" in second


def test_a_short_calendar_has_no_link(app, client, panel_admin):
    make_meeting(app, today() + timedelta(days=3))
    page = page_text(client.get("/panels"))
    assert "See all" not in page
    assert "1 upcoming" not in page


def test_no_upcoming_meetings_says_so(app, client, panel_admin):
    make_meeting(app, today() - timedelta(days=3))
    assert "No meetings are scheduled." in page_text(client.get("/panels/upcoming"))
