"""Administrators create accounts, change names and roles, deactivate and reactivate, and set passwords.

Every change is audited with old and new values, and never with a password or its hash.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from carertrack.audit.recorder import REDACTED, acting_as
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.user import Role, User
from tests.conftest import sign_in
from tests.factories import UserInfo, make_user
from tests.forms import page_forms, submit
from tests.html import banners, body, error_messages, field_error, field_value, form_values, title

GOOD_PASSWORD = "copper-kettle-orchard-swim-41"
NEW_USER = {
    "name": "Priya Shah",
    "email": "Priya.Shah@Example.org",
    "role": "social_worker",
    "new_password": GOOD_PASSWORD,
    "confirm_password": GOOD_PASSWORD,
}


def events_for(app, user_id: int) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "User", AuditEvent.entity_id == str(user_id))
            .order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return events


def get_user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def all_audit_text(app) -> str:
    with app.app_context():
        return json.dumps([e.changes for e in db.session.scalars(select(AuditEvent))])


def can_sign_in(app, email: str, password: str) -> bool:
    response = submit(app.test_client(), "/sign-in", {"email": email, "password": password})
    return response.status_code == 302


# Creating accounts


def test_admin_creates_an_account(app, client, admin):
    response = submit(client, "/admin/users/new", NEW_USER)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    listing = client.get("/admin/users")
    assert "Account created for Priya Shah." in " ".join(banners(listing))
    assert "priya.shah@example.org" in body(listing)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "priya.shah@example.org"))
        assert (user.name, user.role, user.active, user.created_by_id) == (
            "Priya Shah",
            Role.SOCIAL_WORKER,
            True,
            admin.id,
        )
        user_id = user.id
    assert can_sign_in(app, "priya.shah@example.org", GOOD_PASSWORD)

    [created] = events_for(app, user_id)
    assert (created.action, created.actor_id, created.actor_label) == ("create", admin.id, admin.name)
    assert created.changes["name"] == [None, "Priya Shah"]
    assert created.changes["role"] == [None, "social_worker"]
    assert created.changes["password_hash"] == [None, REDACTED]
    assert "scrypt" not in all_audit_text(app)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the person's full name"),
        ({"email": ""}, "email", "Enter the person's email address"),
        (
            {"email": "priya.example.org"},
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ),
        ({"email": "priya@"}, "email", "Enter an email address in the correct format, like name@example.org"),
        ({"role": None}, "role", "Select the person's role"),
        ({"role": "superuser"}, "role", "Not a valid choice."),
        ({"new_password": "", "confirm_password": ""}, "new_password", "Enter a new password"),
        (
            {"new_password": "short-one", "confirm_password": "short-one"},
            "new_password",
            "Password must be 12 characters or more",
        ),
        (
            {"new_password": "password1234", "confirm_password": "password1234"},
            "new_password",
            "Password is too common or easy to guess. Try three or four random words together",
        ),
        (
            {"new_password": "priyashah2024", "confirm_password": "priyashah2024"},
            "new_password",
            "Password must not include the person's name or email address",
        ),
        ({"confirm_password": ""}, "confirm_password", "Confirm your new password"),
        ({"confirm_password": GOOD_PASSWORD + "x"}, "confirm_password", "The passwords do not match"),
        ({"name": "x" * 121}, "name", "Full name must be 120 characters or fewer"),
    ],
)
def test_new_account_validation(app, client, admin, changes, field, message):
    values = {**form_values(client.get("/admin/users/new"), "name"), **NEW_USER, **changes}
    values = {key: value for key, value in values.items() if value is not None}  # None: not answered
    response = client.post("/admin/users/new", data=values)
    assert response.status_code == 400
    assert message in error_messages(response)
    assert field_error(response, field) == message
    assert title(response).startswith("Error: Create an account – CarerTrack")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1, "only the signed-in admin exists"


def test_new_account_keeps_what_was_typed_except_passwords(client, admin):
    response = submit(client, "/admin/users/new", {**NEW_USER, "confirm_password": "different-words-here-9"})
    assert response.status_code == 400
    assert field_value(response, "name") == "Priya Shah"
    assert field_value(response, "email") == "Priya.Shah@example.org"  # the domain is normalised
    assert field_value(response, "new_password") == ""


def test_duplicate_email_is_refused_whatever_its_case(app, client, admin):
    make_user(app, Role.MANAGER, email="jo.bloggs@example.org")
    response = submit(client, "/admin/users/new", {**NEW_USER, "email": "JO.Bloggs@example.org "})
    assert response.status_code == 400
    assert field_error(response, "email") == "An account with this email address already exists"
    with app.app_context():
        assert len(db.session.scalars(select(User).where(User.email.ilike("jo.bloggs@example.org"))).all()) == 1


def test_user_list_searches_by_name_and_email(app, client, admin):
    make_user(app, Role.MANAGER, name="Aisha Begum", email="aisha@example.org")
    make_user(app, Role.VIEWER, name="Tom Evans", email="tom@example.org")
    page = body(client.get("/admin/users?q=begum"))
    assert "Aisha Begum" in page and "Tom Evans" not in page
    page = body(client.get("/admin/users?q=TOM@"))
    assert "Tom Evans" in page and "Aisha Begum" not in page
    assert "No accounts match" in body(client.get("/admin/users?q=nobody-at-all"))


# Editing name and role


def test_admin_changes_name_and_role_and_it_is_audited(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    response = submit(client, f"/admin/users/{person.id}", {"name": "Samuel Okafor", "role": "manager"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Samuel Okafor's details have been saved." in " ".join(banners(page))
    saved = get_user(app, person.id)
    assert (saved.name, saved.role) == ("Samuel Okafor", Role.MANAGER)

    update = events_for(app, person.id)[-1]
    assert update.action == "update"
    assert (update.actor_id, update.actor_label) == (admin.id, admin.name)
    assert update.changes == {"name": ["Sam Okafor", "Samuel Okafor"], "role": ["social_worker", "manager"]}


def test_edit_form_shows_current_values_and_validates(app, client, admin):
    person = make_user(app, Role.PANEL_ADMIN, name="Lee Chan")
    page = client.get(f"/admin/users/{person.id}")
    assert field_value(page, "name") == "Lee Chan"
    assert field_value(page, "role") == "panel_admin"
    response = submit(client, f"/admin/users/{person.id}", {"name": ""})
    assert response.status_code == 400
    assert error_messages(response) == ["Enter the person's full name"]
    assert get_user(app, person.id).name == "Lee Chan"


def test_editing_someone_who_does_not_exist_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/users/999999/password").status_code == 404


# Deactivating and reactivating


def press_status_button(client, user_id: int):
    """Press whichever of Deactivate or Reactivate the page offers, as a browser would (button value sent)."""
    forms = [f for f in page_forms(body(client.get(f"/admin/users/{user_id}"))) if f["action"].endswith("/status")]
    assert len(forms) == 1
    [button] = forms[0]["buttons"]
    return submit(client, f"/admin/users/{user_id}", form_index=1, button=button)


def test_deactivate_and_reactivate(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER, name="Kim Lowe")
    response = press_status_button(client, person.id)
    assert response.status_code == 302
    page = client.get(f"/admin/users/{person.id}")
    assert "Kim Lowe has been deactivated." in " ".join(banners(page))
    assert "Reactivate account" in body(page)
    assert get_user(app, person.id).active is False
    assert not can_sign_in(app, person.email, person.password)

    response = press_status_button(client, person.id)
    assert response.status_code == 302
    assert "Kim Lowe has been reactivated." in " ".join(banners(client.get(f"/admin/users/{person.id}")))
    assert get_user(app, person.id).active is True
    assert can_sign_in(app, person.email, person.password)

    changes = [e.changes for e in events_for(app, person.id) if e.action == "update"]
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]
    with app.app_context():
        assert db.session.get(User, person.id) is not None, "accounts are never deleted"


def test_the_only_active_admin_cannot_be_deactivated(app, client, admin):
    make_user(app, Role.ADMIN, active=False)  # a deactivated admin does not count
    response = press_status_button(client, admin.id)
    assert response.status_code == 302
    page = client.get(f"/admin/users/{admin.id}")
    assert "You cannot deactivate the only active administrator." in " ".join(banners(page))
    assert get_user(app, admin.id).active is True


def test_the_only_active_admin_cannot_lose_the_role(app, client, admin):
    response = submit(client, f"/admin/users/{admin.id}", {"role": "manager"})
    assert response.status_code == 400
    assert field_error(response, "role") == "You cannot change the role of the only active administrator."
    assert get_user(app, admin.id).role == Role.ADMIN


def test_with_another_active_admin_an_admin_can_step_down(app, client, admin):
    make_user(app, Role.ADMIN)
    response = submit(client, f"/admin/users/{admin.id}", {"role": "manager"})
    assert response.status_code == 302
    assert get_user(app, admin.id).role == Role.MANAGER
    assert client.get("/admin/users").status_code == 403, "the new role applies at once"


def test_status_change_without_the_form_changes_nothing(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER)
    response = client.post(f"/admin/users/{person.id}/status", data={"action": "deactivate"})
    assert response.status_code == 400  # no CSRF token: "This page has expired"
    assert "This page has expired" in body(response)
    assert get_user(app, person.id).active is True


# Passwords


def test_admin_sets_a_new_password(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER, name="Ola Nowak")
    old_hash = get_user(app, person.id).password_hash
    response = submit(
        client,
        f"/admin/users/{person.id}/password",
        {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert "A new password has been set for Ola Nowak." in " ".join(banners(client.get(response.headers["Location"])))
    assert can_sign_in(app, person.email, GOOD_PASSWORD)
    assert not can_sign_in(app, person.email, person.password)

    update = events_for(app, person.id)[-1]
    assert update.changes["password_hash"] == [REDACTED, REDACTED]
    audit = all_audit_text(app)
    assert old_hash not in audit
    assert get_user(app, person.id).password_hash not in audit
    assert GOOD_PASSWORD not in audit


def test_admin_set_password_follows_the_policy(app, client, admin):
    person = make_user(app, Role.SOCIAL_WORKER)
    response = submit(
        client,
        f"/admin/users/{person.id}/password",
        {"new_password": "qwerty123456", "confirm_password": "qwerty123456"},
    )
    assert response.status_code == 400
    assert field_error(response, "new_password").startswith("Password is too common")
    assert can_sign_in(app, person.email, person.password)


def change_own_password(client, current, new, confirm=None):
    return submit(
        client,
        "/account/password",
        {"current_password": current, "new_password": new, "confirm_password": new if confirm is None else confirm},
    )


@pytest.mark.parametrize("role", list(Role))
def test_everyone_changes_their_own_password(app, client, signed_in_as, role):
    me: UserInfo = signed_in_as(role)
    response = change_own_password(client, me.password, GOOD_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Your password has been changed." in " ".join(banners(client.get("/")))
    assert can_sign_in(app, me.email, GOOD_PASSWORD)
    assert not can_sign_in(app, me.email, me.password)
    update = events_for(app, me.id)[-1]
    assert (update.actor_id, update.changes) == (me.id, {"password_hash": [REDACTED, REDACTED]})


def test_own_password_needs_the_right_current_password(app, client, social_worker):
    response = change_own_password(client, "not my password at all", GOOD_PASSWORD)
    assert response.status_code == 400
    assert field_error(response, "current_password") == "Your current password is not correct"
    assert can_sign_in(app, social_worker.email, social_worker.password)


@pytest.mark.parametrize(
    ("new", "confirm", "field", "message"),
    [
        ("tiny", None, "new_password", "Password must be 12 characters or more"),
        (
            "iloveyou12345",
            None,
            "new_password",
            "Password is too common or easy to guess. Try three or four random words together",
        ),
        ("x" * 129, None, "new_password", "Password must be 128 characters or fewer"),
        (GOOD_PASSWORD, "something-else-entirely", "confirm_password", "The passwords do not match"),
        ("", "", "new_password", "Enter a new password"),
    ],
)
def test_own_password_policy(app, client, social_worker, new, confirm, field, message):
    response = change_own_password(client, social_worker.password, new, confirm)
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert title(response).startswith("Error: Change your password")
    assert can_sign_in(app, social_worker.email, social_worker.password)


def test_a_password_built_from_your_own_name_is_refused(app, client, signed_in_as):
    signed_in_as(Role.SOCIAL_WORKER, name="Gwendolyn Abernathy")
    response = change_own_password(client, "a-test-password-for-carertrack", "gwendolynabernathy1")
    assert response.status_code == 400
    assert field_error(response, "new_password") == "Password must not include the person's name or email address"


def test_account_changes_by_the_command_line_are_attributed(app):
    with app.app_context(), acting_as("command line (flask users create)"):
        from carertrack.admin.services import create_user

        user = create_user("cli.person@example.org", "Cli Person", Role.VIEWER, GOOD_PASSWORD)
        db.session.commit()
        user_id = user.id
    [created] = events_for(app, user_id)
    assert (created.actor_id, created.actor_label) == (None, "command line (flask users create)")


def test_signing_in_does_not_count_as_changing_the_record(app, client, admin):
    """An admin editing someone who signs in meanwhile is not told the record changed."""
    person = make_user(app, Role.SOCIAL_WORKER, name="Rae Dunn")
    page = client.get(f"/admin/users/{person.id}")
    sign_in(app.test_client(), person)
    values = {**form_values(page, "name"), "name": "Rae Dunne"}
    response = client.post(f"/admin/users/{person.id}", data=values)
    assert response.status_code == 302
    assert get_user(app, person.id).name == "Rae Dunne"
    assert get_user(app, person.id).last_signed_in_at is not None
