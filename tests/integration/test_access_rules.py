"""Every route declares who may use it, and the declarations hold for every role."""

from __future__ import annotations

import pytest
from flask import Blueprint
from flask_login import current_user

from carertrack import create_app
from carertrack.access import get_or_404, public, require, roles, rule_for, signed_in
from carertrack.models.user import Role, User
from tests.access import check_route_access
from tests.factories import make_user

EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
AUDIT_READERS = frozenset({Role.MANAGER, Role.ADMIN})
PLATFORM_BLUEPRINTS = ("main", "auth", "admin", "audit")

# (method, url, endpoint, who may use it). {user} is replaced by a real user's id.
PLATFORM_ROUTES = [
    ("GET", "/", "main.home", EVERYONE),
    ("GET", "/account/password", "auth.change_password", EVERYONE),
    ("POST", "/account/password", "auth.change_password", EVERYONE),
    ("POST", "/sign-out", "auth.sign_out", EVERYONE),
    ("GET", "/admin/users", "admin.users", ADMIN),
    ("GET", "/admin/users/new", "admin.new_user", ADMIN),
    ("POST", "/admin/users/new", "admin.new_user", ADMIN),
    ("GET", "/admin/users/{user}", "admin.edit_user", ADMIN),
    ("POST", "/admin/users/{user}", "admin.edit_user", ADMIN),
    ("POST", "/admin/users/{user}/status", "admin.change_status", ADMIN),
    ("GET", "/admin/users/{user}/password", "admin.set_password", ADMIN),
    ("POST", "/admin/users/{user}/password", "admin.set_password", ADMIN),
    ("GET", "/admin/settings", "admin.settings", ADMIN),
    ("POST", "/admin/settings", "admin.settings", ADMIN),
    ("GET", "/audit", "audit.search", AUDIT_READERS),
    ("GET", "/audit/User/{user}", "audit.history", AUDIT_READERS),
]
PUBLIC_ROUTES = [
    ("GET", "/sign-in", "auth.sign_in"),
    ("POST", "/sign-in", "auth.sign_in"),
    ("GET", "/health", "main.health"),
]


def test_every_endpoint_declares_who_may_use_it(app_ctx):
    undeclared = sorted(
        rule.endpoint
        for rule in app_ctx.url_map.iter_rules()
        if rule.endpoint != "static" and rule_for(rule.endpoint) is None
    )
    assert undeclared == [], f"routes with no @public, @signed_in or @roles: {undeclared}"


def test_the_table_below_covers_every_platform_route(app_ctx):
    """A platform route added without a row in PLATFORM_ROUTES or PUBLIC_ROUTES fails here."""
    in_map = {
        (method, rule.endpoint)
        for rule in app_ctx.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in PLATFORM_BLUEPRINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    in_tables = {(m, e) for m, _, e, _ in PLATFORM_ROUTES} | {(m, e) for m, _, e in PUBLIC_ROUTES}
    assert in_map == in_tables


@pytest.mark.parametrize(
    ("method", "url", "endpoint", "allowed"), PLATFORM_ROUTES, ids=[f"{m} {u}" for m, u, _, _ in PLATFORM_ROUTES]
)
def test_route_access_by_role(app, method, url, endpoint, allowed):
    target = make_user(app, Role.VIEWER)
    check_route_access(app, method, url.format(user=target.id), allowed)


@pytest.mark.parametrize(("method", "url", "endpoint"), PUBLIC_ROUTES)
def test_public_routes_need_no_sign_in(app, client, method, url, endpoint):
    response = client.open(url, method=method, data={})
    assert response.status_code in (200, 400)  # 400: the empty sign-in form is refused, not redirected
    assert "Location" not in response.headers
    with app.app_context():
        assert rule_for(endpoint).public


def test_rules_match_the_declared_roles(app_ctx):
    """The table's roles are the routes' own declarations (so the table is not merely self-consistent)."""
    for _method, _url, endpoint, allowed in PLATFORM_ROUTES:
        rule = rule_for(endpoint)
        assert not rule.public
        assert rule.roles == allowed, endpoint


@pytest.fixture
def throwaway_app(app):
    """A separate app instance (same test database) with routes that the shared app must never have."""
    other = create_app("test")
    bp = Blueprint("throwaway", __name__)

    @bp.route("/throwaway/undeclared")
    def undeclared():
        return "this must never be served"

    @bp.route("/throwaway/users/<int:user_id>")
    @signed_in
    def own_account(user_id: int):
        user = get_or_404(User, user_id)
        require(user.id == current_user.id or current_user.role == Role.MANAGER)
        return f"account of {user.name}"

    @bp.route("/throwaway/open")
    @public
    def open_page():
        return "open to all"

    @bp.route("/throwaway/managers")
    @roles(Role.MANAGER, [Role.ADMIN])
    def managers_only():
        return "managers and admins"

    other.register_blueprint(bp)
    yield other
    with other.app_context():
        from carertrack.extensions import db

        db.session.remove()
        db.engine.dispose()


def _signed_in_client(application, role):
    from tests.conftest import sign_in

    user = make_user(application, role)
    client = application.test_client()
    sign_in(client, user)
    return client, user


def test_a_route_without_a_declaration_is_refused_to_everyone(throwaway_app):
    anonymous = throwaway_app.test_client().get("/throwaway/undeclared")
    assert anonymous.status_code == 403
    assert "this must never be served" not in anonymous.get_data(as_text=True)
    client, _ = _signed_in_client(throwaway_app, Role.ADMIN)
    response = client.get("/throwaway/undeclared")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


def test_public_route_on_another_app_is_open(throwaway_app):
    assert throwaway_app.test_client().get("/throwaway/open").get_data(as_text=True) == "open to all"


def test_roles_accepts_roles_and_collections_of_roles(throwaway_app):
    check_route_access(throwaway_app, "GET", "/throwaway/managers", {Role.MANAGER, Role.ADMIN})


def test_record_level_rule_404_when_missing_403_when_not_theirs(throwaway_app):
    client, user = _signed_in_client(throwaway_app, Role.SOCIAL_WORKER)
    someone_else = make_user(throwaway_app, Role.SOCIAL_WORKER, name="Someone Else")

    own = client.get(f"/throwaway/users/{user.id}")
    assert own.status_code == 200
    assert own.get_data(as_text=True) == f"account of {user.name}"

    assert client.get(f"/throwaway/users/{someone_else.id}").status_code == 403
    missing = client.get("/throwaway/users/999999")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)

    manager_client, _ = _signed_in_client(throwaway_app, Role.MANAGER)
    assert manager_client.get(f"/throwaway/users/{someone_else.id}").status_code == 200
