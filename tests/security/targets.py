"""Where the security suite finds each POST form: who submits it, and which records fill in its URL.

Every POST rule in `app.url_map` must appear in FORMS or in EXCLUDED (with the reason); the walk in
test_forms.py fails when a new one appears that neither lists.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import text

from carertrack.access import rule_for
from carertrack.extensions import db
from carertrack.models.user import Role

# Records that fill each URL's variables, as SQL giving the variables by name (the first rows are tried in turn).
_CASE = 'SELECT id AS case_id FROM "case" ORDER BY id'
_HOUSEHOLD = "SELECT id AS household_id FROM household ORDER BY deregistration_date IS NOT NULL, id"
_ITEM = "SELECT id AS item_id FROM agenda_item ORDER BY id DESC"
_MEETING = "SELECT id AS meeting_id FROM panel_meeting ORDER BY meeting_date DESC"
_ACTIVE_FIRST = "JOIN household h ON h.id = r.household_id ORDER BY h.deregistration_date IS NOT NULL, r.id"
_DBS = (
    "SELECT r.household_id, d.id AS check_id FROM dbs_check d JOIN household_member r ON r.id = d.member_id"
    " JOIN household h ON h.id = r.household_id ORDER BY h.deregistration_date IS NOT NULL, NOT d.update_service, d.id"
)
_HH_MEMBER = "SELECT r.household_id, r.id AS member_id FROM household_member r " + _ACTIVE_FIRST
# Accounts the suite never signs in as, so editing them cannot lock the suite out.
_OTHER_USER = (
    "SELECT id AS user_id FROM \"user\" WHERE email NOT IN ('maria.jones@example.org', 'david.chen@example.org',"
    " 'alex.morgan@example.org', 'sam.okafor@example.org', 'ruth.evans@example.org') ORDER BY id"
)

# endpoint -> SQL for its URL variables (None: the URL has none).
FORMS: dict[str, str | None] = {
    "auth.sign_in": None,
    "auth.change_password": None,
    "reminders.preferences": None,
    "reminders.retry": "SELECT id AS message_id FROM outbox_message ORDER BY id",
    "admin.settings": None,
    "admin.new_user": None,
    "admin.edit_user": _OTHER_USER,
    "admin.set_password": _OTHER_USER,
    "admin.change_status": _OTHER_USER,
    "cases.new_enquiry": None,
    "cases.allocate": _CASE,
    "cases.applicant": "SELECT case_id, position FROM case_applicant ORDER BY id",
    "cases.application": _CASE,
    "cases.brief_report": _CASE,
    "cases.check": "SELECT case_id, id AS check_id FROM stage1_check ORDER BY id",
    "cases.add_check": _CASE,
    "cases.close": _CASE,
    "cases.end_delay": "SELECT case_id, id AS delay_id FROM case_delay WHERE end_date IS NULL ORDER BY id",
    "cases.add_delay": _CASE,
    "cases.details": _CASE,
    "cases.extension": _CASE,
    "cases.first_contact": _CASE,
    "cases.initial_visit": _CASE,
    "cases.irm": _CASE,
    "cases.edit_member": "SELECT case_id, id AS member_id FROM case_member ORDER BY id",
    "cases.remove_member": "SELECT case_id, id AS member_id FROM case_member ORDER BY id DESC",
    "cases.add_member": _CASE,
    "cases.add_note": _CASE,
    "cases.placement": _CASE,
    "cases.predicted_panel_date": _CASE,
    "cases.add_session": _CASE,
    "cases.stage1_decision": _CASE,
    "cases.stage2": _CASE,
    "households.new": None,
    "households.edit": _HOUSEHOLD,
    "households.deregister": _HOUSEHOLD,
    "households.withdraw_deregistration": (
        "SELECT id AS household_id FROM household WHERE deregistration_date IS NOT NULL ORDER BY id"
    ),
    "households.edit_dbs_check": _DBS,
    "households.new_status_check": _DBS,
    "households.edit_member": _HH_MEMBER,
    "households.new_dbs_check": _HH_MEMBER,
    "households.training": _HH_MEMBER,
    "households.new_member": _HOUSEHOLD,
    "households.edit_placement": "SELECT r.household_id, r.id AS placement_id FROM placement r " + _ACTIVE_FIRST,
    "households.new_placement": _HOUSEHOLD,
    "households.edit_review": "SELECT r.household_id, r.id AS review_id FROM annual_review r " + _ACTIVE_FIRST,
    "households.new_review": _HOUSEHOLD,
    "households.edit_staying_put": "SELECT r.household_id, r.id AS arrangement_id FROM staying_put r " + _ACTIVE_FIRST,
    "households.new_staying_put": _HOUSEHOLD,
    "imports.upload": None,
    "panels.remove_conflict": "SELECT id AS conflict_id FROM agenda_item_conflict ORDER BY id",
    "panels.determination": "SELECT id AS determination_id FROM qualifying_determination ORDER BY id",
    "panels.new_conflict": _ITEM,
    "panels.decision": _ITEM,
    "panels.move": _ITEM,
    "panels.outcome": _ITEM,
    "panels.papers": _ITEM,
    "panels.reorder": _ITEM,
    "panels.withdraw": _ITEM,
    "panels.record_attendance": _MEETING,
    "panels.cancel_meeting": _MEETING,
    "panels.edit_meeting": _MEETING,
    "panels.expected_attendance": _MEETING,
    "panels.book_item": _MEETING,
    "panels.new_meeting": None,
    "panels.edit_member": "SELECT id AS member_id FROM panel_member ORDER BY id",
    "panels.new_member": None,
}

# POST-only routes: the page whose form posts to them, from the same URL variables.
FORM_PAGES: dict[str, Any] = {
    "reminders.retry": lambda v: url_for("reminders.outbox_message", **v),
    "admin.change_status": lambda v: url_for("admin.edit_user", **v),
    "cases.remove_member": lambda v: url_for("cases.edit_member", **v),
    "households.withdraw_deregistration": lambda v: url_for("households.view", **v),
    "panels.remove_conflict": lambda v: url_for("panels.item", item_id=_item_of_conflict(v["conflict_id"])),
    "panels.reorder": lambda v: url_for("panels.meeting", meeting_id=_meeting_of_item(v["item_id"])),
}

EXCLUDED: dict[str, str] = {
    "auth.sign_out": "takes no input; signing out is covered by tests/integration/test_auth.py",
    "imports.confirm": "confirms a stored upload by its token: covered by test_ids.py (unknown and other people's"
    " tokens) and the upload fuzzing here; the file's cells are fuzzed by tests/integration/test_import_*.py",
}

ROLE_PREFERENCE = (Role.MANAGER, Role.PANEL_ADMIN, Role.ADMIN, Role.SOCIAL_WORKER, Role.VIEWER)


def _item_of_conflict(conflict_id: int) -> int:
    return db.session.scalar(text("SELECT item_id FROM agenda_item_conflict WHERE id = :i"), {"i": conflict_id})


def _meeting_of_item(item_id: int) -> int:
    return db.session.scalar(text("SELECT meeting_id FROM agenda_item WHERE id = :i"), {"i": item_id})


def post_endpoints(app: Any) -> set[str]:
    """Every endpoint that accepts POST."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}


def role_for(app: Any, endpoint: str) -> Role:
    """The role the suite submits a form as: the first of ROLE_PREFERENCE its access rule allows."""
    with app.app_context():
        rule = rule_for(endpoint)
    assert rule is not None, f"{endpoint} declares no access rule"
    return next(role for role in ROLE_PREFERENCE if role in rule.roles)


def candidate_urls(app: Any, endpoint: str, limit: int = 40) -> list[tuple[str, str]]:
    """(page holding the form, URL the form posts to) for the first records that fit the URL."""
    sql = FORMS[endpoint]
    with app.test_request_context():
        rows = [{}] if sql is None else [dict(r._mapping) for r in db.session.execute(text(sql)).fetchmany(limit)]
        urls = []
        for values in rows:
            target = url_for(endpoint, **values)
            page = FORM_PAGES[endpoint](values) if endpoint in FORM_PAGES else target
            urls.append((page, target))
        db.session.remove()
    return urls
