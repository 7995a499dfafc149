"""The household pages render, for each role that may see them, with the data they should show."""

from __future__ import annotations

from datetime import date, timedelta

from carertrack.dates import today
from carertrack.models.household import Relationship
from carertrack.models.user import Role
from tests.household_factories import add_person, make_household


def test_household_page_shows_people_with_dbs_tags(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    now = today()
    household_id = make_household(app, worker_id=worker.id, carer_dbs=now - timedelta(days=400))
    add_person(app, household_id, "Ada Lodger", date(1990, 1, 1), Relationship.LODGER)
    response = client.get(f"/households/{household_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Jane Carer" in html and "Ada Lodger" in html
    assert "Not compliant" in html
    assert "No certificate recorded: needed now" in html


def test_list_compliance_and_staying_put_pages_render(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    make_household(app, carer_dbs=today() - timedelta(days=10))
    for url in ("/households", "/dbs-compliance", "/staying-put", "/", "/households/new"):
        response = client.get(url)
        assert response.status_code == 200, url
