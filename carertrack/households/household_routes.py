"""The household list, the household page, new households, details and deregistration."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from carertrack.access import roles
from carertrack.compliance import DbsRules, deregistration_pending, household_status
from carertrack.concurrency import EditConflict, check_version
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.households import services
from carertrack.households.blueprint import bp, save, status_code
from carertrack.households.forms import DeregistrationForm, EditHouseholdForm, NewHouseholdForm, VersionOnlyForm
from carertrack.households.permissions import (
    DEREGISTERERS,
    DETAIL_EDITORS,
    READERS,
    can_deregister,
    can_edit,
    can_edit_details,
    load_household,
)
from carertrack.households.queries import ListFilters, household_list, household_summary
from carertrack.models.household import CARER_TYPE_LABELS, CarerType, DeregistrationReason
from carertrack.settings import get_setting


@bp.route("/households")
@roles(*READERS)
def index():
    """Households the person may see: search, filter by type, status and DBS compliance, paginated."""
    as_of = today()
    filters = ListFilters.from_args(request.args)
    page, compliance = household_list(current_user, filters, as_of, DbsRules.from_settings())
    return render_template(
        "households/index.html",
        page=page,
        compliance=compliance,
        statuses={h.id: household_status(h, as_of) for h in page.items},
        filters=filters,
        type_labels=CARER_TYPE_LABELS,
    )


def _details(form) -> services.HouseholdDetails:  # type: ignore[no-untyped-def]
    return services.HouseholdDetails(
        carer_type=CarerType(form.carer_type.data),
        approval_date=form.approval_date.data,
        address=form.address.data,
        postcode=form.postcode.data,
        supervising_worker_id=form.worker_id,
        approved_places=form.approved_places.data,
        age_from=form.age_from.data,
        age_to=form.age_to.data,
        placement_types=list(form.placement_types.data or []),
    )


@bp.route("/households/new", methods=["GET", "POST"])
@roles(*DETAIL_EDITORS)
def new():
    """Add a household approved before CarerTrack (or outside it) with its carers."""
    form = NewHouseholdForm()
    created = {}

    def change() -> None:
        created["household"] = services.create_household(
            form.reference.data,
            _details(form),
            [(form.carer_1_name.data, form.carer_1_dob.data), (form.carer_2_name.data, form.carer_2_dob.data)],
        )

    if request.method == "POST" and save(form, None, change):
        household = created["household"]
        flash(f"Household {household.reference} has been added.", "success")
        return redirect(url_for("households.view", household_id=household.id))
    return render_template("households/new.html", form=form), status_code(form)


@bp.route("/households/<int:household_id>")
@roles(*READERS)
def view(household_id: int):
    """The household: people and their DBS, reviews, training, placements, staying put."""
    household = load_household(household_id)
    summary = household_summary(
        household,
        today(),
        DbsRules.from_settings(),
        int(get_setting("review_due_soon_days")),
        int(get_setting("training_due_soon_days")),
    )
    return render_template(
        "households/view.html",
        household=household,
        summary=summary,
        can_edit=can_edit(current_user, household),
        can_edit_details=can_edit_details(current_user, household),
        can_deregister=can_deregister(current_user, household),
        pending=deregistration_pending(household, today()),
    )


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@roles(*DETAIL_EDITORS)
def edit(household_id: int):
    """Change the details, terms of approval and supervising social worker; put on hold."""
    household = load_household(household_id, "details")
    form = EditHouseholdForm(
        obj=household if request.method == "GET" else None, keep_worker_id=household.supervising_worker_id
    )
    if request.method == "GET":
        form.load_version(household)
        form.carer_type.data = household.carer_type.value
        form.supervising_worker_id.data = str(household.supervising_worker_id or "")
        form.placement_types.data = list(household.placement_types or [])
        form.on_hold.set_answer(bool(household.on_hold_reason))

    def change() -> None:
        services.update_household(household, _details(form))
        on_hold = form.on_hold.answer
        services.set_on_hold(
            household, form.on_hold_reason.data if on_hold else None, form.on_hold_since.data if on_hold else None
        )

    if request.method == "POST" and save(form, household, change):
        flash("The household's details have been saved.", "success")
        return redirect(url_for("households.view", household_id=household.id))
    return render_template("households/edit.html", form=form, household=household), status_code(form)


@bp.route("/households/<int:household_id>/deregister", methods=["GET", "POST"])
@roles(*DEREGISTERERS)
def deregister(household_id: int):
    """Record the end of approval: reason, notice received and the date it takes effect."""
    household = load_household(household_id, "deregister")
    form = DeregistrationForm(approval_date=household.approval_date)
    if request.method == "GET":
        form.load_version(household)
        if household.deregistration_reason:
            form.reason.data = household.deregistration_reason.value
            form.notice_date.data = household.deregistration_notice_date
            if household.deregistration_reason is not DeregistrationReason.RESIGNED:
                form.effective_date.data = household.deregistration_date
    result = {}

    def change() -> None:
        result["date"] = services.deregister(
            household, DeregistrationReason(form.reason.data), form.notice_date.data, form.effective_date.data
        )

    if request.method == "POST" and save(form, household, change):
        ends = result["date"]
        if ends <= today():
            flash(f"Household {household.reference} was deregistered on {format_date(ends)}.", "success")
        else:
            flash(
                f"Deregistration recorded: household {household.reference}'s approval ends on {format_date(ends)}.",
                "success",
            )
        return redirect(url_for("households.view", household_id=household.id))
    return render_template("households/deregister.html", form=form, household=household), status_code(form)


@bp.route("/households/<int:household_id>/deregister/withdraw", methods=["POST"])
@roles(*DEREGISTERERS)
def withdraw_deregistration(household_id: int):
    """Withdraw a deregistration that has not yet taken effect (the carers withdrew their notice)."""
    household = load_household(household_id, "deregister")
    back = redirect(url_for("households.view", household_id=household.id))
    form = VersionOnlyForm()
    if not form.validate_on_submit():
        flash("The form was not complete. Nothing was changed.")
        return back
    try:
        check_version(household, form.version.data)
    except EditConflict as conflict:
        flash(conflict.message)
        return back
    if not deregistration_pending(household, today()):
        flash("There is no deregistration waiting to take effect. Nothing was changed.")
        return back
    services.withdraw_deregistration(household)
    db.session.commit()
    flash("The deregistration has been withdrawn. The household stays approved.", "success")
    return back
