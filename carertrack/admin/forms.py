"""Forms for user accounts and settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField, ValidationError
from wtforms.fields.choices import SelectChoice

from carertrack.auth.forms import NewPasswordMixin
from carertrack.auth.services import find_user
from carertrack.concurrency import VersionedForm
from carertrack.models.user import ROLE_LABELS
from carertrack.settings import SPECS
from carertrack.validators import EmailAddress, MaxLength, Required

ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserDetailsForm(VersionedForm):
    """Name and role, shared by the create and edit pages."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[Required("Enter the person's full name"), MaxLength(120, "Full name")],
    )
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[Required("Select the person's role")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewUserForm(NewPasswordMixin, UserDetailsForm):
    """A new account: email, name, role and a first password."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="They sign in with this address.",
        validators=[Required("Enter the person's email address"), MaxLength(254, "Email address"), EmailAddress()],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def password_context(self) -> tuple[str, str]:
        return self.email.data or "", self.name.data or ""

    def validate_email(self, field):  # type: ignore[no-untyped-def]
        if field.data and find_user(field.data) is not None:
            raise ValidationError("An account with this email address already exists")


class SetPasswordForm(NewPasswordMixin, VersionedForm):
    """An administrator sets a new password for someone who forgot theirs."""

    submit = SubmitField("Set password", widget=GovSubmitInput())

    def __init__(self, user, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.user = user

    def password_context(self) -> tuple[str, str]:
        return self.user.email, self.user.name


class StatusForm(VersionedForm):
    """Deactivate or reactivate: only the version travels with the button."""


def settings_form_class() -> type[VersionedForm]:
    """A form with one text field per setting, validated by the setting's own rules."""

    class SettingsForm(VersionedForm):
        submit = SubmitField("Save settings", widget=GovSubmitInput())

    for spec in SPECS:

        def check(form, field, spec=spec):  # type: ignore[no-untyped-def]
            try:
                spec.parse(field.data or "")
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc

        setattr(
            SettingsForm,
            spec.key,
            StringField(
                spec.label,
                widget=GovTextInput(),
                description=spec.hint + (f" Default: {spec.format(spec.default)} {spec.unit}".rstrip() + "."),
                validators=[Required(f"Enter {spec.phrase}"), check],
            ),
        )
    return SettingsForm
