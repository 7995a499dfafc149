"""Enquiry intake: the first page of every case."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from carertrack.access import roles
from carertrack.cases import queries, services
from carertrack.cases.access import CASE_EDITORS
from carertrack.cases.blueprint import bp
from carertrack.cases.forms import EnquiryForm
from carertrack.extensions import db
from carertrack.models.case import CarerType, EnquirySource
from carertrack.models.user import Role


def _person(form: EnquiryForm, prefix: str) -> services.PersonValues:
    return services.PersonValues(
        name=(getattr(form, f"{prefix}_name").data or "").strip(),
        date_of_birth=getattr(form, f"{prefix}_date_of_birth").data,
        email=getattr(form, f"{prefix}_email").data,
        phone=getattr(form, f"{prefix}_phone").data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def new_enquiry():
    """Record a new enquiry (a social worker takes it themselves; a manager chooses who)."""
    form = EnquiryForm()
    is_manager = current_user.role == Role.MANAGER
    if is_manager:
        form.intake_worker.choices = [SelectChoice("", "Not assigned yet")] + [
            SelectChoice(str(user.id), user.name) for user in queries.social_workers()
        ]
    else:
        del form.intake_worker
    if form.validate_on_submit():
        second = _person(form, "applicant_2")
        worker_id = current_user.id if not is_manager else None
        if is_manager and form.intake_worker.data:
            valid = {choice.value for choice in form.intake_worker.choices if choice.value}
            worker_id = int(form.intake_worker.data) if form.intake_worker.data in valid else None
        values = services.EnquiryValues(
            carer_type=CarerType(form.carer_type.data),
            enquiry_date=form.enquiry_date.data,
            enquiry_source=EnquirySource(form.enquiry_source.data),
            applicant_1=_person(form, "applicant_1"),
            applicant_2=second if (second.name or second.email or second.phone or second.date_of_birth) else None,
            address_line_1=form.address_line_1.data,
            address_line_2=form.address_line_2.data,
            town=form.town.data,
            postcode=form.postcode.data,
            interest_age_from=form.interest_age_from.data,
            interest_age_to=form.interest_age_to.data,
            interests=set(form.interests.data or []),
            intake_worker_id=worker_id,
            child_reference=form.child_reference.data,
        )
        if values.applicant_2 is not None and not values.applicant_2.name:
            form.apply_errors(
                {"applicant_2_name": "Enter the second applicant's full name, or leave their details blank"}
            )
        else:
            try:
                case = services.create_enquiry(values)
                db.session.commit()
            except services.CaseValidationError as exc:
                db.session.rollback()
                form.apply_errors(exc.errors)
            else:
                flash(f"Enquiry recorded as {case.reference}.", "success")
                return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new_enquiry.html", form=form), (400 if form.errors else 200)
