"""Bad input in every query parameter of the list, search and report pages.

Filters, search text, page numbers, dates and years arrive from the address bar, so anything can be in
them: every page must answer with its page (an unknown filter ignored or explained), a 400 page or a 404,
never a server error, never a traceback, never the text unescaped; and reading a page stores nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from carertrack.extensions import db
from carertrack.reports.registry import REPORTS
from tests.security.payloads import EVERYTHING, MARKUP, SHORT
from tests.security.support import assert_safe, row_counts, signed_in_client

# (endpoint, its URL variables, who reads it, the query parameters it reads)
PAGES: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    ("auth.sign_in", {}, "anonymous", ("next",)),
    ("admin.users", {}, "admin", ("q", "page")),
    ("reminders.outbox_list", {}, "admin", ("status", "page")),
    ("audit.search", {}, "admin", ("actor", "entity_type", "entity_id", "date_from", "date_to", "page")),
    ("cases.pipeline", {}, "manager", ("q", "worker", "type", "stage", "status", "page")),
    ("cases.enquiries", {}, "manager", ("page",)),
    ("cases.my_cases", {}, "social_worker", ("page",)),
    ("panels.my_items", {}, "social_worker", ("page",)),
    ("households.index", {}, "manager", ("q", "type", "status", "compliance", "page")),
    ("households.compliance", {}, "manager", ("status",)),
    ("households.staying_put", {}, "manager", ("show",)),
    ("reports.dashboard", {}, "manager", ("as_of",)),
    ("panels.choose_meeting", {}, "panel_admin", ("case_id", "household_id")),
    *[
        (endpoint, {"name": name}, "viewer", ("as_of", "year"))
        for name in sorted(REPORTS)
        for endpoint in ("reports.show", "reports.download_csv", "reports.download_json")
    ],
]


def _client(app: Any, role: str) -> Any:
    return app.test_client() if role == "anonymous" else signed_in_client(app, role)


def _url(app: Any, endpoint: str, values: dict[str, Any], query: dict[str, str]) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values, **query)


def _check(client: Any, url: str, value: str) -> None:
    response = client.get(url)
    payloads = (value,) if value in MARKUP or "<" in value else MARKUP
    if response.mimetype != "text/html":
        # CSV and JSON are data, not markup: they must still never fail or carry a traceback.
        payloads = ()
    assert_safe(response, f"GET {url[:200]}", payloads)


@pytest.mark.parametrize(("endpoint", "values", "role", "params"), PAGES, ids=lambda p: str(p)[:40])
def test_query_parameters_refuse_or_escape_bad_input(
    app: Any, endpoint: str, values: dict, role: str, params: tuple[str, ...]
) -> None:
    """Each payload in each parameter in turn, then every parameter at once (CSV and JSON share the report
    page's reading of its parameters, so they get only the second)."""
    client = _client(app, role)
    before = row_counts(app)
    singles = () if endpoint.endswith(("_csv", "_json")) else params
    for payload in SHORT:
        for param in singles:
            _check(client, _url(app, endpoint, values, {param: payload}), payload)
        _check(client, _url(app, endpoint, values, dict.fromkeys(params, payload)), payload)
    assert row_counts(app) == before, f"reading {endpoint} stored something"


@pytest.mark.parametrize(
    ("endpoint", "values", "role", "params"), [p for p in PAGES if p[1] == {} or p[0] == "reports.show"]
)
def test_query_parameters_survive_generated_input(
    app: Any, endpoint: str, values: dict, role: str, params: tuple[str, ...]
) -> None:
    """Hypothesis: arbitrary text in any mix of the page's parameters."""
    client = _client(app, role)

    @settings(
        max_examples=4,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        query=st.dictionaries(st.sampled_from(params), st.one_of(st.sampled_from(EVERYTHING), st.text()), min_size=1)
    )
    def check(query: dict[str, str]) -> None:
        for value in query.values():
            _check(client, _url(app, endpoint, values, query), value)

    check()


def test_booking_prefill_refuses_bad_ids(app: Any) -> None:
    """The panel booking page reads the case or household to book from its address (from a case's page)."""
    with app.app_context():
        meeting_id = db.session.scalar(text("SELECT id FROM panel_meeting ORDER BY meeting_date DESC LIMIT 1"))
        db.session.remove()
    client = _client(app, "panel_admin")
    for payload in SHORT:
        for param in ("case_id", "household_id"):
            _check(client, _url(app, "panels.book_item", {"meeting_id": meeting_id}, {param: payload}), payload)
