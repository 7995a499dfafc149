"""Allocation and reallocation by managers, with caseloads shown and the history kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.case import Case, Stage
from carertrack.models.case_records import CaseAllocation, StageChange
from carertrack.models.user import Role
from tests.case_factories import make_case
from tests.factories import make_user
from tests.forms import submit

TODAY = date.today()


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_allocation_page_shows_each_workers_caseload(app, client, manager):
    sam = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    make_user(app, Role.SOCIAL_WORKER, name="Priya Shah")
    for _ in range(3):
        make_case(app, application_date=TODAY - timedelta(days=5), allocated_worker_id=sam.id)
    make_case(app, intake_worker_id=sam.id)
    case_id = make_case(app, application_date=TODAY - timedelta(days=5))
    page = client.get(f"/cases/{case_id}/allocate").get_data(as_text=True)
    assert "Current caseloads" in page
    assert "Sam Okafor (3 cases allocated, 1 enquiry)" in page
    assert "Priya Shah (0 cases allocated, 0 enquiries)" in page


def test_allocate_then_reallocate_keeps_the_history(app, client, manager):
    sam = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    priya = make_user(app, Role.SOCIAL_WORKER, name="Priya Shah")
    case_id = make_case(app, application_date=TODAY - timedelta(days=20))
    response = submit(
        client, f"/cases/{case_id}/allocate", {"worker": str(sam.id), "allocated_date": uk(TODAY - timedelta(days=19))}
    )
    assert response.status_code == 302
    response = submit(
        client,
        f"/cases/{case_id}/allocate",
        {"worker": str(priya.id), "allocated_date": uk(TODAY - timedelta(days=2)), "reason": "Sam on leave"},
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.allocated_worker_id == priya.id
        assert case.allocated_date == TODAY - timedelta(days=2)
        assert case.stage == Stage.ALLOCATED
        history = db.session.scalars(
            select(CaseAllocation).where(CaseAllocation.case_id == case_id).order_by(CaseAllocation.id)
        ).all()
        assert [(h.worker_id, h.reason) for h in history] == [(sam.id, None), (priya.id, "Sam on leave")]
        assert db.session.scalars(select(StageChange.to_stage).where(StageChange.case_id == case_id)).all() == [
            Stage.ALLOCATED
        ]
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Reallocated to Priya Shah" in page and "Allocated to Sam Okafor" in page


def test_allocation_before_the_application_is_refused(app, client, manager):
    sam = make_user(app, Role.SOCIAL_WORKER)
    case_id = make_case(app, application_date=TODAY - timedelta(days=5))
    response = submit(
        client, f"/cases/{case_id}/allocate", {"worker": str(sam.id), "allocated_date": uk(TODAY - timedelta(days=6))}
    )
    assert response.status_code == 400
    assert (
        "The allocation date must be the same as or after the date the application was received"
        in response.get_data(as_text=True)
    )
    response = submit(client, f"/cases/{case_id}/allocate", {"worker": "", "allocated_date": uk(TODAY)})
    assert "Select the social worker to allocate the case to" in response.get_data(as_text=True)


def test_before_the_application_the_manager_assigns_the_enquiry_worker(app, client, manager):
    sam = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    case_id = make_case(app)
    page = client.get(f"/cases/{case_id}/allocate").get_data(as_text=True)
    assert "Assign the enquiry" in page
    assert submit(client, f"/cases/{case_id}/allocate", {"worker": str(sam.id)}).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.intake_worker_id == sam.id and case.allocated_worker_id is None


def test_a_worker_who_is_not_a_social_worker_is_refused(app, client, manager):
    case_id = make_case(app, application_date=TODAY - timedelta(days=5))
    html = client.get(f"/cases/{case_id}/allocate").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        f"/cases/{case_id}/allocate",
        data={"csrf_token": token, "version": "1", "worker": str(manager.id), "allocated_date": uk(TODAY)},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Case, case_id).allocated_worker_id is None
