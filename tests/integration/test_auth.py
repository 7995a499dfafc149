"""Signing in and out: no user enumeration, deactivated accounts refused, safe redirects."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from carertrack.auth.routes import SIGN_IN_FAILED
from carertrack.extensions import db
from carertrack.models.user import LoginAttempt, Role, User
from tests.factories import make_user
from tests.forms import page_forms, submit
from tests.html import banners, body, error_messages, title


def sign_in_with(client, email, password, next_url=None):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return submit(client, url, {"email": email, "password": password})


def is_signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_sign_in_form_fields_are_named_email_and_password(client):
    forms = [f for f in page_forms(body(client.get("/sign-in"))) if f["method"] == "post"]
    assert len(forms) == 1
    assert [name for name, _ in forms[0]["fields"]] == ["csrf_token", "email", "password"]


def test_successful_sign_in_goes_home_and_is_recorded(app, client):
    user = make_user(app, Role.MANAGER, name="Maria Jones")
    response = sign_in_with(client, user.email, user.password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Hello, Maria" in body(client.get("/"))
    with app.app_context():
        person = db.session.get(User, user.id)
        assert person.last_signed_in_at is not None
        attempts = db.session.scalars(select(LoginAttempt)).all()
        assert [(a.email, a.succeeded) for a in attempts] == [(user.email, True)]


def test_email_address_is_not_case_sensitive(app, client):
    user = make_user(app, Role.VIEWER, email="Pat.Smith@Example.org")
    response = sign_in_with(client, "  PAT.SMITH@example.ORG ", user.password)
    assert response.status_code == 302


def test_signed_in_person_visiting_sign_in_goes_home(client, social_worker):
    response = client.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_look_the_same(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    wrong_password = sign_in_with(client, user.email, "not-the-password")
    unknown_email = sign_in_with(client, "nobody@example.org", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert error_messages(wrong_password) == error_messages(unknown_email) == [SIGN_IN_FAILED]
    assert title(wrong_password) == title(unknown_email)
    assert title(wrong_password).startswith("Error: Sign in")
    assert not is_signed_in(client)


def test_a_failed_sign_in_does_not_echo_the_password(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    response = sign_in_with(client, user.email, "my-secret-guess-123")
    assert "my-secret-guess-123" not in body(response)


def test_deactivated_person_cannot_sign_in_and_is_told_the_same_thing(app, client):
    user = make_user(app, Role.SOCIAL_WORKER, active=False)
    response = sign_in_with(client, user.email, user.password)
    assert response.status_code == 400
    assert error_messages(response) == [SIGN_IN_FAILED]
    assert not is_signed_in(client)


def test_blank_sign_in_says_what_to_enter(client):
    response = sign_in_with(client, "", "")
    assert response.status_code == 400
    assert error_messages(response) == ["Enter your email address", "Enter your password"]


def test_deactivating_someone_ends_their_session(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    sign_in_with(client, user.email, user.password)
    assert is_signed_in(client)
    from carertrack.audit.recorder import acting_as

    with app.app_context(), acting_as("test setup"):
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_next_is_followed_for_a_local_path(app, client):
    user = make_user(app, Role.ADMIN)
    response = sign_in_with(client, user.email, user.password, next_url="/admin/users%3Fq%3Djo")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=jo"


def test_anonymous_person_is_sent_to_sign_in_and_back(app, client):
    user = make_user(app, Role.ADMIN)
    first = client.get("/admin/settings")
    assert first.status_code == 302
    sign_in_page = first.headers["Location"]
    assert sign_in_page.startswith("/sign-in?next=")
    assert "Sign in to use CarerTrack." in banners(client.get(sign_in_page))
    response = submit(client, sign_in_page, {"email": user.email, "password": user.password})
    assert response.headers["Location"] == "/admin/settings"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(app, client, target):
    user = make_user(app, Role.VIEWER)
    from urllib.parse import quote

    response = sign_in_with(client, user.email, user.password, next_url=quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def sign_out_form(client):
    page = client.get("/")
    forms = [f for f in page_forms(body(page)) if f["action"] == "/sign-out"]
    assert len(forms) == 1, "the header has one sign-out form"
    return dict(forms[0]["fields"])


def test_sign_out_signs_out_and_clears_the_session(client, social_worker):
    fields = sign_out_form(client)
    response = client.post("/sign-out", data=fields)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert "last_seen" not in session
    assert "You have signed out." in banners(client.get("/sign-in"))
    assert not is_signed_in(client)


def test_sign_out_is_post_only(client, social_worker):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert is_signed_in(client)


def test_sign_out_without_csrf_token_is_refused(client, social_worker):
    response = client.post("/sign-out", data={})
    assert response.status_code == 400
    assert "This page has expired" in body(response)
    assert is_signed_in(client)


def test_sign_in_starts_a_fresh_session(app, client):
    """Session fixation: whatever was in the session before signing in is dropped."""
    user = make_user(app, Role.VIEWER)
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in_with(client, user.email, user.password)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


@pytest.fixture
def hash_checks(monkeypatch):
    """Count password-hash checks wherever sign-in makes them."""
    import carertrack.auth.services as services
    import carertrack.models.user as user_model

    calls = []

    def counting(real):
        def check(pwhash, password):
            calls.append(pwhash)
            return real(pwhash, password)

        return check

    monkeypatch.setattr(user_model, "check_password_hash", counting(user_model.check_password_hash))
    monkeypatch.setattr(services, "check_password_hash", counting(services.check_password_hash))
    return calls


@pytest.mark.parametrize("case", ["right password", "wrong password", "unknown email", "deactivated"])
def test_every_sign_in_checks_exactly_one_password_hash(app, client, hash_checks, case):
    """So the time taken does not reveal whether an address has an account."""
    user = make_user(app, Role.SOCIAL_WORKER, active=case != "deactivated")
    email = "nobody@example.org" if case == "unknown email" else user.email
    password = "not-the-password" if case == "wrong password" else user.password
    sign_in_with(client, email, password)
    assert len(hash_checks) == 1
