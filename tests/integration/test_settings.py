"""Local-practice settings: defaults, validation with clear messages, saving and auditing."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.setting import Setting
from carertrack.settings import SPECS, SPECS_BY_KEY, all_settings, get_setting, set_setting
from tests.forms import submit
from tests.html import banners, body, error_messages, field_error, field_value, page_text

REQUIRED_KEYS = {
    "lockout_threshold": 5,
    "lockout_window_minutes": 15,
    "lockout_minutes": 15,
    "session_idle_minutes": 30,
    "first_contact_working_days": 2,
    "at_risk_lead_days": 42,
    "short_clock_at_risk_days": 2,
    "dbs_renewal_years": 3,
    "dbs_due_soon_days": 90,
    "turning_18_window_months": 3,
    "review_due_soon_days": 42,
    "training_due_soon_days": 61,
    "papers_working_days": 5,
    "adm_working_days": 7,
    "panel_capacity": 6,
    "quorum_minimum": 5,
    "quorum_social_worker_years": 3,
    "net_growth_target": 20,
    "reminder_send_time": time(7, 0),
}


# The settings themselves


def test_platform_settings_exist_with_their_defaults(app_ctx):
    for key, default in REQUIRED_KEYS.items():
        assert get_setting(key) == default, key


def test_every_default_is_within_its_own_range(app_ctx):
    for spec in SPECS:
        assert spec.parse(spec.format(spec.default)) == spec.default, spec.key
    assert len(SPECS_BY_KEY) == len(SPECS), "keys are unique"


def test_a_stored_value_overrides_the_default(app_ctx):
    with acting_as("test setup"):
        set_setting("panel_capacity", 9)
        db.session.commit()
    assert get_setting("panel_capacity") == 9
    assert [changed for spec, _, changed in all_settings() if spec.key == "panel_capacity"] == [True]


def test_setting_the_default_stores_nothing(app_ctx):
    with acting_as("test setup"):
        set_setting("panel_capacity", 6)
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Setting)) == 0


def test_a_corrupt_stored_value_falls_back_to_the_default(app_ctx):
    with acting_as("test setup"):
        db.session.add(Setting(key="panel_capacity", value="many"))
        db.session.commit()
    assert get_setting("panel_capacity") == 6


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("panel_capacity", "six", "Enter panel capacity as a whole number"),
        ("panel_capacity", "6.5", "Enter panel capacity as a whole number"),
        ("panel_capacity", "0", "Panel capacity must be between 1 and 30 items"),
        ("panel_capacity", "31", "Panel capacity must be between 1 and 30 items"),
        ("lockout_threshold", "2", "Failed sign-ins before lock-out must be between 3 and 20"),
        ("session_idle_minutes", "-5", "Sign out after inactivity must be between 5 and 480 minutes"),
        ("reminder_send_time", "7am", "Enter daily reminder time as a 24-hour time, like 07:00"),
        ("reminder_send_time", "25:00", "Enter daily reminder time as a 24-hour time, like 07:00"),
        ("reminder_send_time", "07:60", "Enter daily reminder time as a 24-hour time, like 07:00"),
    ],
)
def test_parse_refuses_bad_values_with_a_clear_message(key, raw, message):
    with pytest.raises(ValueError) as raised:
        SPECS_BY_KEY[key].parse(raw)
    assert str(raised.value) == message


def test_messages_keep_acronyms_in_capitals():
    assert SPECS_BY_KEY["dbs_renewal_years"].phrase == "DBS renewal interval"
    assert SPECS_BY_KEY["panel_capacity"].phrase == "panel capacity"
    with pytest.raises(ValueError, match="^Enter DBS renewal interval as a whole number$"):
        SPECS_BY_KEY["dbs_renewal_years"].parse("three")


def test_parse_accepts_good_values():
    assert SPECS_BY_KEY["panel_capacity"].parse(" 12 ") == 12
    assert SPECS_BY_KEY["reminder_send_time"].parse("18:30") == time(18, 30)
    assert SPECS_BY_KEY["reminder_send_time"].format(time(6, 5)) == "06:05"


# The page


def test_settings_page_shows_every_setting_with_its_default(client, admin):
    page = client.get("/admin/settings")
    assert page.status_code == 200
    for spec in SPECS:
        assert field_value(page, spec.key) == spec.format(spec.default), spec.key
        assert spec.label in page_text(page)
    assert "Default: 5." in page_text(page)
    assert "Default: 07:00." in page_text(page)


def test_settings_page_saves_and_audits(app, client, admin):
    response = submit(client, "/admin/settings", {"net_growth_target": "25", "reminder_send_time": "06:30"})
    assert response.status_code == 302
    page = client.get("/admin/settings")
    assert banners(page) == ["Settings saved."]
    assert field_value(page, "net_growth_target") == "25"
    assert field_value(page, "reminder_send_time") == "06:30"
    with app.app_context():
        assert get_setting("net_growth_target") == 25
        assert get_setting("reminder_send_time") == time(6, 30)
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "Setting").order_by(AuditEvent.entity_id)
        ).all()
        assert [(e.entity_id, e.action, e.changes["value"], e.actor_id) for e in events] == [
            ("net_growth_target", "create", [None, "25"], admin.id),
            ("reminder_send_time", "create", [None, "06:30"], admin.id),
        ]
        assert db.session.scalar(select(func.count()).select_from(Setting)) == 2, "unchanged settings store nothing"


def test_changing_a_saved_setting_records_old_and_new(app, client, admin):
    submit(client, "/admin/settings", {"panel_capacity": "8"})
    submit(client, "/admin/settings", {"panel_capacity": "10"})
    with app.app_context():
        last = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == "panel_capacity").order_by(AuditEvent.id.desc())
        ).first()
        assert (last.action, last.changes) == ("update", {"value": ["8", "10"]})
    assert 'href="/audit?entity_type=Setting"' in body(client.get("/admin/settings"))


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("net_growth_target", "twenty", "Enter net growth target as a whole number"),
        ("panel_capacity", "99", "Panel capacity must be between 1 and 30 items"),
        ("lockout_minutes", "0", "Lock-out length must be between 1 and 1440 minutes"),
        ("reminder_send_time", "half seven", "Enter daily reminder time as a 24-hour time, like 07:00"),
        ("dbs_renewal_years", "", "Enter DBS renewal interval"),
    ],
)
def test_settings_page_validates_with_clear_messages(app, client, admin, key, raw, message):
    response = submit(
        client, "/admin/settings", {key: raw, "panel_capacity": "12"} if key != "panel_capacity" else {key: raw}
    )
    assert response.status_code == 400
    assert error_messages(response) == [message]
    assert field_error(response, key) == message
    assert field_value(response, key) == raw, "what they typed is kept"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Setting)) == 0, "nothing is saved"


def test_a_new_lockout_setting_takes_effect_at_once(app, client, admin):
    submit(client, "/admin/settings", {"session_idle_minutes": "5"})
    with client.session_transaction() as session:
        session["last_seen"] -= 6 * 60
    response = client.get("/admin/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
