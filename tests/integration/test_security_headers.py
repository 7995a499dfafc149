"""Security headers on every page, and what production adds: HSTS and Secure cookies."""

from __future__ import annotations

import pytest

from carertrack import create_app
from carertrack.models.user import Role
from tests.factories import make_user
from tests.forms import submit


def csp_directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def check_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    directives = csp_directives(response)
    assert directives["default-src"] == "default-src 'self'"
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert response.headers["X-Frame-Options"] == "DENY"


ANONYMOUS_PAGES = [("/sign-in", 200), ("/health", 200), ("/", 302), ("/no-such-page", 404), ("/sign-out", 405)]
ADMIN_PAGES = [("/", 200), ("/admin/users", 200), ("/admin/users/new", 200), ("/admin/settings", 200), ("/audit", 200)]


@pytest.mark.parametrize(("url", "status"), ANONYMOUS_PAGES)
def test_headers_on_anonymous_responses(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    check_headers(response)


@pytest.mark.parametrize(("url", "status"), ADMIN_PAGES)
def test_headers_on_signed_in_pages(client, admin, url, status):
    response = client.get(url)
    assert response.status_code == status
    check_headers(response)
    assert response.headers["Cache-Control"] == "no-store", "case records must not sit in shared caches"


def test_headers_on_refusals(client, social_worker):
    response = client.get("/admin/users")
    assert response.status_code == 403
    check_headers(response)


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


def test_pages_have_no_inline_script_or_style(client, admin):
    """The CSP would block them; make sure the markup does not rely on any."""
    for url, _ in ADMIN_PAGES:
        page = client.get(url).get_data(as_text=True)
        assert " style=" not in page, url
        assert "<style" not in page, url
        for script in page.split("<script")[1:]:
            assert script.lstrip().startswith("src=") or ' src="' in script.split(">")[0], url
            assert script.split(">", 1)[1].startswith("</script"), f"inline script on {url}"


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def test_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = session_cookie(client.get("/sign-in"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie, "plain http in tests and development"


@pytest.fixture
def production_app(app, monkeypatch):
    """The production configuration, pointed at the test database."""
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    production = create_app("production")
    yield production
    with production.app_context():
        from carertrack.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_production_configuration(production_app):
    assert production_app.config["SECRET_KEY"] == "a-production-secret-for-this-test"
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert not production_app.testing
    assert not production_app.debug


def test_production_sends_hsts_and_secure_cookies(production_app):
    client = production_app.test_client()
    response = client.get("/sign-in", base_url="https://carertrack.example.gov.uk")
    assert response.status_code == 200
    check_headers(response)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = session_cookie(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_sign_in_works_over_https(app, production_app):
    user = make_user(app, Role.MANAGER, name="Prod Person")
    client = production_app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = submit(client, "/sign-in", {"email": user.email, "password": user.password})
    assert response.status_code == 302
    assert "Hello, Prod" in client.get("/").get_data(as_text=True)
    assert client.get("/health").headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_start_without_a_secret_key(app, monkeypatch):
    from config import ConfigurationError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    with pytest.raises(ConfigurationError, match="Production refuses to start without SECRET_KEY set."):
        create_app("production")


def test_production_refuses_demo_data(production_app):
    result = production_app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code != 0
    assert "Demo data is refused in production." in result.output
