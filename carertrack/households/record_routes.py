"""A household's annual reviews, placements and staying-put arrangements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from carertrack.access import roles
from carertrack.compliance import review_position
from carertrack.dates import today
from carertrack.households import services
from carertrack.households.blueprint import bp, save, status_code
from carertrack.households.forms import PlacementForm, ReviewForm, StayingPutEditForm, StayingPutForm
from carertrack.households.permissions import EDITORS, load_child, load_household
from carertrack.models.household import AnnualReview, Placement, ReviewOutcome
from carertrack.models.staying_put import StayingPut, StayingPutEndReason


def _back(household_id: int, anchor: str):  # type: ignore[no-untyped-def]
    return redirect(url_for("households.view", household_id=household_id, _anchor=anchor))


@bp.route("/households/<int:household_id>/reviews/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_review(household_id: int):
    """Record a completed annual review. The first review goes to the fostering panel."""
    household = load_household(household_id, "edit")
    first = review_position(household.approval_date, [r.completed_date for r in household.reviews], today()).first
    form = ReviewForm(approval_date=household.approval_date)
    if request.method == "GET" and first:
        form.went_to_panel.set_answer(True)

    def change() -> None:
        services.record_review(
            household,
            form.completed_date.data,
            ReviewOutcome(form.outcome.data),
            bool(form.went_to_panel.answer),
            form.notes.data,
        )

    if request.method == "POST" and save(form, None, change):
        flash("Annual review recorded.", "success")
        return _back(household.id, "reviews")
    return render_template("households/new_review.html", form=form, household=household, first=first), status_code(form)


@bp.route("/households/<int:household_id>/reviews/<int:review_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_review(household_id: int, review_id: int):
    """Correct a recorded annual review."""
    household = load_household(household_id, "edit")
    review = load_child(AnnualReview, review_id, household)
    form = ReviewForm(obj=review if request.method == "GET" else None, approval_date=household.approval_date)
    if request.method == "GET":
        form.load_version(review)
        form.outcome.data = review.outcome.value
        form.went_to_panel.set_answer(review.went_to_panel)

    def change() -> None:
        services.update_review(
            review,
            form.completed_date.data,
            ReviewOutcome(form.outcome.data),
            bool(form.went_to_panel.answer),
            form.notes.data,
        )

    if request.method == "POST" and save(form, review, change):
        flash("Annual review saved.", "success")
        return _back(household.id, "reviews")
    return render_template("households/edit_review.html", form=form, household=household, review=review), status_code(
        form
    )


@bp.route("/households/<int:household_id>/placements/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_placement(household_id: int):
    """Record a child placed with the household."""
    household = load_household(household_id, "edit")
    form = PlacementForm()

    def change() -> None:
        services.record_placement(household, form.child_reference.data, form.start_date.data, form.end_date.data)

    if request.method == "POST" and save(form, None, change):
        flash(f"Placement of {form.child_reference.data.strip()} recorded.", "success")
        return _back(household.id, "placements")
    return render_template("households/new_placement.html", form=form, household=household), status_code(form)


@bp.route("/households/<int:household_id>/placements/<int:placement_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_placement(household_id: int, placement_id: int):
    """Correct a placement or record that it ended."""
    household = load_household(household_id, "edit")
    placement = load_child(Placement, placement_id, household)
    form = PlacementForm(obj=placement if request.method == "GET" else None)
    if request.method == "GET":
        form.load_version(placement)

    def change() -> None:
        services.update_placement(placement, form.child_reference.data, form.start_date.data, form.end_date.data)

    if request.method == "POST" and save(form, placement, change):
        flash(f"Placement of {placement.child_reference} saved.", "success")
        return _back(household.id, "placements")
    return render_template(
        "households/edit_placement.html", form=form, household=household, placement=placement
    ), status_code(form)


@bp.route("/households/<int:household_id>/staying-put/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_staying_put(household_id: int):
    """Start a staying-put arrangement; the young person joins the household as an adult member."""
    household = load_household(household_id, "edit")
    form = StayingPutForm()
    if request.method == "GET":
        form.household_remains_approved.set_answer(True)

    def change() -> None:
        services.start_staying_put(
            household,
            form.young_person_reference.data,
            form.name.data,
            form.date_of_birth.data,
            form.start_date.data,
            form.planned_end_date.data,
            bool(form.household_remains_approved.answer),
        )

    if request.method == "POST" and save(form, None, change):
        flash(
            f"Staying-put arrangement recorded. {form.name.data.strip()} is now an adult member of the household "
            "and needs a DBS check.",
            "success",
        )
        return _back(household.id, "staying-put")
    return render_template("households/new_staying_put.html", form=form, household=household), status_code(form)


@bp.route("/households/<int:household_id>/staying-put/<int:arrangement_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_staying_put(household_id: int, arrangement_id: int):
    """Change the planned end, or record that the arrangement ended and why."""
    household = load_household(household_id, "edit")
    arrangement = load_child(StayingPut, arrangement_id, household)
    form = StayingPutEditForm(
        obj=arrangement if request.method == "GET" else None,
        date_of_birth=arrangement.date_of_birth,
        start_date=arrangement.start_date,
    )
    if request.method == "GET":
        form.load_version(arrangement)
        form.end_reason.data = arrangement.end_reason.value if arrangement.end_reason else None
        form.household_remains_approved.set_answer(arrangement.household_remains_approved)

    def change() -> None:
        services.update_staying_put(
            arrangement,
            form.planned_end_date.data,
            form.end_date.data,
            StayingPutEndReason(form.end_reason.data) if form.end_date.data and form.end_reason.data else None,
            bool(form.household_remains_approved.answer),
        )

    if request.method == "POST" and save(form, arrangement, change):
        flash(f"Staying-put arrangement for {arrangement.young_person_reference} saved.", "success")
        return _back(household.id, "staying-put")
    return render_template(
        "households/edit_staying_put.html", form=form, household=household, arrangement=arrangement
    ), status_code(form)
