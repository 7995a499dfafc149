"""The audit log: every write recorded in the same transaction, append-only, searchable by the right people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from carertrack.audit.recorder import AuditLogIsAppendOnly, UnattributedWrite, acting_as
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.base import utcnow
from carertrack.models.setting import Setting
from carertrack.models.user import Role, User
from tests.access import check_route_access
from tests.factories import make_user
from tests.forms import submit
from tests.html import body, error_messages, field_error, title


def setting_events(session):
    return session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Setting").order_by(AuditEvent.id)).all()


# Recording


def test_create_update_and_delete_each_write_an_event(app_ctx):
    before = utcnow()
    with acting_as("test run"):
        db.session.add(Setting(key="net_growth_target", value="25"))
        db.session.commit()
        db.session.get(Setting, "net_growth_target").value = "30"
        db.session.commit()
        db.session.delete(db.session.get(Setting, "net_growth_target"))
        db.session.commit()
    created, updated, deleted = setting_events(db.session)
    assert [e.action for e in (created, updated, deleted)] == ["create", "update", "delete"]
    assert {e.entity_id for e in (created, updated, deleted)} == {"net_growth_target"}
    assert {e.actor_label for e in (created, updated, deleted)} == {"test run"}
    assert created.changes["value"] == [None, "25"]
    assert updated.changes == {"value": ["25", "30"]}, "only what changed, never the version"
    assert deleted.changes["value"] == ["30", None]
    for event in (created, updated, deleted):
        moment = event.occurred_at if event.occurred_at.tzinfo else event.occurred_at.replace(tzinfo=UTC)
        assert before - timedelta(seconds=1) <= moment <= utcnow()


def test_an_update_that_changes_nothing_writes_nothing(app_ctx):
    with acting_as("test run"):
        db.session.add(Setting(key="panel_capacity", value="8"))
        db.session.commit()
        db.session.get(Setting, "panel_capacity").value = "8"
        db.session.commit()
    assert [e.action for e in setting_events(db.session)] == ["create"]


def test_events_are_written_in_the_same_transaction(app_ctx):
    with acting_as("test run"):
        db.session.add(Setting(key="panel_capacity", value="9"))
        db.session.flush()
        assert len(setting_events(db.session)) == 1, "visible inside the transaction"
        db.session.rollback()
    assert setting_events(db.session) == [], "rolled back with the change"
    assert db.session.get(Setting, "panel_capacity") is None


def test_a_write_with_nobody_to_attribute_it_to_is_refused(app_ctx):
    db.session.add(Setting(key="panel_capacity", value="7"))
    with pytest.raises(UnattributedWrite):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Setting, "panel_capacity") is None


def test_a_web_change_is_attributed_to_the_person_signed_in(app, client, admin):
    submit(client, "/admin/settings", {"panel_capacity": "8"})
    with app.app_context():
        [event] = setting_events(db.session)
        assert (event.actor_id, event.actor_label, event.entity_id) == (admin.id, admin.name, "panel_capacity")


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(app_ctx):
    with acting_as("test run"):
        db.session.add(Setting(key="panel_capacity", value="7"))
        db.session.commit()
    event = setting_events(db.session)[0]

    event.actor_label = "someone innocent"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    for statement in (
        update(AuditEvent).values(actor_label="x"),
        delete(AuditEvent),
        update(AuditEvent.__table__).values(actor_label="x"),
        delete(AuditEvent.__table__).where(AuditEvent.__table__.c.id == event.id),
    ):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()

    [still_there] = setting_events(db.session)
    assert still_there.actor_label == "test run"


def test_there_is_no_route_that_writes_to_the_audit_log(app_ctx):
    audit_routes = [r for r in app_ctx.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert audit_routes
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_routes)


# Reading: the search page and a record's history


def add_event(app, *, when, actor=None, entity_type="Case", entity_id="1", summary, parent=(None, None)):
    """An event at a chosen time, identified on the page by its unique summary."""
    with app.app_context():
        db.session.add(
            AuditEvent(
                occurred_at=when,
                actor_id=actor.id if actor else None,
                actor_label=actor.name if actor else "command line",
                action="update",
                entity_type=entity_type,
                entity_id=entity_id,
                parent_type=parent[0],
                parent_id=parent[1],
                summary=summary,
                changes={"status": ["enquiry", "allocated"]},
            )
        )
        db.session.commit()


def shown(response) -> set[str]:
    page = body(response)
    return {s for s in ("alpha-event", "bravo-event", "charlie-event", "delta-event") if s in page}


@pytest.fixture
def four_events(app):
    """Events on 10, 11 and 12 March 2026 (noon, London) by two people on two kinds of record."""
    ann = make_user(app, Role.SOCIAL_WORKER, name="Ann Archer")
    bob = make_user(app, Role.SOCIAL_WORKER, name="Bob Baker")
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    add_event(app, when=noon, actor=ann, summary="alpha-event", entity_id="7")
    add_event(app, when=noon + timedelta(days=1), actor=bob, summary="bravo-event", entity_id="8")
    add_event(
        app, when=noon + timedelta(days=2), actor=ann, summary="charlie-event", entity_type="Household", entity_id="7"
    )
    add_event(
        app,
        when=noon + timedelta(days=2, hours=1),
        actor=bob,
        summary="delta-event",
        entity_type="DbsCheck",
        entity_id="3",
        parent=("Case", "7"),
    )
    return ann, bob


def test_search_shows_everything_newest_first(client, manager, four_events):
    page = body(client.get("/audit"))
    assert (
        page.index("delta-event") < page.index("charlie-event") < page.index("bravo-event") < page.index("alpha-event")
    )
    assert "status" in page and "enquiry → allocated" in page


def test_search_by_person(client, manager, four_events):
    ann, bob = four_events
    assert shown(client.get(f"/audit?actor={ann.id}")) == {"alpha-event", "charlie-event"}
    assert shown(client.get(f"/audit?actor={bob.id}")) == {"bravo-event", "delta-event"}


def test_search_by_kind_of_record_includes_their_child_records(client, manager, four_events):
    assert shown(client.get("/audit?entity_type=Case")) == {"alpha-event", "bravo-event", "delta-event"}
    assert shown(client.get("/audit?entity_type=Household")) == {"charlie-event"}


def test_search_by_record(client, manager, four_events):
    assert shown(client.get("/audit?entity_type=Case&entity_id=7")) == {"alpha-event", "delta-event"}
    assert shown(client.get("/audit?entity_id=8")) == {"bravo-event"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2026-03-11", {"bravo-event", "charlie-event", "delta-event"}),
        ("date_from=11/3/2026", {"bravo-event", "charlie-event", "delta-event"}),
        ("date_to=2026-03-11", {"alpha-event", "bravo-event"}),
        ("date_to=11/03/2026", {"alpha-event", "bravo-event"}),
        ("date_from=11/3/2026&date_to=2026-03-11", {"bravo-event"}),
        ("date_from=1/1/2027", set()),
    ],
)
def test_search_by_date_range_in_uk_or_iso_dates(client, manager, four_events, query, expected):
    response = client.get(f"/audit?{query}")
    assert response.status_code == 200
    assert shown(response) == expected


def test_dates_are_london_days(app, client, manager):
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    add_event(app, when=datetime(2026, 5, 31, 23, 30, tzinfo=UTC), summary="alpha-event")
    assert shown(client.get("/audit?date_from=1/6/2026&date_to=1/6/2026")) == {"alpha-event"}
    assert shown(client.get("/audit?date_to=31/5/2026")) == set()


def test_filters_combine(client, manager, four_events):
    ann, _ = four_events
    assert shown(client.get(f"/audit?actor={ann.id}&date_from=2026-03-12")) == {"charlie-event"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=yesterday", "date_from", "From date must be a date like 2026-02-01 or 1/2/2026"),
        ("date_to=31/2/2026", "date_to", "To date must be a real date"),
        ("date_from=2026-13-01", "date_from", "From date must be a real date"),
        ("date_from=12/3/2026&date_to=10/3/2026", "date_to", "To date must be the same as or after the from date"),
        ("actor=bob", "actor", "Select a person from the list"),
    ],
)
def test_invalid_search_gives_a_clear_error_not_a_traceback(client, manager, four_events, query, field, message):
    response = client.get(f"/audit?{query}")
    assert response.status_code == 400
    assert error_messages(response) == [message]
    assert field_error(response, field) == message
    assert title(response).startswith("Error: Audit log – CarerTrack")
    assert shown(response) == set(), "no results under an error"


def test_search_keeps_what_was_typed(client, manager, four_events):
    page = body(client.get("/audit?entity_id=7&date_from=11%2F3%2F2026"))
    assert 'value="7"' in page
    assert 'value="11/3/2026"' in page


def test_history_of_a_record_includes_its_child_records(client, manager, four_events):
    response = client.get("/audit/Case/7")
    assert response.status_code == 200
    assert title(response).startswith("History of Case 7 – CarerTrack")
    assert shown(response) == {"alpha-event", "delta-event"}


def test_history_of_a_user_account(app, client, admin):
    person = make_user(app, Role.VIEWER, name="Vic Viewer")
    submit(client, f"/admin/users/{person.id}", {"name": "Victoria Viewer"})
    page = body(client.get(f"/audit/User/{person.id}"))
    assert "Vic Viewer → Victoria Viewer" in page
    assert admin.name in page and "test setup" in page
    assert "scrypt" not in page


def test_search_pages_many_results(app, client, manager):
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    with app.app_context():
        db.session.add_all(
            AuditEvent(
                occurred_at=start + timedelta(minutes=i),
                actor_label="bulk",
                action="create",
                entity_type="Case",
                entity_id=str(i),
                summary=f"case-{i:03d}",
                changes={},
            )
            for i in range(60)
        )
        db.session.commit()
    first = body(client.get("/audit?entity_type=Case"))
    assert "case-059" in first and "case-009" not in first
    assert "Showing 1 to 50 of 60." in first
    second = body(client.get("/audit?entity_type=Case&page=2"))
    assert "case-009" in second and "case-059" not in second


@pytest.mark.parametrize("url", ["/audit", "/audit/User/1"])
def test_only_managers_and_admins_read_the_log(app, url):
    check_route_access(app, "GET", url, {Role.MANAGER, Role.ADMIN})


def test_people_list_on_the_search_page_names_everyone(app, client, manager):
    make_user(app, Role.SOCIAL_WORKER, name="Deactivated Dee", active=False)
    with app.app_context():
        names = set(db.session.scalars(select(User.name)))
    page = body(client.get("/audit"))
    assert all(name in page for name in names)
