"""The panel calendar and meetings: schedule, change, cancel, attendance, the meeting page and its printable agenda."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from carertrack.access import roles
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.panels import queries, rules, services
from carertrack.panels.blueprint import (
    CALENDAR_READERS,
    EDITORS,
    READERS,
    bp,
    can_edit,
    load_meeting,
    save,
    status_code,
)
from carertrack.panels.forms import AttendanceForm, CancelMeetingForm, MeetingForm
from carertrack.settings import get_setting

PAST_PER_PAGE = 12
UPCOMING_SHOWN = 20  # the calendar shows the next few; /panels/upcoming pages through them all
UPCOMING_PER_PAGE = 25


@bp.route("")
@roles(*CALENDAR_READERS)
def calendar():
    """Upcoming meetings and (paginated) past ones, with capacity used, papers and quorum."""
    day = today()
    upcoming = queries.meeting_rows(queries.upcoming_meetings(day, limit=UPCOMING_SHOWN))
    page = db.paginate(queries.past_meetings_statement(day), per_page=PAST_PER_PAGE, error_out=False)
    past = queries.meeting_rows(page.items)
    return render_template(
        "panels/calendar.html",
        upcoming=upcoming,
        upcoming_total=queries.upcoming_count(day),
        past=past,
        page=page,
        today=day,
        editor=can_edit(current_user),
    )


@bp.route("/upcoming")
@roles(*CALENDAR_READERS)
def upcoming():
    """Every upcoming meeting, soonest first, a page at a time (the calendar shows the next few)."""
    day = today()
    page = db.paginate(queries.upcoming_meetings_statement(day), per_page=UPCOMING_PER_PAGE, error_out=False)
    return render_template("panels/upcoming.html", rows=queries.meeting_rows(page.items), page=page, today=day)


def _chair_choices(form: MeetingForm, on_date) -> None:  # type: ignore[no-untyped-def]
    members = services.serving_members(on_date or today())
    form.chair_id.choices = [SelectChoice("", "No chair chosen yet")] + [
        SelectChoice(str(m.id), f"{m.name} ({m.role.label})") for m in members
    ]


def _meeting_values(form: MeetingForm) -> services.MeetingValues:
    return services.MeetingValues(
        meeting_date=form.meeting_date.data,
        start_time=form.start_time.data,
        online=form.place.data in ("online", "hybrid"),
        venue=form.venue.data if form.place.data != "online" else None,
        capacity=form.capacity.data,
        chair_id=int(form.chair_id.data) if form.chair_id.data else None,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_meeting():
    """Schedule a meeting; capacity starts at the panel capacity setting."""
    form = MeetingForm()
    _chair_choices(form, form.meeting_date.data)
    if request.method == "GET":
        form.capacity.data = int(get_setting("panel_capacity"))
        form.place.data = "in_person"
    created: list[PanelMeeting] = []
    if save(form, None, lambda: created.append(services.create_meeting(_meeting_values(form)))):
        flash(f"Panel meeting scheduled for {format_date(form.meeting_date.data)}.", "success")
        return redirect(url_for("panels.meeting", meeting_id=created[0].id))
    return render_template("panels/meeting_form.html", form=form, meeting=None), status_code(form)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_meeting(meeting_id: int):
    """Change the date, time, place, capacity or chair; booked cases follow a change of date."""
    meeting = load_meeting(meeting_id)
    if meeting.status is MeetingStatus.CANCELLED:
        flash("This meeting was cancelled. It cannot be changed.")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    form = MeetingForm()
    _chair_choices(form, form.meeting_date.data or meeting.meeting_date)
    if request.method == "GET":
        form.load_version(meeting)
        form.meeting_date.data = meeting.meeting_date
        form.start_time.data = meeting.start_time
        form.place.data = (
            "hybrid" if meeting.online and meeting.venue else ("online" if meeting.online else "in_person")
        )
        form.venue.data = meeting.venue
        form.capacity.data = meeting.capacity
        form.chair_id.data = str(meeting.chair_id) if meeting.chair_id else ""
    if save(form, meeting, lambda: services.update_meeting(meeting, _meeting_values(form))):
        flash("Meeting details saved.", "success")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    return render_template("panels/meeting_form.html", form=form, meeting=meeting), status_code(form)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@roles(*EDITORS)
def cancel_meeting(meeting_id: int):
    """Cancel a meeting with a reason, once its items have moved elsewhere."""
    meeting = load_meeting(meeting_id)
    form = CancelMeetingForm()
    if request.method == "GET":
        form.load_version(meeting)
    if save(form, meeting, lambda: services.cancel_meeting(meeting, form.reason.data)):
        flash("The meeting has been cancelled.", "success")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    booked = services.active_item_count(meeting)
    return render_template("panels/cancel_meeting.html", form=form, meeting=meeting, booked=booked), status_code(form)


def _attendance_form(meeting: PanelMeeting, which: str) -> AttendanceForm:
    form = AttendanceForm()
    members = services.serving_members(meeting.meeting_date)
    # Someone who attended may since have left the panel: keep them on the list.
    known = {m.id for m in members}
    members += [row.member for row in meeting.attendance if row.member_id not in known]
    form.members.choices = [SelectChoice(str(m.id), f"{m.name}, {m.role.label}") for m in members]
    if request.method == "GET":
        form.load_version(meeting)
        if which == "expected":
            form.members.data = [str(row.member_id) for row in meeting.attendance if row.expected]
        else:
            recorded = meeting.quorate is not None
            form.members.data = [
                str(row.member_id) for row in meeting.attendance if (row.present if recorded else row.expected)
            ]
    return form


def _chosen(form: AttendanceForm) -> set[int]:
    return {int(value) for value in form.members.data or [] if str(value).isdigit()}


@bp.route("/meetings/<int:meeting_id>/expected", methods=["GET", "POST"])
@roles(*EDITORS)
def expected_attendance(meeting_id: int):
    """Who is expected: the meeting page warns before the day when the quorum is at risk."""
    meeting = load_meeting(meeting_id)
    form = _attendance_form(meeting, "expected")
    if save(form, meeting, lambda: services.set_expected(meeting, _chosen(form))):
        quorum = rules.meeting_quorum(meeting)
        if quorum is not None and not quorum.ok:
            flash("Expected attendance saved. The quorum is at risk: " + "; ".join(quorum.problems) + ".")
        else:
            flash("Expected attendance saved.", "success")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    return render_template("panels/attendance.html", form=form, meeting=meeting, which="expected"), status_code(form)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@roles(*EDITORS)
def record_attendance(meeting_id: int):
    """Who was present: marks the meeting held and records whether it was quorate."""
    meeting = load_meeting(meeting_id)
    form = _attendance_form(meeting, "present")
    problems: list[str] = []
    if save(form, meeting, lambda: problems.extend(services.record_attendance(meeting, _chosen(form), today()))):
        if problems:
            flash("Attendance recorded. The meeting was not quorate: " + "; ".join(problems) + ".")
        else:
            flash("Attendance recorded. The meeting was quorate.", "success")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    return render_template("panels/attendance.html", form=form, meeting=meeting, which="present"), status_code(form)


def _meeting_context(meeting: PanelMeeting) -> dict:
    day = today()
    active, withdrawn = queries.meeting_items(meeting)
    views = queries.item_views(active, rules.papers_deadline_for, day, current_user)
    deadline = rules.papers_deadline_for(meeting.meeting_date)
    return {
        "meeting": meeting,
        "items": [v for v in views if v.visible],
        "hidden_count": sum(1 for v in views if not v.visible),
        "withdrawn": [i for i in withdrawn if queries.sees_item(current_user, i)],
        "moved_away": [m for m in queries.moved_away(meeting) if queries.sees_item(current_user, m.item)],
        "booked": len(active),
        "papers_deadline": deadline,
        "papers_days_left": (deadline - day).days,
        "quorum": rules.meeting_quorum(meeting),
        "attendance": sorted(meeting.attendance, key=lambda row: row.member.name),
        "today": day,
        "editor": can_edit(current_user),
    }


@bp.route("/meetings/<int:meeting_id>")
@roles(*CALENDAR_READERS)
def meeting(meeting_id: int):
    """The meeting: agenda in order with papers, presenters, conflicts and outcomes; attendance and quorum."""
    return render_template("panels/meeting.html", **_meeting_context(load_meeting(meeting_id)))


@bp.route("/meetings/<int:meeting_id>/agenda")
@roles(*READERS)
def print_agenda(meeting_id: int):
    """The agenda to print: items in order, presenters and papers status."""
    return render_template("panels/agenda_print.html", **_meeting_context(load_meeting(meeting_id)))
