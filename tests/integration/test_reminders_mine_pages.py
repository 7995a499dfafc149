"""'Your reminders' lists everything a page at a time, with the counts for the whole list."""

from __future__ import annotations

from carertrack.reminders import home
from tests.html import page_text
from tests.integration.test_reminders_pages import breached_case


def test_your_reminders_page_pages_through_everything(app, client, manager, monkeypatch):
    monkeypatch.setattr(home, "PER_PAGE", 4)
    for n in range(10):
        breached_case(app, None, reference=f"FC-{n:02d}")
    first = page_text(client.get("/reminders"))
    assert "Overdue (10)" in first
    assert "Showing 1 to 4 of 10" in first
    assert sum(f"FC-{n:02d}" in first for n in range(10)) == 4
    seen = set()
    for number in (1, 2, 3):
        text = page_text(client.get(f"/reminders?page={number}"))
        seen |= {n for n in range(10) if f"FC-{n:02d}" in text}
    assert seen == set(range(10))
    last = page_text(client.get("/reminders?page=3"))
    assert "Showing 9 to 10 of 10" in last
    beyond = page_text(client.get("/reminders?page=9"))
    assert "There are no reminders on this page." in beyond


def test_nothing_due_says_so(app, client, manager):
    assert "You have no reminders today." in page_text(client.get("/reminders"))
