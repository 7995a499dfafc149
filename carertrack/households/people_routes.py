"""The people in a household: their details, DBS certificates, status checks and training."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from carertrack.access import require, roles
from carertrack.households import services
from carertrack.households.blueprint import bp, save, status_code
from carertrack.households.forms import DbsCheckForm, EditMemberForm, MemberForm, StatusCheckForm, TrainingForm
from carertrack.households.permissions import EDITORS, load_child, load_household
from carertrack.models.dbs import DbsCheck, DbsOutcome, RiskDecision, StatusCheckResult
from carertrack.models.household import HouseholdMember, MemberRole, Relationship
from carertrack.settings import get_setting


def _back(household_id: int, anchor: str = "people"):  # type: ignore[no-untyped-def]
    return redirect(url_for("households.view", household_id=household_id, _anchor=anchor))


@bp.route("/households/<int:household_id>/people/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_member(household_id: int):
    """Add someone who lives in the household."""
    household = load_household(household_id, "edit")
    form = MemberForm()

    def change() -> None:
        services.add_member(
            household,
            form.name.data,
            form.date_of_birth.data,
            Relationship(form.relationship.data),
            form.joined_date.data,
        )

    if request.method == "POST" and save(form, None, change):
        flash(f"{form.name.data.strip()} has been added to the household.", "success")
        return _back(household.id)
    return render_template("households/new_member.html", form=form, household=household), status_code(form)


@bp.route("/households/<int:household_id>/people/<int:member_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_member(household_id: int, member_id: int):
    """Correct a person's details or record that they left."""
    household = load_household(household_id, "edit")
    member = load_child(HouseholdMember, member_id, household)
    form = EditMemberForm(obj=member if request.method == "GET" else None)
    if request.method == "GET":
        form.load_version(member)
        form.relationship.data = (member.relationship or _default_relationship(member)).value

    def change() -> None:
        services.update_member(
            member,
            form.name.data,
            form.date_of_birth.data,
            Relationship(form.relationship.data),
            form.joined_date.data,
            form.left_date.data,
        )

    if request.method == "POST" and save(form, member, change):
        flash(f"{member.name}'s details have been saved.", "success")
        return _back(household.id)
    return render_template("households/edit_member.html", form=form, household=household, member=member), status_code(
        form
    )


def _default_relationship(member: HouseholdMember) -> Relationship:
    """For imported people without a relationship: the one their role suggests."""
    return {
        MemberRole.CARER: Relationship.CARER,
        MemberRole.CHILD_MEMBER: Relationship.BIRTH_CHILD,
    }.get(member.role, Relationship.OTHER_ADULT)


@bp.route("/households/<int:household_id>/people/<int:member_id>/training", methods=["GET", "POST"])
@roles(*EDITORS)
def training(household_id: int, member_id: int):
    """Record when a carer evidenced the Training, Support and Development Standards."""
    household = load_household(household_id, "edit")
    member = load_child(HouseholdMember, member_id, household)
    require(member.role is MemberRole.CARER)
    form = TrainingForm(obj=member if request.method == "GET" else None)
    if request.method == "GET":
        form.load_version(member)

    if request.method == "POST" and save(
        form, member, lambda: services.record_training(member, form.tsd_completed_date.data)
    ):
        flash(f"Training standards recorded for {member.name}.", "success")
        return _back(household.id, "training")
    return render_template("households/training.html", form=form, household=household, member=member), status_code(form)


def _dbs_details(form: DbsCheckForm) -> services.DbsDetails:
    disclosed = form.outcome.data == DbsOutcome.DISCLOSED.value
    return services.DbsDetails(
        certificate_number=form.certificate_number.data,
        issue_date=form.issue_date.data,
        enhanced_with_barred_list=bool(form.enhanced_with_barred_list.answer),
        update_service=bool(form.update_service.answer),
        outcome=DbsOutcome(form.outcome.data),
        risk_assessed_on=form.risk_assessed_on.data if disclosed else None,
        risk_decision=RiskDecision(form.risk_decision.data) if disclosed and form.risk_decision.data else None,
    )


@bp.route("/households/<int:household_id>/people/<int:member_id>/dbs/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_dbs_check(household_id: int, member_id: int):
    """Record a DBS certificate: a first check or a renewal."""
    household = load_household(household_id, "edit")
    member = load_child(HouseholdMember, member_id, household)
    form = DbsCheckForm(member_dob=member.date_of_birth)
    if request.method == "GET":
        form.enhanced_with_barred_list.set_answer(True)

    if request.method == "POST" and save(form, None, lambda: services.record_dbs_check(member, _dbs_details(form))):
        flash(f"DBS certificate recorded for {member.name}.", "success")
        return _back(household.id)
    return render_template("households/new_dbs_check.html", form=form, household=household, member=member), status_code(
        form
    )


@bp.route("/households/<int:household_id>/dbs/<int:check_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_dbs_check(household_id: int, check_id: int):
    """Correct a DBS certificate's details, and see its status checks."""
    household = load_household(household_id, "edit")
    check = load_child(DbsCheck, check_id, household)
    form = DbsCheckForm(obj=check if request.method == "GET" else None, member_dob=check.member.date_of_birth)
    if request.method == "GET":
        form.load_version(check)
        form.enhanced_with_barred_list.set_answer(check.enhanced_with_barred_list)
        form.update_service.set_answer(check.update_service)
        form.outcome.data = check.outcome.value
        form.risk_decision.data = check.risk_decision.value if check.risk_decision else None

    if request.method == "POST" and save(form, check, lambda: services.update_dbs_check(check, _dbs_details(form))):
        flash(f"DBS certificate for {check.member.name} has been saved.", "success")
        return _back(household.id)
    return render_template("households/edit_dbs_check.html", form=form, household=household, check=check), status_code(
        form
    )


@bp.route("/households/<int:household_id>/dbs/<int:check_id>/status-checks/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_status_check(household_id: int, check_id: int):
    """Record a DBS Update Service status check."""
    household = load_household(household_id, "edit")
    check = load_child(DbsCheck, check_id, household)
    if not check.update_service:
        flash(f"{check.member.name} has not subscribed to the DBS Update Service with this certificate.")
        return _back(household.id)
    form = StatusCheckForm(issue_date=check.issue_date)

    def change() -> None:
        services.record_status_check(check, form.checked_on.data, StatusCheckResult(form.result.data))

    if request.method == "POST" and save(form, None, change):
        if form.result.data == StatusCheckResult.CHANGED.value:
            flash(
                f"Status check recorded. The DBS has new information for {check.member.name}: "
                "apply for a new certificate.",
            )
        else:
            flash(f"Status check recorded for {check.member.name}.", "success")
        return _back(household.id)
    return render_template(
        "households/new_status_check.html",
        form=form,
        household=household,
        check=check,
        renewal_years=get_setting("dbs_renewal_years"),
    ), status_code(form)
