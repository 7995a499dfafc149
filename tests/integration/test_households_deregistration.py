"""A manager deregisters a household: reasons, the resignation date, pending and withdrawn endings."""

from __future__ import annotations

from datetime import date, timedelta

from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.household import DeregistrationReason, Household
from carertrack.models.user import Role
from tests.forms import page_forms, submit
from tests.household_factories import make_household


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def household(app, household_id):
    with app.app_context():
        h = db.session.get(Household, household_id)
        return h.deregistration_reason, h.deregistration_notice_date, h.deregistration_date


def test_resignation_takes_effect_28_days_after_notice(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    notice = today() - timedelta(days=3)
    response = submit(
        client, f"/households/{household_id}/deregister", {"reason": "resigned", "notice_date": uk(notice)}
    )
    assert response.status_code == 302
    assert household(app, household_id) == (DeregistrationReason.RESIGNED, notice, notice + timedelta(days=28))
    html = client.get(f"/households/{household_id}").get_data(as_text=True)
    assert "Approval ends on" in html
    assert "Withdraw the deregistration" in html
    # Still approved until the date: the supervising social worker can still record things.
    assert "Record a DBS certificate" in html


def test_resignation_with_a_different_typed_date_is_refused(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    response = submit(
        client,
        f"/households/{household_id}/deregister",
        {"reason": "resigned", "notice_date": "1/2/2026", "effective_date": "2/2/2026"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A resignation takes effect 28 days after notice is received, on 1 March 2026" in html
    assert household(app, household_id) == (None, None, None)


def test_other_endings_need_the_date_approval_ends(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app, approval_date=date(2022, 5, 1))
    url = f"/households/{household_id}/deregister"
    html = submit(client, url, {}).get_data(as_text=True)
    assert "Select why approval is ending" in html
    html = submit(client, url, {"reason": "resigned"}).get_data(as_text=True)
    assert "Enter the date written notice was received" in html
    html = submit(client, url, {"reason": "sgo"}).get_data(as_text=True)
    assert "Enter the date approval ends" in html
    html = submit(client, url, {"reason": "sgo", "effective_date": "1/5/2022"}).get_data(as_text=True)
    assert "Approval must end after the date of approval" in html

    ended = today() - timedelta(days=1)
    response = submit(client, url, {"reason": "sgo", "effective_date": uk(ended)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "was deregistered on" in html
    assert "Special guardianship order granted" in html
    assert household(app, household_id) == (DeregistrationReason.SGO, None, ended)
    # Now read-only: the manager is refused and the buttons are gone.
    assert "Deregister this household" not in html
    assert client.get(url).status_code == 403


def test_withdrawing_a_pending_deregistration(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    submit(
        client,
        f"/households/{household_id}/deregister",
        {"reason": "retired", "effective_date": uk(today() + timedelta(days=20))},
    )
    page = client.get(f"/households/{household_id}")

    form = next(f for f in page_forms(page.get_data(as_text=True)) if f["action"].endswith("/deregister/withdraw"))
    response = client.post(form["action"], data=dict(form["fields"]))
    assert response.status_code == 302
    assert household(app, household_id) == (None, None, None)


def test_deregistered_households_drop_out_of_compliance_and_show_in_the_list(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    gone = make_household(app, reference="GONE-1", deregistration_date=today() - timedelta(days=30))
    html = client.get("/households?status=deregistered").get_data(as_text=True)
    assert "GONE-1" in html and "Deregistered" in html
    html = client.get("/dbs-compliance").get_data(as_text=True)
    assert "GONE-1" not in html  # its carer has no DBS, but the household no longer counts
    assert gone


def test_notice_cannot_be_in_the_future_whatever_the_reason(app, client, signed_in_as):
    signed_in_as(Role.MANAGER)
    household_id = make_household(app)
    tomorrow = uk(today() + timedelta(days=1))
    response = submit(
        client,
        f"/households/{household_id}/deregister",
        {"reason": "retired", "notice_date": tomorrow, "effective_date": uk(today() + timedelta(days=30))},
    )
    assert "The date written notice was received must be today or in the past" in response.get_data(as_text=True)
