"""The cases blueprint and the helpers every case route shares: load with access, run a step form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from carertrack.access import get_or_404, require
from carertrack.cases.access import can_edit_case, can_view_case
from carertrack.cases.forms import StepForm
from carertrack.cases.services import CaseClosedError, CaseValidationError
from carertrack.concurrency import commit_versioned
from carertrack.extensions import db
from carertrack.models.case import Case

bp = Blueprint("cases", __name__, url_prefix="/cases")


def case_url(case: Case, anchor: str | None = None) -> str:
    """The case page, optionally at a section."""
    return url_for("cases.show", case_id=case.id, _anchor=anchor)


def load_case(case_id: int, *, edit: bool = False, closed_ok: bool = False) -> Case:
    """404 if there is no such case, 403 if it is not this person's; a closed case refuses edits."""
    case = get_or_404(Case, case_id)
    require(can_edit_case(current_user, case) if edit else can_view_case(current_user, case))
    if edit and case.is_closed and not closed_ok:
        flash("This case is closed. Nothing can be changed except adding notes.")
        abort(redirect(case_url(case)))
    return case


def run_step(
    case: Case,
    form: StepForm,
    save: Callable[[], Any],
    *,
    title: str,
    success: str,
    prefill: Callable[[], None] | None = None,
    record: Any = None,
    versioned: bool = True,
    errors_map: dict[str, str] | None = None,
    template: str = "cases/step.html",
    anchor: str | None = None,
    **context: Any,
) -> Any:
    """Show a step form, or save it through a service: version check, rule errors on fields, one commit."""
    record = record if record is not None else case
    if request.method == "GET":
        if versioned:
            form.load_version(record)
        if prefill:
            prefill()
    elif form.validate_on_submit():
        try:
            saved = commit_versioned(form, record if versioned else None, save)
        except CaseValidationError as exc:
            db.session.rollback()
            form.apply_errors({(errors_map or {}).get(key, key): message for key, message in exc.errors.items()})
        except CaseClosedError as exc:
            db.session.rollback()
            flash(str(exc))
            return redirect(case_url(case))
        else:
            if saved:
                flash(success, "success")
                return redirect(case_url(case, anchor))
    status = 400 if form.errors else 200
    return render_template(template, form=form, case=case, title=title, **context), status


@bp.app_template_filter("applicants")
def applicants_filter(case: Case) -> str:
    """'NAME1 and NAME2' for templates."""
    from carertrack.cases.rules import applicant_display

    return applicant_display(case)
