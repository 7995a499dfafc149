"""Load a list's collections in one statement that runs whether or not the list has rows.

SQLAlchemy's selectinload (and a model's lazy="selectin") skips its statement when the list is
empty, so a page would run fewer statements with no rows than with some. A list whose rows need a
collection (a case's applicants, a household's people) loads it here instead: the list's statement
turns the relationship's own loader off with `lazyload(...)`, and `load_collection` fills it for
every row with one `SELECT ... WHERE foreign_key IN (ids)`, which runs even for no ids. So a page
runs the same statements at any amount of data, empty lists included (tests/integration/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.orm.attributes import set_committed_value

from carertrack.extensions import db


def load_collection(parents: Sequence[Any], relationship: QueryableAttribute[Any], *options: Any) -> list[Any]:
    """Fill `relationship` (one-to-many, one foreign key) on every parent in one statement; return all the
    children, in the relationship's order, so the next level can be loaded from them.

    `options` apply to the children's statement, e.g. `lazyload(Child.collection)` before loading that
    collection with another call. The parents' statement should carry `lazyload(relationship)` so its own
    loader does not fetch the rows first.
    """
    prop = relationship.property
    ((local, remote),) = prop.local_remote_pairs
    parent_key = prop.parent.get_property_by_column(local).key
    child_key = prop.mapper.get_property_by_column(remote).key
    ids = list(dict.fromkeys(getattr(parent, parent_key) for parent in parents))
    order = list(prop.order_by or ()) + list(prop.mapper.primary_key)
    children = list(
        db.session.scalars(select(prop.mapper).where(remote.in_(ids)).options(*options).order_by(*order)).unique()
    )
    grouped: dict[Any, list[Any]] = {}
    for child in children:
        grouped.setdefault(getattr(child, child_key), []).append(child)
    for parent in parents:
        found = grouped.get(getattr(parent, parent_key), [])
        set_committed_value(parent, prop.key, found if prop.uselist else (found[0] if found else None))
    return children
