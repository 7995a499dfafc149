"""Every page's title, and the home page and navigation each role sees."""

from __future__ import annotations

import re

import pytest

from carertrack.models.user import ROLE_LABELS, Role
from tests.factories import make_user
from tests.forms import submit
from tests.html import banners, body, nav_links, page_text, title

SUFFIX = " – CarerTrack – Fostering service"


def test_the_organisation_comes_from_configuration(app):
    assert app.config["ORGANISATION_NAME"] == "Fostering service"


def check_title(response, expected_start: str) -> None:
    page_title = title(response)
    assert page_title.endswith(SUFFIX), page_title
    assert page_title.startswith(expected_start), page_title
    assert not page_title.startswith("Error: ") or expected_start.startswith("Error: ")


def test_anonymous_pages_have_titles(client):
    check_title(client.get("/sign-in"), "Sign in")
    check_title(client.get("/nowhere"), "Page not found")


def test_every_admin_page_has_a_title(app, client, admin):
    person = make_user(app, Role.VIEWER, name="Val Viewer")
    pages = {
        "/": "Home",
        "/account/password": "Change your password",
        "/admin/users": "Users",
        "/admin/users/new": "Create an account",
        f"/admin/users/{person.id}": "Val Viewer",
        f"/admin/users/{person.id}/password": "Set a new password for Val Viewer",
        "/admin/settings": "Settings",
        "/audit": "Audit log",
        f"/audit/User/{person.id}": f"History of User {person.id}",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        check_title(response, expected + " –")
        assert "<h1" in body(response), url


def test_every_error_page_has_a_title(client, social_worker):
    check_title(client.get("/admin/users"), "You do not have permission to see this page –")
    check_title(client.get("/missing"), "Page not found –")
    check_title(client.get("/sign-out"), "Sorry, that action is not available here –")
    check_title(client.post("/account/password", data={}), "This page has expired –")


@pytest.mark.parametrize(
    ("url", "data", "expected"),
    [
        ("/sign-in", {"email": "", "password": ""}, "Error: Sign in –"),
        ("/account/password", {"current_password": ""}, "Error: Change your password –"),
        ("/admin/users/new", {"name": ""}, "Error: Create an account –"),
        ("/admin/settings", {"panel_capacity": "lots"}, "Error: Settings –"),
    ],
)
def test_forms_with_errors_prefix_the_title(app, url, data, expected):
    from tests.conftest import sign_in

    client = app.test_client()
    if url != "/sign-in":
        sign_in(client, make_user(app, Role.ADMIN))
    response = submit(client, url, data)
    assert response.status_code == 400
    check_title(response, expected)
    assert 'class="govuk-error-summary"' in body(response)


def test_audit_search_with_errors_prefixes_the_title(client, manager):
    check_title(client.get("/audit?date_from=never"), "Error: Audit log –")


# Home page and navigation by role

NAV = {
    Role.ADMIN: ["Home", "Users", "Settings", "Audit log", "Your account"],
    Role.MANAGER: ["Home", "Audit log", "Your account"],
    Role.SOCIAL_WORKER: ["Home", "Your account"],
    Role.PANEL_ADMIN: ["Home", "Your account"],
    Role.VIEWER: ["Home", "Your account"],
}
PLATFORM_ACTIONS = {
    "Manage user accounts": {Role.ADMIN},
    "Change settings": {Role.ADMIN},
    "Read the audit log": {Role.ADMIN, Role.MANAGER},
    "Change your password": set(Role),
}


@pytest.mark.parametrize("role", list(Role))
def test_navigation_by_role(client, signed_in_as, role):
    signed_in_as(role)
    links = nav_links(client.get("/"))
    platform_links = [link for link in links if link in {"Home", "Users", "Settings", "Audit log", "Your account"}]
    assert platform_links == NAV[role]
    assert "Sign out" in page_text(client.get("/"))


@pytest.mark.parametrize("role", list(Role))
def test_home_page_actions_by_role(client, signed_in_as, role):
    signed_in_as(role, name="Jordan Reyes")
    page = client.get("/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Hello, Jordan" in text
    assert ROLE_LABELS[role] in text
    assert f"Signed in as Jordan Reyes ({ROLE_LABELS[role]})" in text
    for action, roles in PLATFORM_ACTIONS.items():
        assert (action in text) == (role in roles), f"{role.value}: {action}"


@pytest.mark.parametrize("role", list(Role))
def test_every_home_page_link_works_for_that_role(client, signed_in_as, role):
    signed_in_as(role)
    page = body(client.get("/"))
    main = page.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    nav = page.split("govuk-service-navigation", 1)[1].split("</nav>", 1)[0]
    links = set(re.findall(r'href="(/[^"#]*)"', main + nav))
    assert links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, f"{role.value} was offered {link} but got {response.status_code}"


def test_current_section_is_marked_in_the_navigation(client, admin):
    page = body(client.get("/admin/users/new"))
    active = re.findall(
        r'<li class="govuk-service-navigation__item govuk-service-navigation__item--active">\s*(.*?)</li>', page, re.S
    )
    assert len(active) == 1
    assert "Users" in active[0]


def test_flash_messages_show_as_notification_banners(client, social_worker):
    from tests.html import form_values

    response = client.post("/sign-out", data=form_values(client.get("/"), "csrf_token"))
    assert banners(client.get(response.headers["Location"])) == ["You have signed out."]


def test_the_header_names_the_service_without_gov_uk_branding(client):
    page = body(client.get("/sign-in"))
    assert "CarerTrack" in page
    assert "govuk-header__logotype" not in page
    assert "GOV.UK" not in page
    assert "crown" not in page.lower()


def test_postgresql_sessions_run_without_jit(app):
    """JIT compile time dwarfs the aggregate queries' run time at national size (docs/performance.md)."""
    from sqlalchemy import text

    from carertrack.extensions import db
    from tests.conftest import is_postgres

    with app.app_context():
        if is_postgres(app):
            assert db.session.execute(text("SHOW jit")).scalar() == "off"
        else:  # SQLite has no JIT, and must not be handed PostgreSQL's connection options
            assert "options" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
