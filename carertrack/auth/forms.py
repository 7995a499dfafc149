"""Sign-in and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField, ValidationError

from carertrack.auth.services import password_problem
from carertrack.concurrency import VersionedForm
from carertrack.validators import MaxLength, Required


class SignInForm(FlaskForm):
    """Email address and password; field names are fixed by the platform contract."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[Required("Enter your email address"), MaxLength(254, "Email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[Required("Enter your password"), MaxLength(256, "Password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class NewPasswordMixin:
    """A new password typed twice and checked against the policy."""

    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three or four random words together work well.",
        validators=[Required("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[Required("Confirm your new password")],
    )

    def password_context(self) -> tuple[str, str]:
        """The email and name the password must not be built from."""
        return "", ""

    def validate_new_password(self, field):  # type: ignore[no-untyped-def]
        email, name = self.password_context()
        problem = password_problem(field.data or "", email=email, name=name)
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field):  # type: ignore[no-untyped-def]
        if field.data != self.new_password.data:
            raise ValidationError("The passwords do not match")


class ChangePasswordForm(NewPasswordMixin, VersionedForm):
    """Everyone changes their own password after giving the current one."""

    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[Required("Enter your current password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def __init__(self, user, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.user = user

    def password_context(self) -> tuple[str, str]:
        return self.user.email, self.user.name

    def validate_current_password(self, field):  # type: ignore[no-untyped-def]
        if field.data and not self.user.check_password(field.data):
            raise ValidationError("Your current password is not correct")
