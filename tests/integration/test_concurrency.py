"""Lost updates: a save against a record that changed since the form was opened is refused, keeping the typing."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from carertrack.audit.recorder import acting_as
from carertrack.concurrency import EditConflict, check_version, conflict_from_stale
from carertrack.extensions import db
from carertrack.formatting import format_datetime
from carertrack.models.audit import AuditEvent
from carertrack.models.user import Role, User
from carertrack.settings import get_setting
from tests.conftest import sign_in
from tests.factories import make_user
from tests.forms import page_forms, submit
from tests.html import body, error_messages, field_value, form_values, title


def admin_client(app, name):
    user = make_user(app, Role.ADMIN, name=name)
    client = app.test_client()
    sign_in(client, user)
    return client, user


def last_event_time(app, entity_type, entity_id=None):
    with app.app_context():
        statement = select(AuditEvent).where(AuditEvent.entity_type == entity_type)
        if entity_id is not None:
            statement = statement.where(AuditEvent.entity_id == str(entity_id))
        event = db.session.scalars(statement.order_by(AuditEvent.id.desc())).first()
        return format_datetime(event.occurred_at)


def test_second_save_is_refused_naming_who_and_when_and_keeps_the_typing(app):
    person = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    first, first_admin = admin_client(app, "Alex First")
    second, _ = admin_client(app, "Bea Second")
    url = f"/admin/users/{person.id}"

    # Both open the form.
    first_form = form_values(first.get(url), "name")
    second_form = form_values(second.get(url), "name")

    # The first saves.
    assert first.post(url, data={**first_form, "name": "Samuel Okafor"}).status_code == 302

    # The second's save is refused and keeps what they typed.
    refused = second.post(url, data={**second_form, "name": "Sam O'Kafor", "role": "manager"})
    assert refused.status_code == 400
    when = last_event_time(app, "User", person.id)
    assert error_messages(refused) == [
        f"This record was changed by {first_admin.name} at {when} since you opened it. "
        "Your changes have not been saved. Check the record and your answers below, then save again."
    ]
    assert title(refused).startswith("Error: ")
    assert field_value(refused, "name") == "Sam O'Kafor"
    assert field_value(refused, "role") == "manager"
    with app.app_context():
        saved = db.session.get(User, person.id)
        assert (saved.name, saved.role) == ("Samuel Okafor", Role.SOCIAL_WORKER)

    # Having seen the message, resubmitting the refused page saves.
    resubmitted = second.post(url, data=form_values(refused, "name"))
    assert resubmitted.status_code == 302
    with app.app_context():
        saved = db.session.get(User, person.id)
        assert (saved.name, saved.role) == ("Sam O'Kafor", Role.MANAGER)


def test_status_change_against_a_changed_record_is_refused(app):
    person = make_user(app, Role.SOCIAL_WORKER, name="Kim Lowe")
    first, first_admin = admin_client(app, "Alex First")
    second, _ = admin_client(app, "Bea Second")
    url = f"/admin/users/{person.id}"
    status_page = second.get(url)

    assert submit(first, url, {"name": "Kim Lowe-Smith"}).status_code == 302

    [status_form] = [f for f in page_forms(body(status_page)) if f["action"].endswith("/status")]
    response = second.post(f"{url}/status", data={**dict(status_form["fields"]), "action": "deactivate"})
    assert response.status_code == 302
    page = second.get(url)
    assert f"This record was changed by {first_admin.name}" in body(page)
    with app.app_context():
        assert db.session.get(User, person.id).active is True


def test_setting_a_password_against_a_changed_record_is_refused(app):
    person = make_user(app, Role.SOCIAL_WORKER)
    first, first_admin = admin_client(app, "Alex First")
    second, _ = admin_client(app, "Bea Second")
    opened = form_values(second.get(f"/admin/users/{person.id}/password"), "new_password")
    assert submit(first, f"/admin/users/{person.id}", {"name": "Renamed Person"}).status_code == 302
    password = "copper-kettle-orchard-swim-41"
    refused = second.post(
        f"/admin/users/{person.id}/password", data={**opened, "new_password": password, "confirm_password": password}
    )
    assert refused.status_code == 400
    assert error_messages(refused)[0].startswith(f"This record was changed by {first_admin.name} at ")


def test_settings_page_refuses_a_stale_save_naming_who_and_when(app):
    first, first_admin = admin_client(app, "Alex First")
    second, _ = admin_client(app, "Bea Second")
    first_form = form_values(first.get("/admin/settings"), "panel_capacity")
    second_form = form_values(second.get("/admin/settings"), "panel_capacity")

    assert first.post("/admin/settings", data={**first_form, "panel_capacity": "8"}).status_code == 302

    refused = second.post("/admin/settings", data={**second_form, "net_growth_target": "31"})
    assert refused.status_code == 400
    when = last_event_time(app, "Setting")
    assert error_messages(refused) == [
        f"The settings were changed by {first_admin.name} at {when} since you opened this page. "
        "Your changes have not been saved. Check the values below and save again."
    ]
    assert field_value(refused, "net_growth_target") == "31"
    assert field_value(refused, "panel_capacity") == "6", "the page keeps what they had, not the other save"
    with app.app_context():
        assert (get_setting("panel_capacity"), get_setting("net_growth_target")) == (8, 20)

    # They fix the value they had not meant to change back, and save again.
    resubmitted = second.post("/admin/settings", data={**form_values(refused, "panel_capacity"), "panel_capacity": "8"})
    assert resubmitted.status_code == 302
    with app.app_context():
        assert (get_setting("panel_capacity"), get_setting("net_growth_target")) == (8, 31)


def test_check_version(app_ctx):
    with acting_as("test setup"):
        user = User(email="v@example.org", name="Vee", role=Role.VIEWER, password_hash="x")
        db.session.add(user)
        db.session.commit()
    assert user.version == 1
    check_version(user, "1")
    check_version(user, 1)
    for stale in ("2", "0", "", None, "one", 2):
        with pytest.raises(EditConflict) as raised:
            check_version(user, stale)
        assert raised.value.current_version == 1
        assert raised.value.message.startswith("This record was changed by test setup at ")


def test_a_save_that_loses_the_race_at_flush_gives_the_same_message(app_ctx):
    """Between check_version and the UPDATE someone else saves: the version column catches it."""
    with acting_as("test setup"):
        user = User(email="race@example.org", name="Race", role=Role.VIEWER, password_hash="x")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    # Another transaction moves the version on.
    with db.engine.begin() as conn:
        conn.execute(
            text('UPDATE "user" SET version = version + 1, name = :n WHERE id = :i'), {"n": "Other", "i": user_id}
        )
    with acting_as("Second Person"):
        user.name = "Mine"
        with pytest.raises(StaleDataError):
            db.session.flush()
        conflict = conflict_from_stale(user)
    assert conflict.current_version == 2
    assert conflict.message.startswith("This record was changed by ")
    assert db.session.get(User, user_id).name == "Other"
