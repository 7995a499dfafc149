"""GOV.UK-style error pages, CSRF on every form, and never a traceback."""

from __future__ import annotations

import pytest
from flask import Blueprint

from carertrack import create_app
from carertrack.access import public
from carertrack.models.user import Role
from tests.factories import make_user
from tests.forms import page_forms
from tests.html import body, page_text, title

EXPIRED = "This page has expired"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/sign-in", {"email": "someone@example.org", "password": "whatever-it-is"}),
        ("/account/password", {"current_password": "x", "new_password": "y", "confirm_password": "y"}),
        ("/admin/users/new", {"name": "N", "email": "n@example.org", "role": "admin"}),
        ("/admin/settings", {"panel_capacity": "9"}),
        ("/sign-out", {}),
    ],
)
def test_posting_without_a_csrf_token_gives_the_expired_page(client, admin, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert EXPIRED in page_text(response)
    assert title(response).startswith(f"{EXPIRED} – CarerTrack")


def test_a_wrong_csrf_token_is_refused_too(app, client):
    make_user(app, Role.VIEWER, email="v@example.org")
    response = client.post("/sign-in", data={"csrf_token": "forged", "email": "v@example.org", "password": "x"})
    assert response.status_code == 400
    assert EXPIRED in page_text(response)


def test_every_post_form_carries_a_csrf_token(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER)
    urls = [
        "/",
        "/account/password",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{person.id}",
        f"/admin/users/{person.id}/password",
        "/admin/settings",
        "/audit",
    ]
    seen = 0
    for url in urls:
        for form in page_forms(body(client.get(url))):
            if form["method"] == "post":
                seen += 1
                assert any(name == "csrf_token" and value for name, value in form["fields"]), f"{url} {form['action']}"
    assert seen >= 9


def test_403_page(client, social_worker):
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert title(response).startswith("You do not have permission to see this page – CarerTrack")
    assert "ask your team manager or a CarerTrack administrator" in page_text(response)
    assert 'class="govuk-heading-l"' in body(response)


def test_404_page(client, social_worker):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert title(response).startswith("Page not found – CarerTrack")
    assert "If you typed the web address, check it is correct." in page_text(response)


def test_404_page_for_anonymous_people(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert "Sign out" not in page_text(response)


def test_405_page(client, social_worker):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert title(response).startswith("Sorry, that action is not available here – CarerTrack")


@pytest.fixture
def failing_app(app):
    """A separate app instance whose route raises, as an unexpected bug would in production."""
    other = create_app("test")
    other.config["PROPAGATE_EXCEPTIONS"] = False
    bp = Blueprint("failing", __name__)

    @bp.route("/explode")
    @public
    def explode():
        raise RuntimeError("secret internal detail: password=hunter2")

    other.register_blueprint(bp)
    yield other
    with other.app_context():
        from carertrack.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_an_unhandled_error_gives_the_500_page_without_a_traceback(failing_app):
    response = failing_app.test_client().get("/explode")
    assert response.status_code == 500
    text = page_text(response)
    assert title(response).startswith("Sorry, there is a problem with the service – CarerTrack")
    assert "Try again later." in text
    assert "Traceback" not in text
    assert "secret internal detail" not in text
    assert "RuntimeError" not in text
    assert response.headers["Content-Security-Policy"]


def test_an_unhandled_error_is_logged(failing_app, caplog):
    with caplog.at_level("ERROR"):
        failing_app.test_client().get("/explode")
    assert any("Unhandled error" in record.getMessage() for record in caplog.records)


def test_health_reports_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_says_when_the_database_is_down(app, monkeypatch, tmp_path):
    monkeypatch.setenv("TEST_DATABASE_URL", f"sqlite:///{tmp_path / 'missing-folder' / 'nowhere.db'}")
    broken = create_app("test")
    response = broken.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    with broken.app_context():
        from carertrack.extensions import db

        db.session.remove()
        db.engine.dispose()
