"""The lists: open enquiries, My cases and the pipeline (filters, search, counts, pagination, query counts)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from carertrack.models.case import CarerType, ClosedReason, Stage
from carertrack.models.user import Role
from tests.case_factories import bulk_cases, make_case
from tests.conftest import sign_in
from tests.factories import make_user
from tests.queries import count_queries

TODAY = date.today()


def order_of(page: str, names: list[str]) -> list[str]:
    """The names in the order they appear on the page."""
    return sorted(names, key=lambda name: page.index(name))


def test_my_cases_lists_only_my_open_cases_most_urgent_first(app, client, social_worker):
    other = make_user(app, Role.SOCIAL_WORKER)
    mine = {"allocated_worker_id": social_worker.id, "allocated_date": TODAY}
    make_case(app, names=("On Track",), application_date=TODAY - timedelta(days=10), **mine)
    make_case(app, names=("Breached Later",), application_date=TODAY - timedelta(days=260), **mine)
    make_case(app, names=("Breached Sooner",), application_date=TODAY - timedelta(days=300), **mine)
    make_case(app, names=("At Risk",), application_date=TODAY - timedelta(days=230), **mine)
    make_case(
        app,
        names=("Closed One",),
        application_date=TODAY - timedelta(days=300),
        closed_date=TODAY,
        closed_reason=ClosedReason.AW1,
        **mine,
    )
    make_case(app, names=("Someone Elses",), application_date=TODAY - timedelta(days=300), allocated_worker_id=other.id)
    page = client.get("/cases/mine").get_data(as_text=True)
    assert "Closed One" not in page and "Someone Elses" not in page
    assert order_of(page, ["On Track", "Breached Later", "Breached Sooner", "At Risk"]) == [
        "Breached Sooner",
        "Breached Later",
        "At Risk",
        "On Track",
    ]
    assert "4 open cases" in page


def test_my_cases_empty_state(client, social_worker):
    assert "No cases are allocated to you at the moment." in client.get("/cases/mine").get_data(as_text=True)


def test_open_enquiries_show_first_contact_status(app, client, social_worker):
    make_case(app, names=("Waiting Long",), intake_worker_id=social_worker.id, enquiry_date=TODAY - timedelta(days=20))
    make_case(
        app,
        names=("Contacted",),
        intake_worker_id=social_worker.id,
        enquiry_date=TODAY - timedelta(days=30),
        first_contact_date=TODAY - timedelta(days=29),
    )
    make_case(app, names=("Applied",), intake_worker_id=social_worker.id, application_date=TODAY)
    make_case(app, names=("Not Mine",), enquiry_date=TODAY - timedelta(days=3))
    page = client.get("/cases/enquiries").get_data(as_text=True)
    assert "Applied" not in page and "Not Mine" not in page
    assert order_of(page, ["Contacted", "Waiting Long"]) == ["Waiting Long", "Contacted"]
    assert "Breached" in page and "days overdue" in page
    assert "Contacted " in page


def test_managers_see_every_open_enquiry(app, client, manager):
    make_case(app, names=("Unassigned Enquirer",), enquiry_date=TODAY)
    page = client.get("/cases/enquiries").get_data(as_text=True)
    assert "Unassigned Enquirer" in page and "Not assigned" in page


def test_enquiries_empty_state(client, social_worker):
    assert "There are no open enquiries assigned to you." in client.get("/cases/enquiries").get_data(as_text=True)


def pipeline_names(client, query: str = "") -> str:
    return client.get(f"/cases/pipeline{query}").get_data(as_text=True)


def test_pipeline_counts_per_stage_and_type(app, client, manager):
    make_case(app, enquiry_date=TODAY)
    make_case(app, carer_type=CarerType.CONNECTED, enquiry_date=TODAY)
    make_case(app, application_date=TODAY - timedelta(days=3))
    make_case(app, application_date=TODAY, closed_date=TODAY, closed_reason=ClosedReason.AW2)
    page = pipeline_names(client)
    enquiry_row = re.search(r'data-stage="enquiry".*?</tr>', page, re.S).group(0)
    assert re.findall(r">(\d+)</td>", enquiry_row) == ["1", "1", "2"]
    application_row = re.search(r'data-stage="application".*?</tr>', page, re.S).group(0)
    assert re.findall(r">(\d+)</td>", application_row) == ["1", "0", "1"]
    assert "3 matching cases" in page


def test_pipeline_filters_by_worker_type_stage_and_status(app, client, manager):
    sam = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    make_case(app, names=("Sams Case",), application_date=TODAY - timedelta(days=300), allocated_worker_id=sam.id)
    make_case(app, names=("Unallocated Case",), application_date=TODAY - timedelta(days=10))
    make_case(app, names=("Connected Case",), carer_type=CarerType.CONNECTED, enquiry_date=TODAY)
    make_case(app, names=("At Risk Case",), application_date=TODAY - timedelta(days=230))

    page = pipeline_names(client, f"?worker={sam.id}")
    assert "Sams Case" in page and "Unallocated Case" not in page
    page = pipeline_names(client, "?worker=none")
    assert "Sams Case" not in page and "Unallocated Case" in page
    page = pipeline_names(client, "?type=connected")
    assert "Connected Case" in page and "Sams Case" not in page
    page = pipeline_names(client, "?stage=enquiry")
    assert "Connected Case" in page and "Unallocated Case" not in page
    page = pipeline_names(client, "?status=breached")
    assert "Sams Case" in page and "At Risk Case" not in page and "Unallocated Case" not in page
    page = pipeline_names(client, "?status=at_risk")
    assert "At Risk Case" in page and "Sams Case" not in page
    page = pipeline_names(client, "?status=on_track")
    assert "Unallocated Case" in page and "At Risk Case" not in page
    page = pipeline_names(client, "?status=none")
    assert "Connected Case" in page and "Unallocated Case" not in page


def test_pipeline_search_by_name_reference_or_postcode(app, client, manager):
    make_case(app, names=("Morgan Blake", "Casey Blake"), reference="FC-2026-0777", postcode="LS1 4AP")
    make_case(app, names=("Other Person",), reference="FC-2026-0001", postcode="M1 1AE")
    for query in ("casey", "0777", "ls14ap", "LS1 4AP"):
        page = pipeline_names(client, f"?q={query}")
        assert "Morgan Blake and Casey Blake" in page, query
        assert "Other Person" not in page, query
    assert "No open cases match these filters." in pipeline_names(client, "?q=nobody-like-this")
    # LIKE wildcards are taken literally.
    assert "Other Person" not in pipeline_names(client, "?q=%25")


def test_pipeline_refuses_unknown_filter_values(client, manager):
    response = client.get("/cases/pipeline?stage=limbo&status=purple&type=robot&worker=abc")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "Select a stage from the list",
        "Select a clock status from the list",
        "Select a type of carer from the list",
        "Select a social worker from the list",
    ):
        assert message in page


def test_pipeline_paginates(app, client, manager):
    bulk_cases(app, 30)
    first = pipeline_names(client)
    assert "Showing 1 to 25 of 30." in first
    second = pipeline_names(client, "?page=2")
    assert "Showing 26 to 30 of 30." in second


def _requests_cost(app, client, url: str) -> int:
    with count_queries(app) as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_pipeline_and_my_cases_query_counts_do_not_grow_with_the_data(app):
    worker = make_user(app, Role.SOCIAL_WORKER)
    manager = make_user(app, Role.MANAGER)
    bulk_cases(app, 10, allocated_worker_id=worker.id)
    worker_client, manager_client = app.test_client(), app.test_client()
    sign_in(worker_client, worker)
    sign_in(manager_client, manager)
    small = {
        url: _requests_cost(app, c, url)
        for c, url in (
            (manager_client, "/cases/pipeline"),
            (worker_client, "/cases/mine"),
            (manager_client, "/cases/enquiries"),
        )
    }
    bulk_cases(app, 490, allocated_worker_id=worker.id)
    large = {
        url: _requests_cost(app, c, url)
        for c, url in (
            (manager_client, "/cases/pipeline"),
            (worker_client, "/cases/mine"),
            (manager_client, "/cases/enquiries"),
        )
    }
    assert all(small.values()) and small == large
    assert "Showing 1 to 25 of 500." in manager_client.get("/cases/pipeline").get_data(as_text=True)


def test_home_panels(app, client, signed_in_as):
    worker = signed_in_as(Role.SOCIAL_WORKER)
    make_case(
        app, names=("Urgent Household",), application_date=TODAY - timedelta(days=300), allocated_worker_id=worker.id
    )
    page = client.get("/").get_data(as_text=True)
    assert "Your most urgent cases" in page and "Urgent Household" in page
    client.post("/sign-out", data={})
    manager_client = app.test_client()
    sign_in(manager_client, make_user(app, Role.MANAGER))
    page = manager_client.get("/").get_data(as_text=True)
    assert "1 case breached" in page
    assert "enquir" in page


def test_stage_order_puts_enquiries_first(app, client, manager):
    make_case(
        app, names=("Ready Household",), application_date=TODAY - timedelta(days=100), stage=Stage.READY_FOR_PANEL
    )
    make_case(app, names=("Enquiry Household",), enquiry_date=TODAY)
    page = pipeline_names(client)
    assert order_of(page, ["Ready Household", "Enquiry Household"]) == ["Enquiry Household", "Ready Household"]
