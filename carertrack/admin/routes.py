"""User administration and settings, for administrators only."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from carertrack.access import get_or_404, roles
from carertrack.admin import services
from carertrack.admin.forms import NewUserForm, SetPasswordForm, StatusForm, UserDetailsForm, settings_form_class
from carertrack.concurrency import EditConflict, changed_by_phrase, check_version, last_change
from carertrack.extensions import db
from carertrack.models.setting import Setting
from carertrack.models.user import Role, User
from carertrack.settings import SPECS, all_settings, set_setting

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 25


@bp.route("/users")
@roles(Role.ADMIN)
def users():
    """Everyone with an account, searchable, active first."""
    query = request.args.get("q", "").strip()[:100]
    statement = select(User).order_by(User.active.desc(), User.name, User.id)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(User.name.ilike(like), User.email.ilike(like)))
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, query=query)


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_user():
    """Create an account with a first password the person changes later."""
    form = NewUserForm()
    if form.validate_on_submit():
        user = services.create_user(
            form.email.data, form.name.data, Role(form.role.data), form.new_password.data, current_user
        )
        db.session.commit()
        flash(f"Account created for {user.name}. Tell them their email address and first password.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form), (400 if form.errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_user(user_id: int):
    """Change a person's name and role; deactivate or reactivate them."""
    user = get_or_404(User, user_id)
    form = UserDetailsForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.role.data = user.role.value
        form.load_version(user)
    elif form.validate_on_submit():
        try:
            check_version(user, form.version.data)
            services.update_user(user, form.name.data, Role(form.role.data))
        except EditConflict as conflict:
            form.add_conflict(conflict)
        except services.LastAdminError as exc:
            form.role.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"{user.name}'s details have been saved.", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    status_form = StatusForm()
    status_form.load_version(user)
    return render_template("admin/edit_user.html", form=form, user=user, status_form=status_form), (
        400 if form.errors else 200
    )


@bp.route("/users/<int:user_id>/status", methods=["POST"])
@roles(Role.ADMIN)
def change_status(user_id: int):
    """Deactivate (sign-in refused) or reactivate an account. Accounts are never deleted."""
    user = get_or_404(User, user_id)
    form = StatusForm()
    activate = request.form.get("action") == "reactivate"
    if not form.validate_on_submit():
        flash("The form was not complete. Nothing was changed.")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    try:
        check_version(user, form.version.data)
        services.set_active(user, activate)
    except EditConflict as conflict:
        flash(conflict.message)
        return redirect(url_for("admin.edit_user", user_id=user.id))
    except services.LastAdminError as exc:
        flash(str(exc))
        return redirect(url_for("admin.edit_user", user_id=user.id))
    db.session.commit()
    flash(f"{user.name} has been {'reactivated' if activate else 'deactivated'}.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles(Role.ADMIN)
def set_password(user_id: int):
    """Set a new password for someone who has forgotten theirs."""
    user = get_or_404(User, user_id)
    form = SetPasswordForm(user)
    if request.method == "GET":
        form.load_version(user)
    elif form.validate_on_submit():
        try:
            check_version(user, form.version.data)
        except EditConflict as conflict:
            form.add_conflict(conflict)
        else:
            user.set_password(form.new_password.data)
            db.session.commit()
            flash(f"A new password has been set for {user.name}. Tell them it privately.", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/set_password.html", form=form, user=user), (400 if form.errors else 200)


def _settings_version() -> int:
    """A version for the settings page as a whole: the sum of the stored rows' versions and count."""
    rows = db.session.scalars(select(Setting)).all()
    return sum(row.version for row in rows) * 1000 + len(rows)


@bp.route("/settings", methods=["GET", "POST"])
@roles(Role.ADMIN)
def settings():
    """The local-practice settings, each with its default and allowed range."""
    form_class = settings_form_class()
    form = form_class()
    current = all_settings()
    if request.method == "GET":
        for spec, value, _changed in current:
            getattr(form, spec.key).data = spec.format(value)
        form.version.data = str(_settings_version())
    elif form.validate_on_submit():
        if form.version.data != str(_settings_version()):
            form.form_errors.append(
                f"The settings were {changed_by_phrase(last_change('Setting'))} since you opened this page. "
                "Your changes have not been saved. Check the values below and save again."
            )
            form.version.data = str(_settings_version())
        else:
            for spec in SPECS:
                set_setting(spec.key, spec.parse(getattr(form, spec.key).data))
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for("admin.settings"))
    groups: dict[str, list] = {}
    for spec, _value, changed in current:
        groups.setdefault(spec.group, []).append((spec, getattr(form, spec.key), changed))
    return render_template("admin/settings.html", form=form, groups=groups), (400 if form.errors else 200)
