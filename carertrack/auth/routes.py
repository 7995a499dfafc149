"""Sign in, sign out and change your own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from carertrack.access import public, signed_in
from carertrack.audit.recorder import acting_as
from carertrack.auth.forms import ChangePasswordForm, SignInForm
from carertrack.auth.services import attempt_sign_in
from carertrack.concurrency import EditConflict, check_version
from carertrack.extensions import db
from carertrack.formatting import format_time

bp = Blueprint("auth", __name__)

SIGN_IN_FAILED = "Enter a correct email address and password. Both are case sensitive except the email address."


def _safe_next(target: str | None) -> str:
    """Only follow a 'next' address on this site."""
    # Browsers read a backslash as a slash and drop tabs and newlines, so "/\\evil.example" and
    # "/\t/evil.example" would leave the site: refuse anything with those characters.
    if target and not any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """The sign-in page. Failures never say whether the email address exists."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        result = attempt_sign_in(form.email.data, form.password.data)
        if result.user is not None:
            with acting_as(result.user):
                db.session.commit()
            session.clear()
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()
        if result.locked_until is not None:
            form.form_errors.append(
                "You have tried to sign in too many times. Your account is locked. "
                f"Try again after {format_time(result.locked_until)}, or ask an administrator."
            )
        else:
            form.form_errors.append(SIGN_IN_FAILED)
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form), (200 if not form.errors else 400)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    """Sign out and forget the session."""
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change your own password."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
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
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form, user=user), (400 if form.errors else 200)
