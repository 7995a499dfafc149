"""Agenda items: book, the item page, papers, move, take off, reorder and conflicts of interest."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from carertrack.access import get_or_404, roles
from carertrack.cases.rules import applicant_display
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.households.queries import approved_on_clause
from carertrack.ids import parse_id
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import PanelMember
from carertrack.models.panel_agenda import AgendaItem, ItemConflict, ItemKind
from carertrack.models.user import Role, User
from carertrack.panels import queries, rules, services
from carertrack.panels.blueprint import (
    CALENDAR_READERS,
    EDITORS,
    bp,
    can_edit,
    load_item,
    load_meeting,
    save,
    status_code,
)
from carertrack.panels.forms import BlankForm
from carertrack.panels.item_forms import BookingForm, ConflictForm, MoveForm, PapersForm, WithdrawForm


def _meeting_url(item: AgendaItem) -> str:
    return url_for("panels.meeting", meeting_id=item.meeting_id, _anchor=f"item-{item.id}")


def _booking_choices(form: BookingForm) -> None:
    cases = db.session.scalars(queries.bookable_cases_statement()).all()
    form.case_id.choices = [SelectChoice("", "Select a case")] + [
        SelectChoice(str(c.id), f"{c.reference}: {applicant_display(c) or 'no applicant named'} ({c.carer_type.label})")
        for c in cases
    ]
    households = db.session.scalars(
        select(Household).where(approved_on_clause(today())).order_by(Household.reference)
    ).all()
    form.household_id.choices = [SelectChoice("", "Select a household")] + [
        SelectChoice(str(h.id), f"{h.reference}: {h.name}") for h in households
    ]
    workers = db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_([Role.SOCIAL_WORKER, Role.MANAGER])).order_by(User.name)
    ).all()
    form.presenter_id.choices = [SelectChoice("", "Select the presenting social worker")] + [
        SelectChoice(str(u.id), u.name) for u in workers
    ]


def _prefill_booking(form: BookingForm) -> None:
    """From a case or household page: choose it, its kind and its worker."""
    case_id = parse_id(request.args.get("case_id"))
    household_id = parse_id(request.args.get("household_id"))
    if case_id and (case := db.session.get(Case, case_id)) is not None:
        form.case_id.data = str(case.id)
        form.kind.data = (ItemKind.CONNECTED_APPROVAL if case.is_connected else ItemKind.NEW_APPROVAL).value
        if case.brief_report:
            form.kind.data = ItemKind.BRIEF_REPORT.value
        form.presenter_id.data = str(case.allocated_worker_id or "")
    elif household_id and (household := db.session.get(Household, household_id)) is not None:
        form.household_id.data = str(household.id)
        form.kind.data = ItemKind.OTHER_REVIEW.value if household.reviews else ItemKind.FIRST_ANNUAL_REVIEW.value
        form.presenter_id.data = str(household.supervising_worker_id or "")


def _booking_values(form: BookingForm) -> services.BookingValues:
    kind = ItemKind(form.kind.data)
    return services.BookingValues(
        kind=kind,
        presenter_id=int(form.presenter_id.data),
        case=db.session.get(Case, int(form.case_id.data)) if kind.about_case and form.case_id.data else None,
        household=(
            db.session.get(Household, int(form.household_id.data))
            if not kind.about_case and form.household_id.data
            else None
        ),
        papers_received_on=form.papers_received_on.data,
        notes=form.notes.data,
        over_capacity_reason=form.over_capacity_reason.data,
    )


@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@roles(*EDITORS)
def book_item(meeting_id: int):
    """Add a case or household to the agenda; a full meeting needs a reason to go over capacity."""
    meeting = load_meeting(meeting_id)
    if not rules.takes_bookings(meeting):
        flash(f"This meeting is {meeting.status.value}. It cannot take items.")
        return redirect(url_for("panels.meeting", meeting_id=meeting.id))
    form = BookingForm()
    _booking_choices(form)
    if request.method == "GET":
        _prefill_booking(form)
    booked: list[AgendaItem] = []
    if save(form, None, lambda: booked.append(services.book_item(meeting, _booking_values(form)))):
        item = booked[0]
        flash(f"{item.subject.reference} is on the agenda for {format_date(meeting.meeting_date)}.", "success")
        return redirect(_meeting_url(item))
    count = services.active_item_count(meeting)
    return render_template(
        "panels/book_item.html", form=form, meeting=meeting, booked=count, full=rules.is_full(meeting, count)
    ), status_code(form)


@bp.route("/items/<int:item_id>")
@roles(*CALENDAR_READERS)
def item(item_id: int):
    """One item: its subject, papers, booking history, conflicts, outcome, decision and determination."""
    record = load_item(item_id)
    day = today()
    view = queries.item_views([record], rules.papers_deadline_for, day)[0]
    determination = record.decision.determination if record.decision else None
    return render_template(
        "panels/item.html",
        view=view,
        item=record,
        moves=queries.item_moves(record),
        papers_deadline=rules.papers_deadline_for(record.meeting.meeting_date),
        determination=determination,
        irm=rules.irm_clock(determination, day) if determination else None,
        editor=can_edit(current_user),
        today=day,
        reorder_form=BlankForm(),
    )


@bp.route("/items/<int:item_id>/papers", methods=["GET", "POST"])
@roles(*EDITORS)
def papers(item_id: int):
    """Record when the papers reached panel members; after the deadline they are flagged late."""
    record = load_item(item_id)
    form = PapersForm()
    if request.method == "GET":
        form.load_version(record)
        form.papers_received_on.data = record.papers_received_on
    if save(form, record, lambda: services.record_papers(record, form.papers_received_on.data)):
        flash("Papers date saved.", "success")
        return redirect(_meeting_url(record))
    deadline = rules.papers_deadline_for(record.meeting.meeting_date)
    return render_template(
        "panels/item_form.html",
        form=form,
        item=record,
        title="Papers",
        hint=f"Papers should reach panel members by {format_date(deadline)} (the papers deadline).",
    ), status_code(form)


@bp.route("/items/<int:item_id>/move", methods=["GET", "POST"])
@roles(*EDITORS)
def move(item_id: int):
    """Move the item to another meeting with a reason; the booking history keeps the move."""
    record = load_item(item_id)
    form = MoveForm()
    choices = []
    for meeting, row in zip(
        meetings := queries.bookable_meetings(today(), exclude_id=record.meeting_id),
        queries.meeting_rows(meetings),
        strict=True,
    ):
        room = "full" if row.full else f"{row.booked} of {meeting.capacity} places used"
        choices.append(SelectChoice(str(meeting.id), f"{format_date(meeting.meeting_date)} ({room})"))
    form.meeting_id.choices = [SelectChoice("", "Select a meeting"), *choices]
    if request.method == "GET":
        form.load_version(record)

    def change() -> None:
        target = db.session.get(type(record.meeting), int(form.meeting_id.data))
        if target is None:
            abort(404)
        services.move_item(record, target, form.reason.data, form.over_capacity_reason.data)

    if save(form, record, change):
        flash(f"Item moved to the panel of {format_date(record.meeting.meeting_date)}.", "success")
        return redirect(_meeting_url(record))
    return render_template("panels/item_form.html", form=form, item=record, title="Move to another meeting"), (
        status_code(form)
    )


@bp.route("/items/<int:item_id>/withdraw", methods=["GET", "POST"])
@roles(*EDITORS)
def withdraw(item_id: int):
    """Take the item off the agenda with a reason (the case's booked panel date is cleared)."""
    record = load_item(item_id)
    form = WithdrawForm()
    if request.method == "GET":
        form.load_version(record)
    if save(form, record, lambda: services.withdraw_item(record, form.reason.data, today())):
        flash("The item has been taken off the agenda.", "success")
        return redirect(url_for("panels.meeting", meeting_id=record.meeting_id))
    return render_template("panels/item_form.html", form=form, item=record, title="Take off the agenda"), (
        status_code(form)
    )


@bp.route("/items/<int:item_id>/reorder", methods=["POST"])
@roles(*EDITORS)
def reorder(item_id: int):
    """Move the item up or down the agenda."""
    record = load_item(item_id)
    form = BlankForm()
    direction = -1 if request.form.get("direction") == "up" else 1
    if form.validate_on_submit() and record.active:
        services.reorder_item(record, direction)
        db.session.commit()
    return redirect(_meeting_url(record))


@bp.route("/items/<int:item_id>/conflicts/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_conflict(item_id: int):
    """Record a member's declared conflict of interest on the item."""
    record = load_item(item_id)
    form = ConflictForm()
    members = services.serving_members(record.meeting.meeting_date)
    form.member_id.choices = [SelectChoice("", "Select the panel member")] + [
        SelectChoice(str(m.id), f"{m.name}, {m.role.label}") for m in members
    ]
    if request.method == "GET":
        form.load_version(record)

    def change() -> None:
        services.add_conflict(record, get_or_404(PanelMember, int(form.member_id.data)), form.note.data)

    if save(form, record, change):
        flash("Conflict of interest recorded.", "success")
        return redirect(url_for("panels.item", item_id=record.id))
    return render_template(
        "panels/item_form.html", form=form, item=record, title="Record a conflict of interest"
    ), status_code(form)


@bp.route("/conflicts/<int:conflict_id>/remove", methods=["POST"])
@roles(*EDITORS)
def remove_conflict(conflict_id: int):
    """Remove a conflict of interest recorded in error (the audit log keeps it)."""
    conflict = get_or_404(ItemConflict, conflict_id)
    item_id = conflict.item_id
    if BlankForm().validate_on_submit():
        services.remove_conflict(conflict)
        db.session.commit()
        flash("Conflict of interest removed.", "success")
    return redirect(url_for("panels.item", item_id=item_id))
