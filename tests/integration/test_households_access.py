"""Who may use each household route: every route × role, record-level rules, 404 and 403."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.households import services
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import Household, ReviewOutcome
from carertrack.models.user import Role
from tests.access import check_route_access
from tests.forms import submit
from tests.household_factories import make_household, member_ids

EVERYONE = set(Role)
READ_ANY = {Role.MANAGER, Role.PANEL_ADMIN, Role.ADMIN, Role.VIEWER}
EDIT_ANY = {Role.MANAGER, Role.ADMIN}


@pytest.fixture
def records(app):
    """A household nobody supervises, with one of everything; returns the ids in a dict."""
    household_id = make_household(app)
    with app.app_context(), acting_as("test setup"):
        household = db.session.get(Household, household_id)
        carer = household.members[0]
        check = DbsCheck(
            member=carer, certificate_number="001234567890", issue_date=date(2024, 1, 1), update_service=True
        )
        db.session.add(check)
        review = services.record_review(household, date(2023, 4, 1), ReviewOutcome.CONTINUE, True, None)
        placement = services.record_placement(household, "C-1", date(2023, 1, 1), None)
        arrangement = services.start_staying_put(
            household, "YP-1", "Young Person", date(2006, 1, 1), date(2024, 1, 1), date(2027, 1, 1), True
        )
        db.session.commit()
        return {
            "h": household_id,
            "m": carer.id,
            "c": check.id,
            "r": review.id,
            "p": placement.id,
            "s": arrangement.id,
        }


GET_ROUTES = [
    ("/households", EVERYONE),
    ("/households/new", EDIT_ANY),
    ("/dbs-compliance", {Role.MANAGER}),
    ("/staying-put", EVERYONE),
    ("/households/{h}", READ_ANY),
    ("/households/{h}/edit", EDIT_ANY),
    ("/households/{h}/deregister", {Role.MANAGER}),
    ("/households/{h}/people/new", EDIT_ANY),
    ("/households/{h}/people/{m}", EDIT_ANY),
    ("/households/{h}/people/{m}/training", EDIT_ANY),
    ("/households/{h}/people/{m}/dbs/new", EDIT_ANY),
    ("/households/{h}/dbs/{c}", EDIT_ANY),
    ("/households/{h}/dbs/{c}/status-checks/new", EDIT_ANY),
    ("/households/{h}/reviews/new", EDIT_ANY),
    ("/households/{h}/reviews/{r}", EDIT_ANY),
    ("/households/{h}/placements/new", EDIT_ANY),
    ("/households/{h}/placements/{p}", EDIT_ANY),
    ("/households/{h}/staying-put/new", EDIT_ANY),
    ("/households/{h}/staying-put/{s}", EDIT_ANY),
]


@pytest.mark.parametrize(("url", "allowed"), GET_ROUTES, ids=[u for u, _ in GET_ROUTES])
def test_get_routes_by_role(app, records, url, allowed):
    # A fresh social worker does not supervise the household, so the record rule refuses them.
    check_route_access(app, "GET", url.format(**records), allowed)


POST_ROUTES = [
    ("/households/new", EDIT_ANY),
    ("/households/{h}/edit", EDIT_ANY),
    ("/households/{h}/deregister", {Role.MANAGER}),
    ("/households/{h}/deregister/withdraw", {Role.MANAGER}),
    ("/households/{h}/people/new", EDIT_ANY | {Role.SOCIAL_WORKER}),
    ("/households/{h}/people/{m}/dbs/new", EDIT_ANY | {Role.SOCIAL_WORKER}),
    ("/households/{h}/reviews/new", EDIT_ANY | {Role.SOCIAL_WORKER}),
    ("/households/{h}/placements/new", EDIT_ANY | {Role.SOCIAL_WORKER}),
    ("/households/{h}/staying-put/{s}", EDIT_ANY | {Role.SOCIAL_WORKER}),
]


@pytest.mark.parametrize(("url", "allowed"), POST_ROUTES, ids=[u for u, _ in POST_ROUTES])
def test_post_routes_by_role(app, records, url, allowed):
    # Route-level rule only: without a CSRF token an allowed role gets 400, never 403.
    check_route_access(app, "POST", url.format(**records), allowed)


def test_supervising_social_worker_reaches_their_household(app, client, signed_in_as, records):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    own = make_household(app, worker_id=worker.id)
    own_member = member_ids(app, own)[0]
    assert client.get(f"/households/{own}").status_code == 200
    assert client.get(f"/households/{own}/people/{own_member}/dbs/new").status_code == 200
    assert client.get(f"/households/{own}/reviews/new").status_code == 200
    assert client.get(f"/households/{own}/edit").status_code == 403  # details and terms: managers
    assert client.get(f"/households/{records['h']}").status_code == 403
    # A social worker posting to someone else's household is refused with the real form's token.
    page = client.get(f"/households/{own}/placements/new")
    assert page.status_code == 200
    refused = submit(client, f"/households/{own}/placements/new", {"child_reference": "C-9", "start_date": "1/1/2024"})
    assert refused.status_code == 302
    token_response = client.post(
        f"/households/{records['h']}/placements/new",
        data={"csrf_token": _token(client, f"/households/{own}/placements/new"), "child_reference": "C-9"},
    )
    assert token_response.status_code == 403


def _token(client, url):
    from tests.forms import page_forms

    forms = page_forms(client.get(url).get_data(as_text=True))
    return next(value for form in forms for name, value in form["fields"] if name == "csrf_token")


def test_social_worker_list_shows_only_their_households(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    make_household(app, reference="MINE-1", worker_id=worker.id)
    make_household(app, reference="THEIRS-1")
    html = client.get("/households").get_data(as_text=True)
    assert "MINE-1" in html
    assert "THEIRS-1" not in html


def test_missing_records_are_404(app, client, signed_in_as, records):
    signed_in_as(Role.MANAGER)
    assert client.get("/households/999999").status_code == 404
    other = make_household(app)
    other_member = member_ids(app, other)[0]
    # A record that exists but belongs to another household is not found through this one.
    assert client.get(f"/households/{records['h']}/people/{other_member}").status_code == 404
    assert client.get(f"/households/{records['h']}/reviews/999999").status_code == 404


def test_deregistered_household_is_read_only_except_to_admins(app, client, signed_in_as):
    gone = make_household(app, deregistration_date=today() - timedelta(days=1))
    member = member_ids(app, gone)[0]
    signed_in_as(Role.MANAGER)
    assert client.get(f"/households/{gone}").status_code == 200
    assert client.get(f"/households/{gone}/people/{member}").status_code == 403
    assert client.get(f"/households/{gone}/edit").status_code == 403
    assert client.get(f"/households/{gone}/deregister").status_code == 403
    html = client.get(f"/households/{gone}").get_data(as_text=True)
    assert "Record a DBS certificate" not in html
    assert "read-only" in html


def test_admin_may_correct_a_deregistered_household(app, client, signed_in_as):
    gone = make_household(app, deregistration_date=today() - timedelta(days=1))
    member = member_ids(app, gone)[0]
    signed_in_as(Role.ADMIN)
    assert client.get(f"/households/{gone}/people/{member}").status_code == 200
    assert client.get(f"/households/{gone}/edit").status_code == 200
    assert client.get(f"/households/{gone}/deregister").status_code == 403  # managers only


def test_a_pending_deregistration_leaves_the_household_editable(app, client, signed_in_as):
    leaving = make_household(app, deregistration_date=today() + timedelta(days=10))
    member = member_ids(app, leaving)[0]
    signed_in_as(Role.MANAGER)
    assert client.get(f"/households/{leaving}/people/{member}").status_code == 200
