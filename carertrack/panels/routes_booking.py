"""Booking from a case or household page: its current booking, the "Book onto a panel" link, and the page
that chooses the meeting before the booking form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from carertrack.access import get_or_404, roles
from carertrack.dates import today
from carertrack.formatting import format_date
from carertrack.ids import parse_id
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel_agenda import AgendaItem
from carertrack.panels import queries, rules, services
from carertrack.panels.blueprint import CALENDAR_READERS, EDITORS, bp, can_edit


@dataclass
class SubjectBooking:
    """A case's or household's place on a panel agenda, as its own page shows it."""

    item: AgendaItem | None
    book_url: str | None
    agenda_url: str | None


def _subject_args(case: Case | None, household: Household | None) -> dict[str, int]:
    return {"case_id": case.id} if case is not None else {"household_id": household.id}  # type: ignore[union-attr]


def _can_go_to_panel(case: Case | None, household: Household | None) -> bool:
    if case is not None:
        return rules.case_can_go_to_panel(case)
    return household is not None and rules.household_can_go_to_panel(household, today())


@bp.app_template_global()
def panel_booking(case: Case | None = None, household: Household | None = None) -> SubjectBooking:
    """The item waiting for a panel (if any), where to see it, and where to book (for editors, when it can go)."""
    item = services.open_item_for(case=case, household=household)
    agenda_url = None
    if item is not None and current_user.role in CALENDAR_READERS:
        agenda_url = url_for("panels.meeting", meeting_id=item.meeting_id, _anchor=f"item-{item.id}")
    book_url = None
    if item is None and can_edit(current_user) and _can_go_to_panel(case, household):
        book_url = url_for("panels.choose_meeting", **_subject_args(case, household))
    return SubjectBooking(item=item, book_url=book_url, agenda_url=agenda_url)


def _subject() -> tuple[Case | None, Household | None, str]:
    case_id = parse_id(request.args.get("case_id"))
    household_id = parse_id(request.args.get("household_id"))
    if case_id:
        case = get_or_404(Case, case_id)
        return case, None, url_for("cases.show", case_id=case.id)
    if household_id:
        household = get_or_404(Household, household_id)
        return None, household, url_for("households.view", household_id=household.id)
    abort(404)


@bp.route("/book")
@roles(*EDITORS)
def choose_meeting() -> Any:
    """Choose the meeting for a case or household (`?case_id=` or `?household_id=`), then the booking form."""
    case, household, back_url = _subject()
    subject: Any = case or household
    item = services.open_item_for(case=case, household=household)
    if item is not None:
        flash(f"{subject.reference} is already on the agenda for {format_date(item.meeting.meeting_date)}.")
        return redirect(url_for("panels.item", item_id=item.id))
    if not _can_go_to_panel(case, household):
        flash(
            f"Case {subject.reference} cannot go to panel: it needs an application, must be open and have no "
            "agency decision yet."
            if case is not None
            else f"Household {subject.reference} is not approved, so it cannot go to panel."
        )
        return redirect(back_url)
    meetings = queries.bookable_meetings(today())
    return render_template(
        "panels/choose_meeting.html",
        subject=subject,
        back_url=back_url,
        rows=queries.meeting_rows(meetings),
        subject_args=_subject_args(case, household),
    )
