"""The central list of panel members."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from carertrack.access import get_or_404, roles
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.panel import PanelMember, PanelRole
from carertrack.panels import services
from carertrack.panels.blueprint import EDITORS, READERS, bp, can_edit, save, status_code
from carertrack.panels.forms import MemberForm


@bp.route("/members")
@roles(*READERS)
def members():
    """Everyone on the central list: serving members first, then those who have left."""
    day = today()
    everyone = db.session.scalars(select(PanelMember).order_by(PanelMember.name, PanelMember.id)).all()
    order = list(PanelRole)
    serving = sorted((m for m in everyone if m.serves_on(day) or m.start_date > day), key=lambda m: order.index(m.role))
    left = [m for m in everyone if m.end_date is not None and m.end_date < day]
    return render_template("panels/members.html", serving=serving, left=left, today=day, editor=can_edit(current_user))


def _values(form: MemberForm) -> services.MemberValues:
    social_worker = form.role.data == PanelRole.SOCIAL_WORKER.value
    return services.MemberValues(
        name=form.name.data,
        role=PanelRole(form.role.data),
        independent=bool(form.independent.answer),
        experience_years=form.experience_years.data if social_worker else None,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
    )


@bp.route("/members/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_member():
    """Add someone to the central list."""
    form = MemberForm()
    if save(form, None, lambda: services.save_member(_values(form))):
        flash(f"{form.name.data.strip()} has been added to the panel members.", "success")
        return redirect(url_for("panels.members"))
    return render_template("panels/member_form.html", form=form, member=None), status_code(form)


@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_member(member_id: int):
    """Change a member's details, or record the date they left the panel."""
    member = get_or_404(PanelMember, member_id)
    form = MemberForm()
    if request.method == "GET":
        form.load_version(member)
        form.name.data = member.name
        form.role.data = member.role.value
        form.independent.set_answer(member.independent)
        form.experience_years.data = member.experience_years
        form.start_date.data = member.start_date
        form.end_date.data = member.end_date
    if save(form, member, lambda: services.save_member(_values(form), member)):
        flash(f"{member.name}'s details have been saved.", "success")
        return redirect(url_for("panels.members"))
    return render_template("panels/member_form.html", form=form, member=member), status_code(form)
