"""`flask seed demo` builds the demo service. Each area registers a builder that runs in order.

Builders take the ``DemoContext`` (today's date, the demo users, a seeded random generator) and
add their records; the whole demo commits once. Every date is relative to ``ctx.today`` so the
service looks current whenever it is loaded.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from carertrack.admin.services import create_user
from carertrack.extensions import db
from carertrack.models.user import Role, User

DEMO_PASSWORD = "carertrack-demo-2026"  # noqa: S105 - published demo sign-in, development only  # nosec B105

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("sam.okafor@example.org", "Sam Okafor", Role.SOCIAL_WORKER),
    ("priya.shah@example.org", "Priya Shah", Role.SOCIAL_WORKER),
    ("tom.hughes@example.org", "Tom Hughes", Role.SOCIAL_WORKER),
    ("grace.lewis@example.org", "Grace Lewis", Role.SOCIAL_WORKER),
    ("maria.jones@example.org", "Maria Jones", Role.MANAGER),
    ("david.chen@example.org", "David Chen", Role.PANEL_ADMIN),
    ("alex.morgan@example.org", "Alex Morgan", Role.ADMIN),
    ("ruth.evans@example.org", "Ruth Evans", Role.VIEWER),
)


@dataclass
class DemoContext:
    """What every builder gets: today, the demo users by role, and a repeatable random generator."""

    today: date
    users: dict[Role, list[User]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))  # noqa: S311 - repeatable demo data  # nosec B311


Builder = Callable[[DemoContext], None]
# (order, builder): builders run by their declared order, never by the order their modules happened to be
# imported in (a test importing one area's demo module first must not change the demo).
BUILDERS: list[tuple[int, Builder]] = []


def builder(order: int) -> Callable[[Builder], Builder]:
    """Register a demo builder to run at `order` (lower first) after the users exist."""

    def register(func: Builder) -> Builder:
        BUILDERS.append((order, func))
        return func

    return register


def database_is_empty() -> bool:
    """True when nobody has an account yet."""
    return not db.session.scalar(select(func.count()).select_from(User))


def build_demo(today: date) -> DemoContext:
    """Create the demo users and run every builder. The caller commits."""
    import carertrack.seed.builders  # noqa: F401 - registers every area's builder

    ctx = DemoContext(today=today)
    for email, name, role in DEMO_USERS:
        user = create_user(email, name, role, DEMO_PASSWORD)
        ctx.users.setdefault(role, []).append(user)
    db.session.flush()
    for _, build in sorted(BUILDERS, key=lambda entry: entry[0]):
        build(ctx)
    return ctx
