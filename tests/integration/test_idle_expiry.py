"""Sessions end after 30 minutes without activity (a setting); every request counts as activity."""

from __future__ import annotations

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.base import utcnow
from carertrack.models.user import Role
from carertrack.settings import set_setting
from tests.html import banners


def idle_for(client, minutes: float) -> None:
    """Pretend the last request was this many minutes ago."""
    with client.session_transaction() as session:
        session["last_seen"] = int(utcnow().timestamp() - minutes * 60)


def last_seen(client) -> int:
    with client.session_transaction() as session:
        return session["last_seen"]


def test_thirty_one_idle_minutes_sign_you_out_with_a_message(client, signed_in_as):
    signed_in_as(Role.MANAGER)
    idle_for(client, 31)
    response = client.get("/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/audit")
    with client.session_transaction() as session:
        assert "_user_id" not in session
    page = client.get(response.headers["Location"])
    assert "You were signed out because you had not done anything for 30 minutes." in banners(page)
    assert client.get("/").status_code == 302


def test_idle_expiry_on_a_post_does_not_carry_it_out(client, signed_in_as):
    signed_in_as(Role.ADMIN)
    idle_for(client, 45)
    response = client.post("/admin/settings", data={"net_growth_target": "99"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"


def test_activity_keeps_the_session_alive(client, signed_in_as):
    signed_in_as(Role.SOCIAL_WORKER)
    idle_for(client, 29)
    before = utcnow().timestamp()
    assert client.get("/").status_code == 200
    assert last_seen(client) >= int(before), "the request counts as activity"
    # Another 29 idle minutes after that request: 58 since signing in, but never 30 idle.
    idle_for(client, 29)
    assert client.get("/account/password").status_code == 200


def test_the_setting_changes_the_limit(app, client, signed_in_as):
    with app.app_context(), acting_as("test setup"):
        set_setting("session_idle_minutes", 10)
        db.session.commit()
    signed_in_as(Role.VIEWER)
    idle_for(client, 9)
    assert client.get("/").status_code == 200
    idle_for(client, 11)
    response = client.get("/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "You were signed out because you had not done anything for 10 minutes." in banners(page)


def test_a_longer_setting_keeps_people_signed_in_longer(app, client, signed_in_as):
    with app.app_context(), acting_as("test setup"):
        set_setting("session_idle_minutes", 120)
        db.session.commit()
    signed_in_as(Role.VIEWER)
    idle_for(client, 90)
    assert client.get("/").status_code == 200


def test_anonymous_requests_get_no_session_cookie(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
