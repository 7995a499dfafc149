"""Who may use each route, declared on the route and enforced before every request.

Every view must be decorated with exactly one of :func:`public`, :func:`signed_in` or
:func:`roles`. A view without a declaration is refused (403) and a test walks the URL map so one
can never be forgotten. Record-level rules (a social worker reaches only their own cases) use
:func:`get_or_404` and :func:`require`, so "404 if it does not exist, 403 if it is not yours"
lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from carertrack.extensions import db, login_manager
from carertrack.models.user import Role

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = frozenset(Role)
STAFF_WHO_EDIT = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.PANEL_ADMIN, Role.ADMIN})


@dataclass(frozen=True)
class AccessRule:
    """Who may use a route: everyone, anyone signed in, or people holding one of some roles."""

    public: bool = False
    roles: frozenset[Role] = ALL_ROLES

    def allows(self, user: Any) -> bool:
        """True when this user (possibly anonymous) may use the route."""
        if self.public:
            return True
        return bool(user.is_authenticated and user.role in self.roles)


def _declare(rule: AccessRule) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: F) -> F:
    """Anyone may use this route, signed in or not."""
    return _declare(AccessRule(public=True))(view)


def signed_in(view: F) -> F:
    """Anyone signed in may use this route, whatever their role."""
    return _declare(AccessRule())(view)


def roles(*allowed: Role | Iterable[Role]) -> Callable[[F], F]:
    """Only people holding one of these roles may use this route."""
    flat: set[Role] = set()
    for item in allowed:
        flat.update([item] if isinstance(item, Role) else item)
    return _declare(AccessRule(roles=frozenset(flat)))


def rule_for(endpoint: str | None) -> AccessRule | None:
    """The declared rule of an endpoint, or None when it has none."""
    if endpoint is None:
        return None
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access() -> Any:
    """before_request: send anonymous people to sign in and refuse the wrong role with 403."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("Route %s declares no access rule; refusing it", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in rule.roles:
        abort(403)
    return None


def get_or_404(model: type, ident: Any) -> Any:
    """Load a record by primary key, or answer 404."""
    record = db.session.get(model, ident)
    if record is None:
        abort(404)
    return record


def require(allowed: bool) -> None:
    """Answer 403 unless the record-level rule allows this person."""
    if not allowed:
        abort(403)
