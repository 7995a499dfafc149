"""Each person's reminder email choices, and the outbox for administrators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from carertrack.access import get_or_404, roles, signed_in
from carertrack.concurrency import EditConflict, check_version, conflict_from_stale
from carertrack.extensions import db
from carertrack.models.reminder import OutboxMessage, OutboxStatus
from carertrack.models.user import Role
from carertrack.reminders import outbox, services
from carertrack.reminders.forms import PreferencesForm, RetryForm

bp = Blueprint("reminders", __name__)

PER_PAGE = 25


@bp.route("/account/reminders", methods=["GET", "POST"])
@signed_in
def preferences():
    """Turn the daily digest (and, for managers, the weekly summary) on or off."""
    preference = services.preference_for(current_user)
    form = PreferencesForm()
    is_manager = current_user.role == Role.MANAGER
    if not is_manager:
        del form.weekly_pipeline
    if request.method == "GET":
        form.daily_digest.data = "no" if preference and not preference.daily_digest else "yes"
        if is_manager:
            form.weekly_pipeline.data = "no" if preference and not preference.weekly_pipeline else "yes"
        form.version.data = str(preference.version if preference else 0)
    elif form.validate_on_submit():
        try:
            if preference is not None:
                check_version(preference, form.version.data)
            services.save_preferences(
                current_user._get_current_object(),  # type: ignore[attr-defined] - the User, not the proxy
                daily_digest=form.daily_digest.data == "yes",
                weekly_pipeline=(form.weekly_pipeline.data == "yes") if is_manager else None,
            )
            db.session.commit()
        except EditConflict as conflict:
            db.session.rollback()
            form.add_conflict(conflict)
        except StaleDataError:
            form.add_conflict(conflict_from_stale(preference))
        else:
            flash("Your reminder email choices have been saved.", "success")
            return redirect(url_for("reminders.preferences"))
    return render_template("reminders/preferences.html", form=form, is_manager=is_manager), (
        400 if form.errors else 200
    )


@bp.route("/admin/outbox")
@roles(Role.ADMIN)
def outbox_list():
    """Every email written to the outbox, newest first, with its status, attempts and last error."""
    status = request.args.get("status", "")
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status in {s.value for s in OutboxStatus}:
        statement = statement.where(OutboxMessage.status == OutboxStatus(status))
    else:
        status = ""
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    return render_template(
        "reminders/outbox.html",
        page=page,
        status=status,
        statuses=list(OutboxStatus),
        counts=outbox.queue_counts(),
    )


@bp.route("/admin/outbox/<int:message_id>")
@roles(Role.ADMIN)
def outbox_message(message_id: int):
    """One email as it was written, with its sending history."""
    message = get_or_404(OutboxMessage, message_id)
    return render_template("reminders/outbox_message.html", message=message, retry_form=RetryForm())


@bp.route("/admin/outbox/<int:message_id>/retry", methods=["POST"])
@roles(Role.ADMIN)
def retry(message_id: int):
    """Bring a queued email's next attempt forward: the outbox job sends it on its next run."""
    message = get_or_404(OutboxMessage, message_id)
    form = RetryForm()
    if form.validate_on_submit() and outbox.retry_now(message):
        db.session.commit()
        flash("The email will be sent the next time the outbox runs, within a few minutes.", "success")
    else:
        flash("Only a queued email can be tried again.")
    return redirect(url_for("reminders.outbox_message", message_id=message.id))


@bp.route("/reminders")
@signed_in
def mine():
    """Everything due for the person signed in today, most urgent first (the home page shows the first few)."""
    from carertrack.dates import today
    from carertrack.extensions import page_from_address
    from carertrack.reminders.home import page_of
    from carertrack.reminders.links import page_url

    page, found = page_of(current_user, page_from_address())
    rows = [(item, page_url(item.link)) for item in page.items]
    return render_template(
        "reminders/mine.html",
        as_of=today(),
        page=page,
        overdue=[row for row in rows if row[0].urgent],
        due_soon=[row for row in rows if not row[0].urgent],
        overdue_total=found.overdue,
        due_soon_total=found.total - found.overdue,
    )
