"""A household's "not compliant" DBS flag shows wherever the panel pages show it as an agenda item."""

from __future__ import annotations

from datetime import date, timedelta

from carertrack.dates import today
from carertrack.models.user import Role
from tests.factories import make_user
from tests.household_factories import make_household
from tests.html import page_text
from tests.panel_factories import book, make_meeting


def test_agenda_pages_flag_a_household_that_is_not_compliant(app, client, signed_in_as):
    worker = make_user(app, Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=10))
    missing = make_household(app, reference="FH-NODBS", worker_id=worker.id)  # the carer has no certificate
    current = make_household(app, reference="FH-GOOD", worker_id=worker.id, carer_dbs=today() - timedelta(days=30))
    missing_item = book(app, meeting_id, worker.id, household_id=missing)
    current_item = book(app, meeting_id, worker.id, household_id=current)

    signed_in_as(Role.PANEL_ADMIN)
    for url in (f"/panels/meetings/{meeting_id}", f"/panels/meetings/{meeting_id}/agenda"):
        text = page_text(client.get(url))
        assert text.count("Not compliant") == 1, url
        assert text.index("Not compliant") > text.index("FH-NODBS"), url
    assert "Not compliant" in page_text(client.get(f"/panels/items/{missing_item}"))
    assert "Not compliant" not in page_text(client.get(f"/panels/items/{current_item}"))


def test_the_flag_follows_the_household_on_lists_of_items(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    meeting_id = make_meeting(app, today() + timedelta(days=10))
    household_id = make_household(app, reference="FH-MINE", worker_id=worker.id, carer_dbs=date(2019, 1, 1))
    book(app, meeting_id, worker.id, household_id=household_id)
    text = page_text(client.get("/panels/my-items"))
    assert "FH-MINE" in text and "Not compliant" in text  # a 2019 certificate has expired
