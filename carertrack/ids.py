"""Record ids that arrive as text, in a route's address or a filter: anything a database integer cannot hold
is no record's id, so it is refused like any unknown id (404, or the filter's message), never sent to the
database to fail there."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest INTEGER (PostgreSQL int4), the type of every id column


def parse_id(text: str | None) -> int | None:
    """The id typed as plain digits, or None when it is anything else or too large to be an id."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number beyond MAX_ID matches no route, so it answers 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
