"""The panels demo builder links to the cases the cases builder made, and books the ready ones."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import Case, CaseDecision, PanelRecommendation, Stage
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelMeeting, PanelMember
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, QualifyingDetermination
from carertrack.models.user import Role, User
from carertrack.panels import demo
from carertrack.seed.demo import DemoContext
from tests.factories import make_user
from tests.panel_factories import make_case

TODAY = date(2026, 11, 22)


def _record(app, case_id: int, **fields) -> None:
    with app.app_context(), acting_as("test setup"):
        case = db.session.get(Case, case_id)
        for key, value in fields.items():
            setattr(case, key, value)
        db.session.commit()


def test_monthly_dates_are_second_tuesdays_on_working_days():
    dates = demo.monthly_dates(TODAY, months_back=12, months_ahead=4)
    assert len(dates) == 17
    assert dates[12] == date(2026, 11, 10)
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in dates)


def test_builder_links_past_recommendations_and_decisions_and_books_ready_cases(app):
    worker = make_user(app, Role.SOCIAL_WORKER)
    make_user(app, Role.PANEL_ADMIN)
    approved = make_case(app, reference="D-APPROVED", worker_id=worker.id, dbs_received=date(2026, 1, 10))
    panel_day = date(2026, 6, 9)
    _record(
        app,
        approved,
        panel_date=panel_day,
        panel_recommendation=PanelRecommendation.APPROVE,
        recommendation_date=panel_day,
        decision=CaseDecision.APPROVED,
        decision_date=date(2026, 6, 16),
        stage=Stage.DECIDED,
    )
    refused = make_case(app, reference="D-REFUSED", worker_id=worker.id)
    extra_day = date(2026, 8, 20)  # not a second Tuesday: an extra sitting
    _record(
        app,
        refused,
        panel_date=extra_day,
        panel_recommendation=PanelRecommendation.NOT_APPROVE,
        recommendation_date=extra_day,
        decision=CaseDecision.NOT_APPROVED,
        decision_date=date(2026, 8, 27),
        stage=Stage.DECIDED,
    )
    ready = make_case(app, reference="D-READY", worker_id=worker.id)
    _record(app, ready, predicted_panel_date=date(2027, 1, 20))
    with app.app_context(), acting_as("demo"):
        users: dict[Role, list[User]] = {}
        for user in db.session.scalars(select(User)):
            users.setdefault(user.role, []).append(user)
        demo.build_panels(DemoContext(today=TODAY, users=users, rng=random.Random(1)))
        db.session.commit()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PanelMember)) == 11
        held = db.session.scalars(select(PanelMeeting).where(PanelMeeting.status == MeetingStatus.HELD)).all()
        assert {m.meeting_date for m in held} >= {panel_day, extra_day}
        assert all(m.quorate is not None and m.attendance for m in held)
        approved_item = db.session.scalars(select(AgendaItem).where(AgendaItem.case_id == approved)).one()
        assert approved_item.meeting.meeting_date == panel_day
        assert approved_item.decision.decided_on == date(2026, 6, 16)
        assert approved_item.minutes_received_on <= date(2026, 6, 16)
        # The approval's household exists (created from the case when no builder made it).
        household = db.session.scalars(select(Household).where(Household.case_id == approved)).one()
        assert household.reference == "D-APPROVED" and household.members[0].dbs_checks
        refused_item = db.session.scalars(select(AgendaItem).where(AgendaItem.case_id == refused)).one()
        assert refused_item.decision.determination is not None
        assert db.session.scalar(select(func.count()).select_from(AdmDecision)) == 2
        assert db.session.scalar(select(func.count()).select_from(QualifyingDetermination)) == 1
        ready_item = db.session.scalars(select(AgendaItem).where(AgendaItem.case_id == ready)).one()
        assert ready_item.meeting.status is MeetingStatus.SCHEDULED
        assert ready_item.meeting.meeting_date == date(2027, 1, 12)
        case = db.session.get(Case, ready)
        assert case.panel_date == case.predicted_panel_date == date(2027, 1, 12)
        upcoming = db.session.scalars(
            select(PanelMeeting).where(
                PanelMeeting.meeting_date >= TODAY, PanelMeeting.status == MeetingStatus.SCHEDULED
            )
        ).all()
        assert len(upcoming) == demo.UPCOMING_MONTHS
        assert min(upcoming, key=lambda m: m.meeting_date).attendance  # the next one has expected members
        assert (
            db.session.scalar(
                select(func.count()).select_from(PanelMeeting).where(PanelMeeting.status == MeetingStatus.CANCELLED)
            )
            == 1
        )
