"""The SQL status conditions agree with the Python rules on a varied set of cases, dates and settings."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.cases import queries, rules
from carertrack.cases.rules import ClockSettings
from carertrack.clocks import ClockStatus
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, CaseDecision, ClosedReason, PanelRecommendation, Stage

AS_OF = date(2026, 3, 15)


def _maybe(rng: random.Random, value, chance: float = 0.5):
    return value if rng.random() < chance else None


def build_cases(app, count: int = 400) -> None:
    """Cases whose dates cluster around AS_OF and its boundaries (deadline day, lead-time edge, leap days)."""
    rng = random.Random(4242)
    with app.app_context(), acting_as("test setup"):
        for i in range(count):
            connected = rng.random() < 0.4
            # Applications whose 8-month deadline falls near AS_OF, on it, and at the lead-time edge.
            application = AS_OF - timedelta(days=rng.choice([0, 1, 200, 201, 202, 243, 244, 245, 246, 300, 400, -5]))
            application = _maybe(rng, application, 0.85)
            placement = None
            weeks = None
            granted = None
            if connected and rng.random() < 0.7:
                placement = AS_OF - timedelta(days=rng.choice([0, 70, 71, 112, 113, 150, 168, 169, -3]))
                if rng.random() < 0.3:
                    weeks = rng.randint(1, 8)
                    granted = placement + timedelta(days=100)
            deadline_guess = AS_OF + timedelta(days=rng.randint(-60, 90))
            recommendation = rng.choice(
                [None, None, PanelRecommendation.APPROVE, PanelRecommendation.NOT_APPROVE, PanelRecommendation.DEFER]
            )
            panel = _maybe(rng, deadline_guess, 0.4) if recommendation is None else deadline_guess
            case = Case(
                reference=f"SQL-{i:04d}",
                carer_type=CarerType.CONNECTED if connected else CarerType.MAINSTREAM,
                stage=Stage.STAGE2,
                enquiry_date=(application or AS_OF) - timedelta(days=30),
                application_date=application,
                placement_date=placement,
                extension_granted_date=granted,
                extension_weeks=weeks,
                predicted_panel_date=_maybe(rng, AS_OF + timedelta(days=rng.randint(-30, 120)), 0.5),
                panel_date=panel,
                panel_recommendation=recommendation,
                recommendation_date=_maybe(rng, panel, 0.5) if recommendation else None,
                decision=_maybe(rng, CaseDecision.APPROVED, 0.2),
                decision_date=_maybe(rng, AS_OF + timedelta(days=rng.randint(-20, 20)), 0.2),
                closed_date=_maybe(rng, AS_OF + timedelta(days=rng.randint(-10, 10)), 0.1),
                closed_reason=ClosedReason.AW0,
            )
            db.session.add(case)
        db.session.commit()


@pytest.mark.parametrize(
    ("as_of", "settings"),
    [
        (AS_OF, ClockSettings(lead_days=42)),
        (AS_OF, ClockSettings(lead_days=0)),
        (AS_OF - timedelta(days=40), ClockSettings(lead_days=90)),
        (AS_OF + timedelta(days=1), ClockSettings(lead_days=42)),
    ],
)
def test_sql_status_filters_agree_with_the_python_rule(app, as_of, settings):
    build_cases(app)
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        expected: dict[ClockStatus | None, set[int]] = {}
        for case in cases:
            expected.setdefault(rules.timescale_status(case, as_of, settings), set()).add(case.id)
        seen = 0
        for status in (ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK, None):
            in_sql = set(db.session.scalars(select(Case.id).where(queries.status_condition(status, as_of, settings))))
            assert in_sql == expected.get(status, set()), status
            seen += len(in_sql)
        assert seen == len(cases)
        # Every status actually occurs, so the comparison means something.
        assert all(expected.get(status) for status in ClockStatus)


def test_sql_urgency_order_agrees_with_the_python_rule(app):
    build_cases(app, 150)
    settings = ClockSettings()
    with app.app_context():
        ordered = db.session.scalars(select(Case).order_by(*queries.urgency_order(AS_OF, settings))).all()
        keys = []
        for case in ordered:
            clocks = [c for c in rules.case_clocks(case, AS_OF, settings) if c.key in rules.TIMESCALE_CLOCKS]
            keys.append(
                rules.urgency_key(rules.timescale_status(case, AS_OF, settings), rules.nearest_deadline(clocks))
            )
        assert keys == sorted(keys)


def test_stored_deadlines_follow_every_change(app):
    with app.app_context(), acting_as("test setup"):
        case = Case(reference="D-1", carer_type=CarerType.CONNECTED, stage=Stage.ENQUIRY)
        db.session.add(case)
        db.session.commit()
        assert case.eight_month_deadline is None and case.reg24_deadline is None
        case.application_date = date(2025, 6, 30)
        case.placement_date = date(2025, 7, 1)
        db.session.commit()
        assert case.eight_month_deadline == date(2026, 2, 28)
        assert case.reg24_deadline == date(2025, 10, 21)
        case.extension_weeks = 8
        db.session.commit()
        assert case.reg24_deadline == date(2025, 12, 16)
        case.carer_type = CarerType.MAINSTREAM
        db.session.commit()
        assert case.reg24_deadline is None
