"""Saving a person's reminder email choices (audited like any other change)."""

from __future__ import annotations

from carertrack.extensions import db
from carertrack.models.reminder import ReminderPreference
from carertrack.models.user import Role, User


def preference_for(user: User) -> ReminderPreference | None:
    """Their saved choices, or None when they have never changed the defaults."""
    return db.session.get(ReminderPreference, user.id)


def save_preferences(user: User, *, daily_digest: bool, weekly_pipeline: bool | None) -> ReminderPreference:
    """Store the choices; the weekly summary is only for managers. The caller commits."""
    preference = preference_for(user)
    if preference is None:
        preference = ReminderPreference(user=user, daily_digest=True, weekly_pipeline=True)
        db.session.add(preference)
    preference.daily_digest = daily_digest
    if user.role == Role.MANAGER and weekly_pipeline is not None:
        preference.weekly_pipeline = weekly_pipeline
    return preference
