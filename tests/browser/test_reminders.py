"""In a real browser, under the real CSP: a social worker sees their reminders and turns their daily
email off; an administrator reads the outbox, opens a failed email and tries it again. axe-core on
every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from carertrack.clocks import add_months_clamped
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.base import utcnow
from carertrack.models.reminder import OutboxKind, OutboxStatus, ReminderPreference
from carertrack.models.user import Role
from carertrack.reminders import outbox
from tests.factories import make_user
from tests.reminder_support import make_case

pytestmark = pytest.mark.browser


def test_social_worker_reads_their_reminders_and_turns_the_daily_email_off(
    app, page, browser_sign_in, assert_accessible
):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    make_case(app, "FC-BROWSER", add_months_clamped(today() - timedelta(days=4), -8), worker.id)
    browser_sign_in(page, worker)

    panel = page.locator("section", has=page.get_by_role("heading", name="Your reminders"))
    expect(panel).to_contain_text("8-month timescale breached: FC-BROWSER (Jane and Tom)")
    expect(panel.locator(".govuk-tag")).to_have_text("Overdue")
    assert_accessible(page)

    panel.get_by_role("link", name="Choose which reminder emails you get").click()
    expect(page.locator("h1")).to_have_text("Reminder emails")
    expect(page.get_by_label("Yes")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your reminder email choices have been saved.")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your reminder email choices have been saved.")
    expect(page.get_by_label("No")).to_be_checked()
    assert_accessible(page)
    with app.app_context():
        assert db.session.get(ReminderPreference, worker.id).daily_digest is False

    page.goto("/reminders")
    expect(page.locator("h1")).to_have_text("Your reminders")
    expect(page.locator("main")).to_contain_text("Overdue (1)")
    assert_accessible(page)


def test_admin_reads_the_outbox_and_tries_a_failed_email_again(app, page, browser_sign_in, assert_accessible):
    admin = make_user(app, Role.ADMIN, name="Alex Morgan")
    with app.app_context():
        for n in range(3):
            message = outbox.enqueue(
                kind=OutboxKind.DAILY_DIGEST,
                recipient_id=None,
                to_address=f"worker{n}@example.org",
                subject=f"CarerTrack reminders for worker {n}",
                body_text=f"Hello Worker {n},\n\nYou have 1 new reminder.",
                body_html=None,
                keys=[],
            )
            if n == 0:
                message.attempts = 3
                message.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
                message.next_attempt_at = utcnow() + timedelta(hours=1)
            else:
                message.status = OutboxStatus.SENT
                message.attempts = 1
                message.sent_at = utcnow()
        db.session.commit()
    browser_sign_in(page, admin)

    page.get_by_role("link", name="Outbox", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Outbox")
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("tbody")).to_contain_text("Connection refused")
    assert_accessible(page)

    page.get_by_label("Status").select_option("queued")
    page.get_by_role("button", name="Show emails").click()
    expect(page).to_have_url(re.compile(r"status=queued"))
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="CarerTrack reminders for worker 0").click()
    expect(page.locator("h1")).to_have_text("CarerTrack reminders for worker 0")
    expect(page.locator(".app-email-body")).to_contain_text("Hello Worker 0,")
    assert_accessible(page)

    page.get_by_role("button", name="Try again now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The email will be sent the next time")
    assert_accessible(page)
