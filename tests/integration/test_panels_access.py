"""Who may use each panel route, and what a social worker sees of other people's items."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    ItemConflict,
    QualifyingDetermination,
)
from carertrack.models.user import Role
from tests.access import check_route_access
from tests.conftest import sign_in
from tests.factories import make_user
from tests.html import page_text
from tests.panel_factories import book, make_case, make_meeting, make_members

EDITORS = {Role.PANEL_ADMIN, Role.MANAGER}
READERS = {Role.PANEL_ADMIN, Role.MANAGER, Role.VIEWER}
CALENDAR = {Role.PANEL_ADMIN, Role.MANAGER, Role.VIEWER, Role.SOCIAL_WORKER}


@pytest.fixture
def records(app):
    """A meeting with one item that has a conflict, a decision and a determination."""
    worker = make_user(app, Role.SOCIAL_WORKER)
    members = make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    case_id = make_case(app)
    item_id = book(app, meeting_id, worker.id, case_id=case_id)
    with app.app_context(), acting_as("test setup"):
        item = db.session.get(AgendaItem, item_id)
        conflict = ItemConflict(item=item, member_id=members["Ed Elected"], note="Neighbour")
        decision = AdmDecision(
            item=item, decision=Decision.NOT_APPROVED, decided_on=date(2026, 1, 5), decision_maker="D"
        )
        determination = QualifyingDetermination(decision=decision, kind=DeterminationKind.REFUSAL)
        db.session.add_all([conflict, decision, determination])
        db.session.commit()
        return {
            "meeting": meeting_id,
            "case": case_id,
            "item": item_id,
            "member": members["Ed Elected"],
            "conflict": conflict.id,
            "determination": determination.id,
        }


ROUTES = [
    ("GET", "/panels", CALENDAR),
    ("GET", "/panels/upcoming", CALENDAR),
    ("GET", "/panels/meetings/new", EDITORS),
    ("POST", "/panels/meetings/new", EDITORS),
    ("GET", "/panels/meetings/{meeting}", CALENDAR),
    ("GET", "/panels/meetings/{meeting}/edit", EDITORS),
    ("POST", "/panels/meetings/{meeting}/edit", EDITORS),
    ("GET", "/panels/meetings/{meeting}/cancel", EDITORS),
    ("POST", "/panels/meetings/{meeting}/cancel", EDITORS),
    ("GET", "/panels/meetings/{meeting}/expected", EDITORS),
    ("POST", "/panels/meetings/{meeting}/expected", EDITORS),
    ("GET", "/panels/meetings/{meeting}/attendance", EDITORS),
    ("POST", "/panels/meetings/{meeting}/attendance", EDITORS),
    ("GET", "/panels/meetings/{meeting}/agenda", READERS),
    ("GET", "/panels/book?case_id={case}", EDITORS),
    ("GET", "/panels/meetings/{meeting}/items/new", EDITORS),
    ("POST", "/panels/meetings/{meeting}/items/new", EDITORS),
    # Social workers reach only their own items: a stranger gets 403 (see the tests below).
    ("GET", "/panels/items/{item}", READERS),
    ("GET", "/panels/items/{item}/papers", EDITORS),
    ("POST", "/panels/items/{item}/papers", EDITORS),
    ("GET", "/panels/items/{item}/move", EDITORS),
    ("POST", "/panels/items/{item}/move", EDITORS),
    ("GET", "/panels/items/{item}/withdraw", EDITORS),
    ("POST", "/panels/items/{item}/withdraw", EDITORS),
    ("POST", "/panels/items/{item}/reorder", EDITORS),
    ("GET", "/panels/items/{item}/conflicts/new", EDITORS),
    ("POST", "/panels/items/{item}/conflicts/new", EDITORS),
    ("POST", "/panels/conflicts/{conflict}/remove", EDITORS),
    ("GET", "/panels/items/{item}/outcome", EDITORS),
    ("POST", "/panels/items/{item}/outcome", EDITORS),
    ("GET", "/panels/items/{item}/decision", EDITORS),
    ("POST", "/panels/items/{item}/decision", EDITORS),
    ("GET", "/panels/decisions-awaited", READERS),
    ("GET", "/panels/determinations", READERS),
    ("GET", "/panels/determinations/{determination}", EDITORS),
    ("POST", "/panels/determinations/{determination}", EDITORS),
    ("GET", "/panels/members", READERS),
    ("GET", "/panels/members/new", EDITORS),
    ("POST", "/panels/members/new", EDITORS),
    ("GET", "/panels/members/{member}", EDITORS),
    ("POST", "/panels/members/{member}", EDITORS),
    ("GET", "/panels/my-items", {Role.SOCIAL_WORKER}),
]


@pytest.mark.parametrize("method, url, allowed", ROUTES, ids=[f"{m} {u}" for m, u, _ in ROUTES])
def test_route_access(app, records, method, url, allowed):
    check_route_access(app, method, url.format(**records), allowed)


def _pattern(url: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "*", url.split("?")[0])


def test_every_panel_route_and_method_is_covered_here(app):
    covered = {(method, _pattern(url)) for method, url, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("panels."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, _pattern(rule.rule)) in covered, f"{method} {rule.rule} has no access test"


def test_a_social_worker_sees_only_their_own_items(app, client):
    mine = make_user(app, Role.SOCIAL_WORKER, name="Sally Mine")
    other = make_user(app, Role.SOCIAL_WORKER, name="Olly Other")
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    presented = book(app, meeting_id, mine.id, case_id=make_case(app, reference="C-PRESENTED"))
    allocated = book(app, meeting_id, other.id, case_id=make_case(app, reference="C-ALLOCATED", worker_id=mine.id))
    hidden = book(app, meeting_id, other.id, case_id=make_case(app, reference="C-HIDDEN", worker_id=other.id))
    sign_in(client, mine)
    page = page_text(client.get(f"/panels/meetings/{meeting_id}"))
    assert "C-PRESENTED" in page and "C-ALLOCATED" in page
    assert "C-HIDDEN" not in page
    assert "1 other item is on this agenda" in page
    assert "Attendance" not in page
    assert client.get(f"/panels/items/{presented}").status_code == 200
    assert client.get(f"/panels/items/{allocated}").status_code == 200
    assert client.get(f"/panels/items/{hidden}").status_code == 403
    listing = page_text(client.get("/panels/my-items"))
    assert "C-PRESENTED" in listing and "C-ALLOCATED" in listing and "C-HIDDEN" not in listing


def test_readers_see_no_editing_links(app, client, viewer, records):
    page = client.get(f"/panels/meetings/{records['meeting']}").get_data(as_text=True)
    assert "/items/new" not in page and "/edit" not in page and "Printable agenda" in page
    with app.app_context():
        assert db.session.scalar(select(AgendaItem.id)) == records["item"]
