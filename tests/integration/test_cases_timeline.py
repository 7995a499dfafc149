"""Every stage change records who and when, and the case page's timeline shows what happened newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import Stage
from carertrack.models.case_records import CaseNote, StageChange
from carertrack.models.user import Role
from tests.case_factories import make_case
from tests.conftest import sign_in
from tests.factories import make_user
from tests.forms import submit

TODAY = date.today()


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_every_stage_change_records_who_and_when(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER, name="Wendy Worker")
    case_id = make_case(app, intake_worker_id=worker.id, enquiry_date=TODAY - timedelta(days=30))
    started = datetime.now(UTC) - timedelta(seconds=5)
    base = f"/cases/{case_id}"
    assert submit(client, f"{base}/first-contact", {"contact_date": uk(TODAY - timedelta(days=29))}).status_code == 302
    visit = {"visit_date": uk(TODAY - timedelta(days=20)), "outcome": "invite_to_apply"}
    assert submit(client, f"{base}/initial-visit", visit).status_code == 302
    application = {"application_date": uk(TODAY - timedelta(days=10))}
    assert submit(client, f"{base}/application", application).status_code == 302

    manager = make_user(app, Role.MANAGER, name="Mandy Manager")
    manager_client = app.test_client()
    sign_in(manager_client, manager)
    allocation = {"worker": str(worker.id), "allocated_date": uk(TODAY - timedelta(days=5))}
    assert submit(manager_client, f"{base}/allocate", allocation).status_code == 302
    finished = datetime.now(UTC) + timedelta(seconds=5)

    with app.app_context():
        changes = db.session.scalars(
            select(StageChange).where(StageChange.case_id == case_id).order_by(StageChange.id)
        ).all()
        recorded = [(c.from_stage, c.to_stage, c.changed_by_id, c.changed_by_label) for c in changes]
        moments = [c.changed_at if c.changed_at.tzinfo else c.changed_at.replace(tzinfo=UTC) for c in changes]
    assert recorded == [
        (Stage.ENQUIRY, Stage.INITIAL_VISIT, worker.id, "Wendy Worker"),
        (Stage.INITIAL_VISIT, Stage.APPLICATION, worker.id, "Wendy Worker"),
        (Stage.APPLICATION, Stage.ALLOCATED, manager.id, "Mandy Manager"),
    ]
    assert all(started <= moment <= finished for moment in moments)
    assert moments == sorted(moments)

    # The timeline shows each of them with who did it, newest first.
    page = client.get(base).get_data(as_text=True)
    timeline = page[page.index('id="timeline"') :]
    allocated = timeline.index(f"Moved to {Stage.ALLOCATED.label}")
    applied = timeline.index(f"Moved to {Stage.APPLICATION.label}")
    visited = timeline.index(f"Moved to {Stage.INITIAL_VISIT.label}")
    assert allocated < applied < visited
    assert "by Mandy Manager" in timeline[allocated:applied]
    assert "by Wendy Worker" in timeline[applied:visited]


def test_the_timeline_is_newest_first(app, client, manager):
    case_id = make_case(app, enquiry_date=TODAY - timedelta(days=60))
    now = datetime.now(UTC)
    with app.app_context(), acting_as("test setup"):
        # Written out of order, at different times: the page must sort them.
        for days, text in ((20, "Middle note"), (40, "Oldest note"), (1, "Newest note")):
            db.session.add(
                CaseNote(case_id=case_id, author_label="Someone", written_at=now - timedelta(days=days), text=text)
            )
        db.session.commit()
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') :]
    positions = [timeline.index(text) for text in ("Newest note", "Middle note", "Oldest note")]
    assert positions == sorted(positions)
