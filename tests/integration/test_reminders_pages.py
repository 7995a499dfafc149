"""The reminder pages: who may use them, each person's email choices, the outbox for administrators,
and "Your reminders" on the home page (the same items the emails carry, derived live)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from carertrack.clocks import add_months_clamped
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.base import utcnow
from carertrack.models.reminder import OutboxKind, OutboxMessage, OutboxStatus, ReminderPreference
from carertrack.models.user import Role, User
from carertrack.reminders import jobs, outbox
from carertrack.reminders.home import items_for
from tests.access import check_route_access
from tests.factories import make_user
from tests.forms import submit
from tests.html import banners, body, error_summary, form_values, page_text, title
from tests.queries import count_queries
from tests.reminder_support import make_case, make_household

EVERYONE = set(Role)


def queue(app, n: int = 1, **fields) -> list[int]:
    """Outbox rows, returned by id."""
    ids = []
    with app.app_context():
        for i in range(n):
            message = outbox.enqueue(
                kind=OutboxKind.DAILY_DIGEST,
                recipient_id=None,
                to_address=f"person{i}@example.org",
                subject=f"CarerTrack reminders number {i}",
                body_text=f"Hello person {i}",
                body_html=None,
                keys=[],
            )
            for key, value in fields.items():
                setattr(message, key, value)
            ids.append(message.id)
        db.session.commit()
    return ids


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/account/reminders", EVERYONE),
        ("POST", "/account/reminders", EVERYONE),
        ("GET", "/reminders", EVERYONE),
        ("GET", "/admin/outbox", {Role.ADMIN}),
        ("GET", "/admin/outbox/{id}", {Role.ADMIN}),
        ("POST", "/admin/outbox/{id}/retry", {Role.ADMIN}),
    ],
)
def test_route_access_by_role(app, method, path, allowed):
    [message_id] = queue(app)
    check_route_access(app, method, path.format(id=message_id), allowed)


def test_an_unknown_outbox_email_is_not_found(client, admin):
    assert client.get("/admin/outbox/999999").status_code == 404


# --- Email choices ------------------------------------------------------------------------------------


def test_a_social_worker_turns_their_daily_email_off_and_on(app, client, social_worker):
    page = client.get("/account/reminders")
    assert title(page).startswith("Reminder emails")
    text = page_text(page)
    assert "Do you want a daily email of your reminders?" in text
    assert "weekly pipeline summary" not in text
    assert form_values(page, "daily_digest")["daily_digest"] == "yes"

    saved = submit(client, "/account/reminders", {"daily_digest": "no"}, follow_redirects=True)
    assert "Your reminder email choices have been saved." in banners(saved)
    assert form_values(saved, "daily_digest")["daily_digest"] == "no"
    with app.app_context():
        preference = db.session.get(ReminderPreference, social_worker.id)
        assert preference.daily_digest is False
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "ReminderPreference")).one()
        assert (event.actor_id, event.parent_type, event.parent_id) == (social_worker.id, "User", str(social_worker.id))

    submit(client, "/account/reminders", {"daily_digest": "yes"})
    with app.app_context():
        assert db.session.get(ReminderPreference, social_worker.id).daily_digest is True


def test_a_manager_chooses_the_weekly_summary_and_is_told_breach_alerts_always_come(app, client, manager):
    page = client.get("/account/reminders")
    text = page_text(page)
    assert "Do you want the weekly pipeline summary on Monday mornings?" in text
    assert "you always get an email when a case breaches a timescale" in text
    submit(client, "/account/reminders", {"daily_digest": "no", "weekly_pipeline": "no"})
    with app.app_context():
        preference = db.session.get(ReminderPreference, manager.id)
        assert (preference.daily_digest, preference.weekly_pipeline) == (False, False)


def test_a_choice_is_required(client, social_worker):
    response = submit(client, "/account/reminders", {"daily_digest": ""})
    assert response.status_code == 400
    assert title(response).startswith("Error: Reminder emails")
    assert error_summary(response) == "Select yes if you want a daily email of your reminders"


def test_a_change_made_in_another_tab_is_not_overwritten(app, client, social_worker):
    stale = form_values(client.get("/account/reminders"), "daily_digest")
    submit(client, "/account/reminders", {"daily_digest": "no"})
    response = client.post("/account/reminders", data={**stale, "daily_digest": "yes"})
    assert response.status_code == 400
    assert "since you opened it" in error_summary(response)
    with app.app_context():
        assert db.session.get(ReminderPreference, social_worker.id).daily_digest is False


# --- The outbox -----------------------------------------------------------------------------------------


def test_the_outbox_shows_each_email_with_status_attempts_and_last_error(app, client, admin):
    [failed] = queue(app, attempts=3, last_error="SMTPServerDisconnected: Connection unexpectedly closed")
    [sent] = queue(app, status=OutboxStatus.SENT, attempts=1, sent_at=utcnow())
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert title(page).startswith("Outbox")
    text = page_text(page)
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in text
    assert "Queued" in text and "Sent" in text
    assert f"/admin/outbox/{failed}" in body(page) and f"/admin/outbox/{sent}" in body(page)

    only_queued = page_text(client.get("/admin/outbox?status=queued"))
    assert "SMTPServerDisconnected" in only_queued
    assert only_queued.count("CarerTrack reminders number") == 1


def test_the_outbox_is_paginated(app, client, admin):
    queue(app, 30)
    first = page_text(client.get("/admin/outbox"))
    second = page_text(client.get("/admin/outbox?page=2"))
    assert "Showing 1 to 25 of 30" in first
    assert "Showing 26 to 30 of 30" in second


def test_an_admin_reads_an_email_and_tries_it_again_now(app, client, admin):
    later = utcnow() + timedelta(hours=3)
    [message_id] = queue(app, attempts=4, last_error="ConnectionRefusedError: refused", next_attempt_at=later)
    page = client.get(f"/admin/outbox/{message_id}")
    assert "Hello person 0" in page_text(page)
    assert "ConnectionRefusedError: refused" in page_text(page)
    done = submit(client, f"/admin/outbox/{message_id}", {}, follow_redirects=True)
    assert "The email will be sent the next time the outbox runs" in " ".join(banners(done))
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).next_attempt_at.replace(tzinfo=None) < later.replace(
            tzinfo=None
        )
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "OutboxMessage")).one()
        assert (event.actor_id, event.action, event.entity_id) == (admin.id, "update", str(message_id))
        assert event.changes["next_attempt_at"][0].startswith(later.isoformat()[:16])


def test_a_sent_email_cannot_be_tried_again(app, client, admin):
    [message_id] = queue(app, status=OutboxStatus.SENT, attempts=1, sent_at=utcnow())
    page = client.get(f"/admin/outbox/{message_id}")
    assert "Try again now" not in page_text(page)


# --- Your reminders on the home page -----------------------------------------------------------------------


def breached_case(app, worker_id: int, reference: str = "FC-HOME") -> int:
    """A case whose 8 months ended five days ago."""
    application = add_months_clamped(today() - timedelta(days=5), -8)
    return make_case(app, reference, application, worker_id)


def test_the_home_page_shows_a_social_workers_reminders_live(app, client, social_worker):
    case_id = breached_case(app, social_worker.id)
    page = client.get("/")
    text = page_text(page)
    assert "Your reminders" in text
    assert "1 overdue and 0 due soon" in text
    assert "Overdue 8-month timescale breached: FC-HOME (Jane and Tom)" in text
    assert f'href="/cases/{case_id}"' in body(page)
    assert "/account/reminders" in body(page)


def test_the_home_page_and_the_email_hold_the_same_items(app, client, social_worker):
    breached_case(app, social_worker.id)
    household_id = make_household(app, "FH-HOME", social_worker.id, dbs_issued=add_months_clamped(today(), -37))
    client.get("/")
    with app.app_context():
        user = db.session.get(User, social_worker.id)
        on_home = [(i.rule, i.record_id) for i in items_for(user)]
        [email] = [e for e in jobs.daily_emails(today()) if e.recipient.id == social_worker.id]
        in_email = [(i.rule, i.record_id) for i in email.items]
    assert on_home == in_email
    # Breached case, expired DBS, and the household's annual review (its last was on 1 January 2025).
    assert sorted(rule for rule, _ in on_home) == ["dbs_expired", "eight_month_breached", "review_overdue"]
    assert ("review_overdue", household_id) in on_home


def test_people_with_nothing_due_are_told_so_and_admins_have_no_panel(app):
    from tests.conftest import sign_in

    panel_admin, admin = app.test_client(), app.test_client()
    sign_in(panel_admin, make_user(app, Role.PANEL_ADMIN))
    sign_in(admin, make_user(app, Role.ADMIN))
    assert "You have no reminders today." in page_text(panel_admin.get("/"))
    assert "Your reminders" not in page_text(admin.get("/"))


def test_your_reminders_page_lists_everything(app, client, manager):
    for n in range(10):
        breached_case(app, None, reference=f"FC-{n:02d}")
    home = page_text(client.get("/"))
    assert "See all 10 of your reminders" in home
    everything = page_text(client.get("/reminders"))
    assert "Overdue (10)" in everything
    assert all(f"FC-{n:02d}" in everything for n in range(10))


def test_finding_a_persons_reminders_takes_the_same_queries_however_many_records(app):
    worker = make_user(app, Role.SOCIAL_WORKER)
    make_user(app, Role.MANAGER)

    def measure() -> int:
        with app.app_context():
            user = db.session.get(User, worker.id)
            with count_queries(app) as counter:
                items_for(user)
            return counter.count

    for n in range(3):
        breached_case(app, worker.id, reference=f"FC-A{n}")
        make_household(app, f"FH-A{n}", worker.id, dbs_issued=add_months_clamped(today(), -37))
    few = measure()
    for n in range(30):
        breached_case(app, worker.id, reference=f"FC-B{n}")
        make_household(app, f"FH-B{n}", worker.id, dbs_issued=add_months_clamped(today(), -37))
    many = measure()
    assert few == many


def test_the_reminder_pages_take_the_same_queries_however_many_rows(app, client, signed_in_as):
    from tests.conftest import sign_in

    worker = signed_in_as(Role.SOCIAL_WORKER)
    admin_client = app.test_client()
    sign_in(admin_client, make_user(app, Role.ADMIN))
    pages = [(client, "/"), (client, "/reminders"), (admin_client, "/admin/outbox")]

    def measure() -> list[int]:
        counts = []
        for who, path in pages:
            with count_queries(app) as counter:
                assert who.get(path).status_code == 200
            # Settings are read once per request only when something needs them (the idle sign-out does
            # now and then), so they are left out: the count that matters is the data's.
            counts.append(len([s for s in counter.statements if "FROM setting" not in s]))
        return counts

    queue(app, 2)
    for n in range(2):
        breached_case(app, worker.id, reference=f"FC-Q{n}")
    few = measure()
    # More reminders, and more emails, still within one page of the outbox (25).
    queue(app, 20)
    for n in range(2, 20):
        breached_case(app, worker.id, reference=f"FC-Q{n}")
    assert measure() == few
    assert "FC-Q19" in page_text(client.get("/reminders"))
    assert page_text(admin_client.get("/admin/outbox")).count("CarerTrack reminders number") == 22
