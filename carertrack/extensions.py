"""Flask extensions, created once here and bound to the app in create_app."""

from collections.abc import Sequence
from typing import Any

from flask import has_request_context, request
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import CSRFProtect

from carertrack.models.base import Base

# Beyond any real list, and small enough that page x per-page always fits a database offset.
MAX_PAGE = 1_000_000


def page_from_address() -> int:
    """The `page` query argument as a page number from 1 to MAX_PAGE; anything unreadable is page 1."""
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


class CountedPagination(Pagination):
    """A page whose items and total are already known (read together, or counted in SQL beforehand).

    The GOV.UK pagination macro and "Showing x to y of n" read it like any Flask-SQLAlchemy page;
    no statement runs when it is built.
    """

    def __init__(self, items: Sequence[Any], total: int, page: int, per_page: int) -> None:
        super().__init__(page=page, per_page=per_page, error_out=False, items=list(items), total=total)

    def _query_items(self) -> list[Any]:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, with a page number typed into the address bar kept to what the database can offset."""

    def paginate(self, select: Any, *, page: int | None = None, **kwargs: Any) -> Any:
        if page is None and has_request_context():
            page = page_from_address()
        return super().paginate(select, page=page, **kwargs)


db = Database(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
login_manager = LoginManager()
