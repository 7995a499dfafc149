"""Schema objects that exist on one database only (`Index(...).ddl_if(dialect=...)`), for Alembic.

Alembic's autogenerate compares every index on the metadata, whatever its `ddl_if`; an index made for
PostgreSQL only (the trigram search indexes) would then look missing on SQLite. `include_object_for`
leaves such objects out of the comparison on the other databases (migrations/env.py and
tests/integration/test_migrations.py use it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def made_on(obj: Any, dialect_name: str) -> bool:
    """Whether create_all makes this schema object on this database (its ddl_if names no other)."""
    condition = getattr(obj, "_ddl_if", None)
    wanted = getattr(condition, "dialect", None)
    if wanted is None:
        return True
    return dialect_name in ([wanted] if isinstance(wanted, str) else list(wanted))


def include_object_for(dialect_name: str) -> Callable[..., bool]:
    """Alembic's include_object: the models' objects made on this database, and everything reflected."""

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        return reflected or made_on(obj, dialect_name)

    return include_object
