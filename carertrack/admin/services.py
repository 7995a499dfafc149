"""Account changes. Each is audited by the recorder; the route commits."""

from __future__ import annotations

from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.user import Role, User


class LastAdminError(Exception):
    """The service must keep at least one active administrator."""


def create_user(email: str, name: str, role: Role, password: str, created_by: User | None = None) -> User:
    """Add an account; the caller commits."""
    user = User(email=email.strip().lower(), name=name.strip(), role=role, active=True)
    user.set_password(password)
    if created_by is not None:
        user.created_by_id = created_by.id
    db.session.add(user)
    return user


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )


def update_user(user: User, name: str, role: Role) -> None:
    """Change name and role, keeping at least one active administrator."""
    if user.role == Role.ADMIN and role != Role.ADMIN and user.active and not _other_active_admins(user):
        raise LastAdminError("You cannot change the role of the only active administrator.")
    user.name = name.strip()
    user.role = role


def set_active(user: User, active: bool) -> None:
    """Deactivate or reactivate an account; accounts are never deleted."""
    if not active and user.role == Role.ADMIN and user.active and not _other_active_admins(user):
        raise LastAdminError("You cannot deactivate the only active administrator.")
    user.active = active
