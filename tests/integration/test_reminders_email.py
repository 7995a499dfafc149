"""Reminder emails through a real SMTP server on loopback: who gets what, grouping, order, links,
privacy, sending once, and the managers' Monday summary."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.reminder import OutboxMessage, OutboxStatus, SentReminder
from carertrack.reminders.jobs import run_daily
from tests.reminder_support import (
    APPLICANT_DOB,
    AS_OF,
    BASE_URL,
    CARER_DOB,
    CERTIFICATE,
    CHILD_DOB,
    DELAY_REASON,
    MONDAY,
    build_scenario,
    date_forms,
    set_preference,
    smtp_server,
)


@pytest.fixture
def inbox(app, monkeypatch):
    """A loopback SMTP server the app sends to, and the public address emails link to."""
    with smtp_server() as (received, port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "reminders@carertrack.example.gov.uk")
        monkeypatch.setitem(app.config, "SERVER_BASE_URL", BASE_URL)
        yield received


def subject(received) -> str:
    """The subject as a mail client shows it (a long one is folded onto its own line, so unfold it)."""
    return str(received.message["Subject"]).strip()


def run(app, day: date):
    with app.app_context():
        return run_daily(day)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_each_person_gets_one_digest_with_their_items_most_urgent_first(app, inbox):
    s = build_scenario(app)
    run(app, AS_OF)

    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == sorted(
        [s.worker.email, s.other_worker.email, s.manager.email]
    )
    assert inbox.to(s.panel_admin.email) == []

    [sam] = inbox.to(s.worker.email)
    assert subject(sam) == "CarerTrack reminders for 11 September 2025: 2 overdue, 1 due soon"
    assert sam.message["From"] == "reminders@carertrack.example.gov.uk"
    text = sam.text
    assert text.startswith("Hello Sam,")
    # Overdue first, earliest due first (the DBS renewal on 15 June before the 10 September deadline), then due soon.
    order = [
        text.index("DBS check expired: Household FH-1: Ann"),
        text.index("8-month timescale breached: FC-A (Jane and Tom)"),
        text.index("Due soon"),
        text.index("8-month timescale at risk: FC-B (Jane and Tom)"),
    ]
    assert order == sorted(order)
    assert f"{BASE_URL}/cases/{s.breached_case}" in text
    assert f"{BASE_URL}/cases/{s.at_risk_case}" in text
    assert f"{BASE_URL}/households/{s.expired_household}#people" in text
    assert f'href="{BASE_URL}/cases/{s.breached_case}"' in sam.html
    assert f"{BASE_URL}/account/reminders" in text

    [priya] = inbox.to(s.other_worker.email)
    assert subject(priya) == "CarerTrack reminders for 11 September 2025: 1 due soon"
    assert "Turning 18 without a DBS check: Household FH-2: Jamie" in priya.text
    assert "FC-A" not in priya.text

    [maria] = inbox.to(s.manager.email)
    assert "8-month timescale breached: FC-A (Jane and Tom)" in maria.text
    assert "8-month timescale at risk: FC-B (Jane and Tom)" in maria.text
    assert "FH-1" not in maria.text  # supervised households' items go to their social worker


def test_emails_carry_references_and_first_names_only(app, inbox):
    build_scenario(app)
    run(app, AS_OF)
    run(app, MONDAY)  # the weekly summary too
    assert len(inbox.messages) >= 4
    forbidden = [CERTIFICATE, DELAY_REASON, "Bereavement", "Jane Smith", "Ann Carer", "Jamie Carer", "Smith"]
    # The 18th birthday gives the date of birth away; FH-1's DBS issue and renewal dates are DBS details.
    for day in (APPLICANT_DOB, CARER_DOB, CHILD_DOB, date(2025, 11, 20), date(2022, 6, 15), date(2025, 6, 15)):
        forbidden += date_forms(day)
    for received in inbox.messages:
        for text in forbidden:
            assert text not in received.raw, f"{text!r} in the email to {received.rcpt_tos}"


def test_a_rerun_and_the_next_day_send_nothing_twice(app, inbox):
    s = build_scenario(app)
    run(app, AS_OF)
    run(app, AS_OF)
    run(app, date(2025, 9, 12))
    assert len(inbox.messages) == 3
    assert count(app, OutboxMessage) == 3

    # 2 October: FC-B breaches (deadline 1 October). Only that is new for Sam, and he is told about the rest.
    run(app, date(2025, 10, 2))
    [new] = [m for m in inbox.to(s.worker.email) if "2 October" in subject(m)]
    assert subject(new) == "CarerTrack reminders for 2 October 2025: 1 overdue"
    assert "8-month timescale breached: FC-B" in new.text
    assert "FC-A" not in new.text
    assert "You also have 2 reminders you were told about before" in new.text


def test_a_person_who_turned_their_digest_off_gets_none(app, inbox):
    s = build_scenario(app)
    set_preference(app, s.worker.id, daily=False)
    run(app, AS_OF)
    assert inbox.to(s.worker.email) == []
    assert len(inbox.to(s.other_worker.email)) == 1


def test_a_managers_breach_alerts_cannot_be_turned_off(app, inbox):
    s = build_scenario(app)
    set_preference(app, s.manager.id, daily=False, weekly=False)
    run(app, AS_OF)
    [maria] = inbox.to(s.manager.email)
    assert "8-month timescale breached: FC-A" in maria.text
    assert "FC-B" not in maria.text  # at risk is not a breach: their choice applies
    assert "breaches still come to managers" in maria.text


def test_the_weekly_pipeline_summary_goes_to_managers_on_monday_once(app, inbox):
    s = build_scenario(app)
    run(app, MONDAY)
    run(app, MONDAY)
    run(app, date(2025, 9, 16))
    weekly = [m for m in inbox.to(s.manager.email) if "pipeline" in subject(m)]
    assert len(weekly) == 1
    summary = weekly[0]
    assert subject(summary) == "CarerTrack pipeline, week of 15 September 2025: 1 breach, 1 at risk"
    assert "FC-A: 8 months to panel recommendation, deadline 10 September 2025" in summary.text
    assert "FC-B: 8 months to panel recommendation, deadline 1 October 2025" in summary.text
    assert "Assessments in progress: 2" in summary.text
    # FH-2 was approved on 1 May 2025, in the 2025/26 year; nothing was deregistered.
    assert "Net growth in 2025/26 so far: 1 (1 approved, 0 deregistered)" in summary.text
    # September is the sixth month of the year: 20 x 6/12, the dashboard's target line for the month.
    assert "Target for the year: 20 (about 10 by now)" in summary.text
    assert not any("pipeline" in subject(m) for m in inbox.messages if s.manager.email not in m.rcpt_tos)


def test_no_weekly_summary_on_other_days_or_when_turned_off(app, inbox):
    s = build_scenario(app)
    run(app, AS_OF)
    assert not any("pipeline" in subject(m) for m in inbox.messages)
    set_preference(app, s.manager.id, weekly=False)
    run(app, MONDAY)
    assert not any("pipeline" in subject(m) for m in inbox.messages)


def test_the_keys_and_the_outbox_row_are_written_together(app, inbox):
    s = build_scenario(app)
    run(app, AS_OF)
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == s.worker.id)).all()
        assert [(r.status, r.attempts) for r in rows] == [(OutboxStatus.SENT, 1)]
        keys = db.session.scalars(select(SentReminder).where(SentReminder.outbox_id == rows[0].id)).all()
        assert sorted(k.rule for k in keys) == sorted(
            ["daily_digest", "dbs_expired", "eight_month_breached", "eight_month_at_risk"]
        )
        assert {k.recipient_id for k in keys} == {s.worker.id}
