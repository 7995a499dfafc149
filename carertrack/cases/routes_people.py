"""The household: enquiry details, applicants and other members (each change keeps the checklist in step)."""

from __future__ import annotations

from flask import abort, flash, redirect

from carertrack.access import get_or_404, require, roles
from carertrack.cases import services
from carertrack.cases.access import CASE_EDITORS
from carertrack.cases.blueprint import bp, case_url, load_case, run_step
from carertrack.cases.forms import ApplicantForm, ConfirmForm, DetailsForm, MemberForm
from carertrack.extensions import db
from carertrack.models.case import CarerType, EnquirySource
from carertrack.models.case_records import CaseMember, MemberRelation


def interests_of(case) -> list[str]:  # type: ignore[no-untyped-def]
    """The interest choices a case has ticked."""
    flags = {
        "siblings": case.interest_siblings,
        "teenagers": case.interest_teenagers,
        "parent_and_child": case.interest_parent_and_child,
        "short_breaks": case.interest_short_breaks,
    }
    return [key for key, ticked in flags.items() if ticked]


@bp.route("/<int:case_id>/details", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def details(case_id: int):
    """Correct the enquiry details, address and interests."""
    case = load_case(case_id, edit=True)
    form = DetailsForm()

    def prefill() -> None:
        form.carer_type.data = case.carer_type.value
        form.enquiry_date.data = case.enquiry_date
        form.enquiry_source.data = case.enquiry_source.value if case.enquiry_source else ""
        form.address_line_1.data = case.address_line_1
        form.address_line_2.data = case.address_line_2
        form.town.data = case.town
        form.postcode.data = case.postcode
        form.interests.data = interests_of(case)
        form.interest_age_from.data = case.interest_age_from
        form.interest_age_to.data = case.interest_age_to

    def save() -> None:
        services.update_details(
            case,
            services.DetailsValues(
                carer_type=CarerType(form.carer_type.data),
                enquiry_date=form.enquiry_date.data,
                enquiry_source=EnquirySource(form.enquiry_source.data),
                address_line_1=form.address_line_1.data,
                address_line_2=form.address_line_2.data,
                town=form.town.data,
                postcode=form.postcode.data,
                interest_age_from=form.interest_age_from.data,
                interest_age_to=form.interest_age_to.data,
                interests=set(form.interests.data or []),
            ),
        )

    return run_step(case, form, save, title="Enquiry details", success="Details saved.", prefill=prefill)


@bp.route("/<int:case_id>/applicants/<int:position>", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def applicant(case_id: int, position: int):
    """Change applicant 1 or 2, or add a second applicant."""
    if position not in (1, 2):
        abort(404)
    case = load_case(case_id, edit=True)
    person = case.applicant(position)
    if person is None and position == 1:
        abort(404)
    form = ApplicantForm()

    def prefill() -> None:
        if person is not None:
            form.name.data = person.name
            form.date_of_birth.data = person.date_of_birth
            form.email.data = person.email
            form.phone.data = person.phone

    def save() -> None:
        services.save_applicant(
            case,
            position,
            services.PersonValues(form.name.data, form.date_of_birth.data, form.email.data, form.phone.data),
        )

    title = f"Applicant {position}" if person else "Add a second applicant"
    return run_step(
        case,
        form,
        save,
        title=title,
        success="Applicant saved.",
        prefill=prefill,
        record=person,
        versioned=person is not None,
        anchor="household",
    )


@bp.route("/<int:case_id>/members/new", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def add_member(case_id: int):
    """Add someone else in the household; the checklist gains their checks."""
    case = load_case(case_id, edit=True)
    form = MemberForm()
    return run_step(
        case,
        form,
        lambda: services.save_member(case, _member_values(form)),
        title="Add a household member",
        success="Household member added. The Stage 1 checklist has been updated.",
        versioned=False,
        anchor="household",
    )


@bp.route("/<int:case_id>/members/<int:member_id>", methods=["GET", "POST"])
@roles(*CASE_EDITORS)
def edit_member(case_id: int, member_id: int):
    """Change a household member's details."""
    case = load_case(case_id, edit=True)
    member = get_or_404(CaseMember, member_id)
    if member.case_id != case.id:
        abort(404)
    form = MemberForm()

    def prefill() -> None:
        form.name.data = member.name
        form.date_of_birth.data = member.date_of_birth
        form.relation.data = member.relation.value
        form.lives_there.data = "yes" if member.lives_there else "no"

    return run_step(
        case,
        form,
        lambda: services.save_member(case, _member_values(form), member),
        title=member.name,
        success="Household member saved. The Stage 1 checklist has been updated.",
        prefill=prefill,
        record=member,
        anchor="household",
        remove_form=ConfirmForm(),
        member=member,
        template="cases/edit_member.html",
    )


@bp.route("/<int:case_id>/members/<int:member_id>/remove", methods=["POST"])
@roles(*CASE_EDITORS)
def remove_member(case_id: int, member_id: int):
    """Take someone off the household."""
    case = load_case(case_id, edit=True)
    member = get_or_404(CaseMember, member_id)
    require(member.case_id == case.id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("The form was not complete. Nothing was changed.")
        return redirect(case_url(case, "household"))
    name = member.name
    services.remove_member(case, member)
    db.session.commit()
    flash(f"{name} has been removed from the household.", "success")
    return redirect(case_url(case, "household"))


def _member_values(form: MemberForm) -> services.MemberValues:
    return services.MemberValues(
        name=form.name.data,
        date_of_birth=form.date_of_birth.data,
        relation=MemberRelation(form.relation.data),
        lives_there=form.lives_there.data == "yes",
    )
