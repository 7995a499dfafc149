"""The demo service's reminder emails, scanned for what must never leave: dates of birth, DBS
certificate numbers, delay reasons and full names. Emails carry references and first names only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.case_records import CaseApplicant, CaseMember, Delay
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import HouseholdMember
from carertrack.models.staying_put import StayingPut
from carertrack.reminders.jobs import run_daily
from carertrack.seed.demo import build_demo
from tests.reminder_support import date_forms, smtp_server


def personal_data(as_of: date) -> dict[str, set[str]]:
    """Everything the demo holds that an email must not carry, by kind."""
    # Dates of birth at least 12 years old: younger ones could be mistaken for a deadline the email
    # rightly shows (training and review deadlines run back about eight years in the demo).
    cutoff = as_of.replace(year=as_of.year - 12)
    births = set()
    for model in (HouseholdMember, CaseApplicant, CaseMember, StayingPut):
        births.update(d for d in db.session.scalars(select(model.date_of_birth)) if d is not None and d < cutoff)
    names = set()
    for model in (HouseholdMember, CaseApplicant, CaseMember):
        names.update(n for n in db.session.scalars(select(model.name)) if n and len(n.split()) > 1)
    reasons = {r for r in db.session.scalars(select(Case.delay_reason)) if r}
    reasons.update(r for r in db.session.scalars(select(Delay.reason)) if r)
    return {
        "date of birth": {form for day in births for form in date_forms(day)},
        "certificate number": {n for n in db.session.scalars(select(DbsCheck.certificate_number)) if n},
        "delay reason": reasons,
        "full name": names,
    }


def test_no_demo_email_carries_personal_data(app, monkeypatch):
    as_of = today()
    monday = as_of + timedelta(days=(7 - as_of.weekday()) % 7)
    with app.app_context(), acting_as("test setup"):
        build_demo(as_of)
        db.session.commit()
    with smtp_server() as (inbox, port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        with app.app_context():
            run_daily(as_of)
            if monday != as_of:
                run_daily(monday)
            forbidden = personal_data(as_of)
    assert len(inbox.messages) >= 3, "the demo should give several people reminders"
    assert any("pipeline" in str(m.message["Subject"]) for m in inbox.messages), "a Monday summary is scanned too"
    assert forbidden["certificate number"] and forbidden["date of birth"] and forbidden["full name"]
    for received in inbox.messages:
        text = received.raw
        for kind, values in forbidden.items():
            leaked = sorted(v for v in values if v in text)
            assert not leaked, f"{kind} in the email to {received.rcpt_tos}: {leaked[:5]}"
