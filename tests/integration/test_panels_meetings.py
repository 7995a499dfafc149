"""Panel meetings: the calendar, scheduling, changing, cancelling, members, attendance and quorum."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.panel import MeetingStatus, PanelMeeting, PanelMember, PanelRole
from carertrack.models.user import Role
from carertrack.panels import services
from tests.factories import make_user
from tests.forms import submit
from tests.html import error_summary, page_text, title
from tests.panel_factories import book, make_case, make_meeting, make_members
from tests.queries import count_queries


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_schedule_a_meeting_with_the_default_capacity(app, client, panel_admin):
    members = make_members(app)
    day = today() + timedelta(days=30)
    form_page = client.get("/panels/meetings/new")
    assert 'value="6"' in form_page.get_data(as_text=True)  # the panel_capacity setting
    response = submit(
        client,
        "/panels/meetings/new",
        {
            "meeting_date": uk(day),
            "start_time": "10:30",
            "place": "hybrid",
            "venue": "Civic Centre, Room 2",
            "chair_id": str(members["Chris Chair"]),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalars(select(PanelMeeting)).one()
        assert (meeting.meeting_date, meeting.start_time, meeting.capacity) == (day, time(10, 30), 6)
        assert meeting.online and meeting.venue == "Civic Centre, Room 2"
        assert meeting.place == "Civic Centre, Room 2 and online"
        assert meeting.chair.name == "Chris Chair"
        assert meeting.status is MeetingStatus.SCHEDULED
    page = client.get(response.headers["Location"])
    assert "Panel meeting scheduled" in page_text(page)


def test_meeting_form_messages(client, panel_admin):
    response = submit(
        client,
        "/panels/meetings/new",
        {"meeting_date": "31/2/2026", "start_time": "25:00", "place": "in_person", "venue": "", "capacity": "x"},
    )
    assert response.status_code == 400
    assert title(response).startswith("Error: ")
    summary = error_summary(response)
    assert "The date of the meeting must be a real date" in summary
    assert "Enter the start time as a time on the 24-hour clock, like 10:00" in summary
    assert "Enter the venue" in summary
    assert "Enter the capacity as a whole number" in summary


def test_online_meeting_needs_no_venue(app, client, panel_admin):
    response = submit(
        client,
        "/panels/meetings/new",
        {"meeting_date": uk(today() + timedelta(days=3)), "start_time": "9:00", "place": "online", "venue": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(PanelMeeting)).one().place == "Online"


def test_changing_the_date_moves_the_booked_cases_panel_dates(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=20))
    case_id = make_case(app, worker_id=worker.id)
    book(app, meeting_id, worker.id, case_id=case_id)
    new_day = today() + timedelta(days=27)
    response = submit(client, f"/panels/meetings/{meeting_id}/edit", {"meeting_date": uk(new_day)})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.panel_date == new_day
        assert case.predicted_panel_date == new_day


def test_capacity_cannot_drop_below_the_items_booked(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=20))
    for _ in range(2):
        book(app, meeting_id, worker.id, case_id=make_case(app))
    response = submit(client, f"/panels/meetings/{meeting_id}/edit", {"capacity": "1"})
    assert response.status_code == 400
    assert "Capacity cannot be less than the 2 items already on the agenda" in error_summary(response)


def test_cancelling_needs_a_reason_and_an_empty_agenda(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=20))
    response = submit(client, f"/panels/meetings/{meeting_id}/cancel", {"reason": ""})
    assert "Enter why the meeting is cancelled" in error_summary(response)
    book(app, meeting_id, worker.id, case_id=make_case(app))
    response = submit(client, f"/panels/meetings/{meeting_id}/cancel", {"reason": "Chair unwell"})
    assert response.status_code == 400
    assert "Move the 1 item on this agenda to another meeting before cancelling it" in error_summary(response)
    empty_id = make_meeting(app, today() + timedelta(days=40))
    response = submit(client, f"/panels/meetings/{empty_id}/cancel", {"reason": "Not needed this month"})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(PanelMeeting, empty_id)
        assert meeting.status is MeetingStatus.CANCELLED
        assert meeting.cancelled_reason == "Not needed this month"
    page = page_text(client.get(f"/panels/meetings/{empty_id}"))
    assert "This meeting was cancelled: Not needed this month" in page


def test_expected_attendance_warns_before_the_day(app, client, panel_admin):
    members = make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=10))
    chosen = [str(members[name]) for name in ("Chris Chair", "Ian Independent", "Meg Medical")]
    response = submit(client, f"/panels/meetings/{meeting_id}/expected", {"members": chosen})
    assert response.status_code == 302
    page = page_text(client.get(f"/panels/meetings/{meeting_id}"))
    assert "Quorum at risk" in page
    assert "3 members, fewer than the quorum of 5" in page
    assert "No social worker with at least 3 years' post-qualifying experience" in page
    assert "No chair or vice-chair" not in page


def test_recording_attendance_marks_the_meeting_held_and_records_the_quorum(app, client, panel_admin):
    members = make_members(app)
    meeting_id = make_meeting(app, today())
    present = [str(members[n]) for n in ("Chris Chair", "Sam Social", "Ian Independent", "Meg Medical", "Ed Elected")]
    response = submit(client, f"/panels/meetings/{meeting_id}/attendance", {"members": present})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(PanelMeeting, meeting_id)
        assert meeting.status is MeetingStatus.HELD
        assert meeting.quorate is True
        present_names = sorted(row.member.name for row in meeting.attendance if row.present)
        absent_names = [row.member.name for row in meeting.attendance if row.present is False]
        assert len(present_names) == 5 and absent_names == ["Vera Vice"]
    assert "Quorate" in page_text(client.get(f"/panels/meetings/{meeting_id}"))


def test_an_inquorate_meeting_is_recorded_with_its_problems(app, client, panel_admin):
    members = make_members(app)
    meeting_id = make_meeting(app, today() - timedelta(days=1))
    present = [str(members[n]) for n in ("Vera Vice", "Ian Independent", "Meg Medical", "Ed Elected", "Chris Chair")]
    response = submit(client, f"/panels/meetings/{meeting_id}/attendance", {"members": present}, follow_redirects=True)
    assert "The meeting was not quorate" in page_text(response)
    with app.app_context():
        meeting = db.session.get(PanelMeeting, meeting_id)
        assert meeting.quorate is False
        assert meeting.quorum_problems == "No social worker with at least 3 years' post-qualifying experience"


def test_attendance_cannot_be_recorded_before_the_day(app, client, panel_admin):
    members = make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=1))
    response = submit(client, f"/panels/meetings/{meeting_id}/attendance", {"members": [str(members["Chris Chair"])]})
    assert response.status_code == 400
    assert "Attendance can only be recorded on or after the day of the meeting" in error_summary(response)


def test_members_list_and_forms(app, client, panel_admin):
    response = submit(
        client,
        "/panels/members/new",
        {"name": "Sue Worker", "role": "social_worker", "independent": "no", "start_date": "1/4/2024"},
    )
    assert response.status_code == 400
    assert "Enter the social worker's years of post-qualifying experience" in error_summary(response)
    response = submit(
        client,
        "/panels/members/new",
        {
            "name": "Sue Worker",
            "role": "social_worker",
            "independent": "no",
            "experience_years": "6",
            "start_date": "1/4/2024",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        member = db.session.scalars(select(PanelMember)).one()
        assert (member.role, member.experience_years, member.independent) == (PanelRole.SOCIAL_WORKER, 6, False)
        member_id = member.id
    response = submit(client, f"/panels/members/{member_id}", {"end_date": "31/3/2024"})
    assert "End date must be the same as or after the start date" in error_summary(response)
    leaving = today() - timedelta(days=1)
    assert submit(client, f"/panels/members/{member_id}", {"end_date": uk(leaving)}).status_code == 302
    page = page_text(client.get("/panels/members"))
    assert "Left the panel" in page and "Sue Worker" in page


def test_calendar_shows_capacity_papers_and_quorum(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    upcoming_id = make_meeting(app, today() + timedelta(days=14), capacity=2)
    book(app, upcoming_id, worker.id, case_id=make_case(app, reference="C-FULL-1"))
    book(app, upcoming_id, worker.id, case_id=make_case(app, reference="C-FULL-2"), papers_received_on=today())
    make_meeting(app, today() - timedelta(days=30), status=MeetingStatus.HELD)
    page = page_text(client.get("/panels"))
    assert "Upcoming meetings" in page and "Past meetings" in page
    assert "2 of 2 places used (full)" in page
    assert "1 received, 1 outstanding" in page
    assert "Quorum at risk" in page  # nobody is expected yet


def _fill_calendar(app, worker_id: int, member_ids: set[int], meetings: int) -> None:
    for n in range(meetings):
        meeting_id = make_meeting(app, today() + timedelta(days=7 * (n + 1)))
        book(app, meeting_id, worker_id, case_id=make_case(app), papers_received_on=today())
        make_meeting(app, today() - timedelta(days=7 * (n + 1)), status=MeetingStatus.HELD)
        with app.app_context(), acting_as("test setup"):
            services.set_expected(db.session.get(PanelMeeting, meeting_id), member_ids)
            db.session.commit()


def test_calendar_query_count_does_not_grow_with_the_data(app, client, panel_admin):
    worker = make_user(app, Role.SOCIAL_WORKER)
    members = set(make_members(app).values())
    _fill_calendar(app, worker.id, members, 1)
    with count_queries(app) as small:
        assert client.get("/panels").status_code == 200
    _fill_calendar(app, worker.id, members, 5)
    with count_queries(app) as large:
        assert client.get("/panels").status_code == 200
    assert large.count == small.count, (small.count, large.count)


def test_a_held_meetings_date_cannot_change(app, client, panel_admin):
    meeting_id = make_meeting(app, today() - timedelta(days=3), status=MeetingStatus.HELD)
    response = submit(client, f"/panels/meetings/{meeting_id}/edit", {"meeting_date": uk(today())})
    assert response.status_code == 400
    assert "The meeting has been held, so its date cannot be changed" in error_summary(response)
    assert submit(client, f"/panels/meetings/{meeting_id}/edit", {"start_time": "14:00"}).status_code == 302


def test_a_second_edit_opened_earlier_is_refused_and_keeps_what_was_typed(app, client, panel_admin):
    from tests.forms import page_forms

    meeting_id = make_meeting(app, today() + timedelta(days=20))
    url = f"/panels/meetings/{meeting_id}/edit"
    stale = dict(page_forms(client.get(url).get_data(as_text=True))[-1]["fields"])
    assert submit(client, url, {"capacity": "8"}).status_code == 302
    response = client.post(url, data={**stale, "capacity": "4"})
    assert response.status_code == 400
    assert "This record was changed by" in error_summary(response)
    assert 'value="4"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PanelMeeting, meeting_id).capacity == 8
