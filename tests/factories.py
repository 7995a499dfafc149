"""Test data builders. Each opens its own app context and returns plain values, never live ORM objects,
so that tests never share a session (or Flask's `g`) with the requests they make."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from carertrack.admin.services import create_user
from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role

PASSWORD = "a-test-password-for-carertrack"
_counter = itertools.count(1)


@dataclass(frozen=True)
class UserInfo:
    """What a test needs to know about a user it made."""

    id: int
    email: str
    name: str
    role: Role
    password: str = PASSWORD


def make_user(
    app: Any,
    role: Role = Role.SOCIAL_WORKER,
    *,
    name: str | None = None,
    email: str | None = None,
    active: bool = True,
    password: str = PASSWORD,
) -> UserInfo:
    """Create a user and return its details."""
    n = next(_counter)
    name = name or f"Test {role.value.replace('_', ' ').title()} {n}"
    email = email or f"{role.value}.{n}@example.org"
    with app.app_context(), acting_as("test setup"):
        user = create_user(email, name, role, password)
        user.active = active
        db.session.commit()
        return UserInfo(user.id, user.email, user.name, user.role, password)
