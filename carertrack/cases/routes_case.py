"""The case page: summary, stage, clocks, people, checklist, Stage 2, temporary approval, delays, notes, timeline."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from carertrack.access import roles
from carertrack.cases import rules
from carertrack.cases.access import CASE_READERS, can_allocate, can_edit_case
from carertrack.cases.blueprint import bp, load_case
from carertrack.cases.forms import NoteForm
from carertrack.cases.timeline import build_timeline
from carertrack.models.user import Role


@bp.route("/<int:case_id>")
@roles(*CASE_READERS)
def show(case_id: int):
    """Everything about one case on one page."""
    case = load_case(case_id)
    today = rules.today()
    settings = rules.ClockSettings.current()
    clocks = rules.case_clocks(case, today, settings)
    editable = can_edit_case(current_user, case)
    return render_template(
        "cases/show.html",
        case=case,
        today=today,
        clocks=clocks,
        status=rules.timescale_status(case, today, settings),
        applicants=rules.applicant_display(case),
        outstanding=rules.outstanding_checks(case.checks),
        references_received=rules.references_received(case.checks),
        comments_due=rules.brief_report_comments_due(case),
        ages={member.id: rules.age_on(member.date_of_birth, today) for member in case.members if member.date_of_birth},
        timeline=build_timeline(case),
        can_edit=editable and not case.is_closed,
        can_note=editable,
        can_allocate=can_allocate(current_user) and not case.is_closed,
        can_see_history=current_user.role in (Role.MANAGER, Role.ADMIN),
        note_form=NoteForm() if editable else None,
    )
