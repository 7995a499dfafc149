"""The demo pipeline has what it promises, and every demo case passes the same checks as real data."""

from __future__ import annotations

from sqlalchemy import select

from carertrack.admin.services import create_user
from carertrack.audit.recorder import acting_as
from carertrack.cases import rules, validation
from carertrack.cases.demo import PANEL_MONTHS_AHEAD, PANEL_MONTHS_BACK, build_cases, demo_summary
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, ClosedReason, Stage
from carertrack.panels.demo import monthly_dates
from carertrack.seed.demo import DEMO_USERS, DemoContext


def test_demo_cases(app_ctx):
    today = rules.today()
    ctx = DemoContext(today=today)
    with acting_as("demo test"):
        for email, name, role in DEMO_USERS:
            ctx.users.setdefault(role, []).append(create_user(email, name, role, "a-demo-password-for-tests"))
        db.session.flush()
        build_cases(ctx)
        db.session.commit()
    cases = db.session.scalars(select(Case)).all()
    summary = demo_summary(cases, today)
    assert 55 <= summary["open"] <= 65
    assert summary["decided"] >= 35
    assert summary["closed"] >= 10
    assert summary["breached"] >= 3 and summary["at_risk"] >= 3 and summary["on_track"] >= 10
    assert summary["temporary"] >= 3
    open_cases = [c for c in cases if not c.closed_date and not c.decision]
    assert {c.stage for c in open_cases} >= set(Stage) - {Stage.DECIDED}
    assert {c.carer_type for c in open_cases} == set(CarerType)
    assert sum(1 for c in open_cases if c.extension_weeks) == 1
    settings = rules.ClockSettings()
    for case in open_cases:
        if (
            rules.timescale_status(case, today, settings) is not None
            and rules.timescale_status(case, today, settings).value == "breached"
        ):
            assert case.delay_reason, case.reference
    closed_reasons = {c.closed_reason for c in cases if c.closed_date}
    assert {ClosedReason.AW1, ClosedReason.AW3, ClosedReason.COUNSELLED_OUT} <= closed_reasons
    historic = [c for c in cases if c.decision]
    assert all(c.panel_recommendation and c.recommendation_date and c.decision_date for c in historic)
    assert min(c.decision_date for c in historic) >= today.replace(year=today.year - 3)
    meeting_days = set(monthly_dates(today, months_back=PANEL_MONTHS_BACK, months_ahead=PANEL_MONTHS_AHEAD))
    panel_dates = [d for c in cases for d in (c.predicted_panel_date, c.panel_date) if d]
    assert len(panel_dates) >= 50
    for case in cases:
        for day in (case.predicted_panel_date, case.panel_date):
            # A real panel meeting: the monthly meeting day, never a weekend.
            assert day is None or (day in meeting_days and day.weekday() < 5), (case.reference, day)
        if case.predicted_panel_date and not case.panel_recommendation:
            assert case.predicted_panel_date > today, case.reference
        assert validation.date_errors(validation.CaseDates.of(case), today) == {}, case.reference
        assert rules.derived_stage(case).order <= case.stage.order or case.closed_date, case.reference
        for check in case.checks:
            assert check.received_date is None or check.requested_date <= check.received_date
