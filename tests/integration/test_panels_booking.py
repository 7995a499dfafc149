"""The agenda: booking, capacity and its override, moving with history, taking off, order, papers, conflicts."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.case import Case, Stage
from carertrack.models.case_records import MemberRelation
from carertrack.models.panel import MeetingStatus
from carertrack.models.panel_agenda import AgendaItem, AgendaItemMove, ItemKind
from carertrack.models.user import Role
from carertrack.panels import rules
from tests.factories import make_user
from tests.forms import submit
from tests.household_factories import make_household
from tests.html import body, error_summary, page_text
from tests.panel_factories import book, make_case, make_meeting, make_members
from tests.queries import count_queries


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_booking_a_case_sets_its_panel_date_and_prediction(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Pat Presenter")
    panel_day = today() + timedelta(days=21)
    meeting_id = make_meeting(app, panel_day)
    case_id = make_case(app, worker_id=worker.id, reference="C-2026-001")
    form = client.get(f"/panels/meetings/{meeting_id}/items/new?case_id={case_id}").get_data(as_text=True)
    assert f'<option selected value="{case_id}">' in form or f'value="{case_id}" selected' in form
    response = submit(
        client,
        f"/panels/meetings/{meeting_id}/items/new?case_id={case_id}",
        {"kind": "new_approval", "case_id": str(case_id), "presenter_id": str(worker.id)},
    )
    assert response.status_code == 302, error_summary(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.panel_date == panel_day
        assert case.predicted_panel_date == panel_day
        assert case.stage is Stage.PANEL
        item = db.session.scalars(select(AgendaItem)).one()
        assert (item.kind, item.presenter_id, item.position) == (ItemKind.NEW_APPROVAL, worker.id, 1)
    page = page_text(client.get(f"/panels/meetings/{meeting_id}"))
    assert "C-2026-001: Alex Applicant" in page and "Pat Presenter" in page


def test_booking_form_messages(app, client, panel_admin):
    meeting_id = make_meeting(app, today() + timedelta(days=21))
    response = submit(client, f"/panels/meetings/{meeting_id}/items/new", {"kind": "first_annual_review"})
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Select the approved household" in summary
    assert "Select the presenting social worker" in summary
    assert "Select the case" not in summary


def test_a_case_cannot_be_booked_twice(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    first = make_meeting(app, today() + timedelta(days=21))
    second = make_meeting(app, today() + timedelta(days=49))
    case_id = make_case(app, reference="C-TWICE")
    book(app, first, worker.id, case_id=case_id)
    response = submit(
        client,
        f"/panels/meetings/{second}/items/new",
        {"kind": "new_approval", "case_id": str(case_id), "presenter_id": str(worker.id)},
    )
    assert response.status_code == 400
    assert "C-TWICE is already on the agenda for" in error_summary(response)


def test_a_full_meeting_refuses_more_items_unless_overridden_with_a_reason(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=21), capacity=1)
    book(app, meeting_id, worker.id, case_id=make_case(app))
    extra = make_case(app, reference="C-EXTRA")
    url = f"/panels/meetings/{meeting_id}/items/new"
    assert "This meeting is full" in page_text(client.get(url))
    data = {"kind": "new_approval", "case_id": str(extra), "presenter_id": str(worker.id)}
    refused = submit(client, url, data)
    assert refused.status_code == 400
    assert "The meeting is full (1 items). Give a reason to book it over capacity" in error_summary(refused)
    accepted = submit(client, url, {**data, "over_capacity_reason": "Child placed under reg 24: cannot wait"})
    assert accepted.status_code == 302
    with app.app_context():
        item = db.session.scalars(select(AgendaItem).where(AgendaItem.case_id == extra)).one()
        assert item.over_capacity_reason == "Child placed under reg 24: cannot wait"
        # The override is in the audit log with who made it.
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "AgendaItem", AuditEvent.entity_id == str(item.id))
        ).one()
        assert event.changes["over_capacity_reason"][1] == "Child placed under reg 24: cannot wait"
        assert event.actor_id == panel_admin.id
    assert "Booked over capacity: Child placed under reg 24: cannot wait" in page_text(
        client.get(f"/panels/meetings/{meeting_id}")
    )


def test_cancelled_and_held_meetings_take_no_bookings(app, client, panel_admin):
    cancelled = make_meeting(app, today() + timedelta(days=21), status=MeetingStatus.CANCELLED)
    held = make_meeting(app, today() - timedelta(days=2), status=MeetingStatus.HELD)
    for meeting_id in (cancelled, held):
        response = client.get(f"/panels/meetings/{meeting_id}/items/new")
        assert response.status_code == 302
    worker = make_user(app, Role.SOCIAL_WORKER)
    with app.app_context():
        from carertrack.audit.recorder import acting_as
        from carertrack.models.panel import PanelMeeting
        from carertrack.panels import services

        with acting_as("test"):
            try:
                services.book_item(
                    db.session.get(PanelMeeting, cancelled),
                    services.BookingValues(
                        kind=ItemKind.NEW_APPROVAL, presenter_id=worker.id, case=db.session.get(Case, make_case(app))
                    ),
                )
            except services.PanelError as error:
                assert "is cancelled. It cannot take items." in error.message
            else:
                raise AssertionError("a cancelled meeting took a booking")


def test_moving_an_item_records_the_reason_keeps_the_history_and_moves_the_case(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    first_day = today() + timedelta(days=14)
    second_day = today() + timedelta(days=42)
    third_day = today() + timedelta(days=70)
    first = make_meeting(app, first_day)
    second = make_meeting(app, second_day)
    third = make_meeting(app, third_day)
    case_id = make_case(app, reference="C-MOVE")
    item_id = book(app, first, worker.id, case_id=case_id)
    response = submit(client, f"/panels/items/{item_id}/move", {"meeting_id": str(second), "reason": ""})
    assert "Enter why the item is moving" in error_summary(response)
    response = submit(
        client, f"/panels/items/{item_id}/move", {"meeting_id": str(second), "reason": "Medical not back"}
    )
    assert response.status_code == 302
    response = submit(
        client, f"/panels/items/{item_id}/move", {"meeting_id": str(third), "reason": "Applicants on holiday"}
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        assert item.meeting_id == third
        case = db.session.get(Case, case_id)
        assert (case.panel_date, case.predicted_panel_date) == (third_day, third_day)
        moves = db.session.scalars(select(AgendaItemMove).order_by(AgendaItemMove.id)).all()
        assert [(m.from_meeting_id, m.to_meeting_id, m.reason) for m in moves] == [
            (first, second, "Medical not back"),
            (second, third, "Applicants on holiday"),
        ]
        assert all(m.moved_by_id == panel_admin.id for m in moves)
    history = page_text(client.get(f"/panels/items/{item_id}"))
    assert "Booking history" in history
    assert "Medical not back" in history and "Applicants on holiday" in history
    assert "C-MOVE moved to the panel of" in page_text(client.get(f"/panels/meetings/{first}"))


def test_moving_to_a_full_meeting_needs_an_override(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    source = make_meeting(app, today() + timedelta(days=14))
    target = make_meeting(app, today() + timedelta(days=42), capacity=1)
    book(app, target, worker.id, case_id=make_case(app))
    item_id = book(app, source, worker.id, case_id=make_case(app))
    data = {"meeting_id": str(target), "reason": "Report late"}
    refused = submit(client, f"/panels/items/{item_id}/move", data)
    assert "The meeting is full" in error_summary(refused)
    moved = submit(client, f"/panels/items/{item_id}/move", {**data, "over_capacity_reason": "Agreed with the chair"})
    assert moved.status_code == 302
    with app.app_context():
        assert db.session.get(AgendaItem, item_id).over_capacity_reason == "Agreed with the chair"


def test_taking_an_item_off_clears_the_booked_date_and_frees_the_place(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    panel_day = today() + timedelta(days=14)
    meeting_id = make_meeting(app, panel_day, capacity=1)
    case_id = make_case(app, reference="C-OFF")
    item_id = book(app, meeting_id, worker.id, case_id=case_id)
    response = submit(client, f"/panels/items/{item_id}/withdraw", {"reason": "Applicants withdrew"})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.panel_date is None
        assert case.predicted_panel_date == panel_day
    page = page_text(client.get(f"/panels/meetings/{meeting_id}"))
    assert "C-OFF taken off the agenda" in page and "Applicants withdrew" in page
    assert "0 of 1" in page
    assert "This meeting is full" not in page_text(client.get(f"/panels/meetings/{meeting_id}/items/new"))


def test_reordering_the_agenda(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    ids = [book(app, meeting_id, worker.id, case_id=make_case(app, reference=f"C-ORD-{n}")) for n in range(3)]
    response = submit(client, f"/panels/meetings/{meeting_id}", {"direction": "up"}, form_index=2)
    assert response.status_code == 302
    with app.app_context():
        order = db.session.scalars(
            select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
        ).all()
    assert order == [ids[0], ids[2], ids[1]]
    html = body(client.get(f"/panels/meetings/{meeting_id}/agenda"))
    assert html.index("C-ORD-0") < html.index("C-ORD-2") < html.index("C-ORD-1")


def test_late_papers_are_flagged(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    panel_day = today() + timedelta(days=3)
    meeting_id = make_meeting(app, panel_day)
    item_id = book(app, meeting_id, worker.id, case_id=make_case(app))
    with app.app_context():
        deadline = rules.papers_deadline_for(panel_day)
    assert deadline < today()
    assert "Papers overdue" in page_text(client.get(f"/panels/meetings/{meeting_id}"))
    response = submit(client, f"/panels/items/{item_id}/papers", {"papers_received_on": uk(today())})
    assert response.status_code == 302
    assert "Papers late" in page_text(client.get(f"/panels/meetings/{meeting_id}"))
    assert "Papers late" in page_text(client.get(f"/panels/meetings/{meeting_id}/agenda"))
    response = submit(client, f"/panels/items/{item_id}/papers", {"papers_received_on": uk(deadline)})
    assert "Papers received" in page_text(client.get(f"/panels/meetings/{meeting_id}"))


def test_conflicts_of_interest_are_declared_per_item(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    members = make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    item_id = book(app, meeting_id, worker.id, case_id=make_case(app))
    response = submit(client, f"/panels/items/{item_id}/conflicts/new", {"member_id": str(members["Meg Medical"])})
    assert "Enter the conflict of interest" in error_summary(response)
    response = submit(
        client,
        f"/panels/items/{item_id}/conflicts/new",
        {"member_id": str(members["Meg Medical"]), "note": "Is the applicants' GP"},
    )
    assert response.status_code == 302
    assert "Meg Medical : Is the applicants' GP" in page_text(client.get(f"/panels/items/{item_id}"))
    assert "Is the applicants' GP" in page_text(client.get(f"/panels/meetings/{meeting_id}/agenda"))
    response = submit(client, f"/panels/items/{item_id}", {}, form_index=0)
    assert response.status_code == 302
    assert "None declared" in page_text(client.get(f"/panels/items/{item_id}"))


def test_household_items_for_reviews(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    household_id = make_household(app, reference="FH-REV", worker_id=worker.id)
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    url = f"/panels/meetings/{meeting_id}/items/new?household_id={household_id}"
    response = submit(client, url, {"kind": "first_annual_review"})
    assert response.status_code == 302, error_summary(response)
    assert "FH-REV: Jane Carer" in page_text(client.get(f"/panels/meetings/{meeting_id}"))


def test_meeting_page_query_count_does_not_grow_with_the_agenda(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    members = make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=14), capacity=20)

    def add(n: int) -> None:
        for _ in range(n):
            case_id = make_case(app, members=(("Kid", date(2015, 1, 1), MemberRelation.CHILD, True),))
            item_id = book(app, meeting_id, worker.id, case_id=case_id, papers_received_on=today())
            submit(
                client,
                f"/panels/items/{item_id}/conflicts/new",
                {"member_id": str(members["Ed Elected"]), "note": "Neighbour"},
            )
        book(app, meeting_id, worker.id, household_id=make_household(app))

    add(1)
    with count_queries(app) as small:
        assert client.get(f"/panels/meetings/{meeting_id}").status_code == 200
    add(6)
    with count_queries(app) as large:
        assert client.get(f"/panels/meetings/{meeting_id}").status_code == 200
    assert large.count == small.count, (small.count, large.count)
