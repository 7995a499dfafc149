"""Ids in addresses: unknown ids, ids no database integer holds, and other people's records.

Every route with an id in its address answers an unknown id with 404 and a number beyond any id with
404 (never a database error), on GET and on POST. A social worker reaching for another worker's case or
household is refused (403, or 404 per the record's rule) and nothing changes. An upload token that names no
upload of this person's (unknown, markup, a path) is 404.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import url_for
from sqlalchemy import text

from carertrack.extensions import db
from tests.security.payloads import HUGE_ID, SCRIPT, UNKNOWN_ID
from tests.security.support import assert_safe, row_counts, signed_in_client
from tests.security.targets import FORMS, role_for


def _rules_with_ids(app: Any) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    rules = []
    for rule in app.url_map.iter_rules():
        names = tuple(name for name, conv in rule._converters.items() if type(conv).__name__ == "IdConverter")
        if names:
            methods = tuple(sorted((rule.methods or set()) & {"GET", "POST"}))
            rules.append((rule.endpoint, names, methods))
    return sorted(rules)


def _csrf(client: Any) -> str:
    page = client.get("/account/password").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)" name="csrf_token"', page)
    if match is None:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the change-password page"
    return next(g for g in match.groups() if g)


def test_every_id_route_is_checked(app: Any) -> None:
    """The walk below found the routes (it would pass vacuously on none)."""
    assert len(_rules_with_ids(app)) > 50


@pytest.mark.parametrize("ident", [UNKNOWN_ID, HUGE_ID], ids=["unknown", "beyond-any-id"])
def test_unknown_and_impossible_ids_answer_404(app: Any, ident: int) -> None:
    """GET and POST on every route with an id, signed in as a role that may use it."""
    clients: dict[str, Any] = {}
    problems = []
    before = row_counts(app)
    for endpoint, names, methods in _rules_with_ids(app):
        role = role_for(app, endpoint).value
        client = clients.get(role) or clients.setdefault(role, signed_in_client(app, role))
        with app.test_request_context():
            url = url_for(endpoint, **dict.fromkeys(names, UNKNOWN_ID))
        url = url.replace(str(UNKNOWN_ID), str(ident))
        for method in methods:
            data = {"csrf_token": _csrf(client), "notes": SCRIPT} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert_safe(response, f"{method} {url}")
            if response.status_code != 404:
                problems.append(f"{method} {url}: {response.status_code}")
    assert not problems, "not 404 for an id no record has: " + "; ".join(problems)
    assert row_counts(app) == before


# A social worker's reach: records allocated to, or supervised by, another worker.
_OTHERS_CASES = (
    'SELECT id FROM "case" WHERE allocated_worker_id IS NOT NULL AND allocated_worker_id <> :me ORDER BY id LIMIT 1'
)
_OTHERS_HOUSEHOLDS = (
    "SELECT id FROM household WHERE supervising_worker_id IS NOT NULL AND supervising_worker_id <> :me"
    " AND deregistration_date IS NULL ORDER BY id LIMIT 1"
)


def _others_urls(app: Any, me: int) -> list[tuple[str, str]]:
    """(endpoint, url) for every case and household route a social worker may use, on another worker's record."""
    urls = []
    with app.test_request_context():
        case_id = db.session.scalar(text(_OTHERS_CASES), {"me": me})
        household_id = db.session.scalar(text(_OTHERS_HOUSEHOLDS), {"me": me})
        for endpoint, sql in sorted(FORMS.items()):
            if sql is None or not endpoint.startswith(("cases.", "households.")):
                continue
            key, record = ("case_id", case_id) if endpoint.startswith("cases.") else ("household_id", household_id)
            scoped = f"SELECT * FROM ({sql}) s WHERE s.{key} = :record"
            row = db.session.execute(text(scoped), {"record": record}).first()
            if row is not None:
                urls.append((endpoint, url_for(endpoint, **row._mapping)))
        urls.append(("cases.show", url_for("cases.show", case_id=case_id)))
        urls.append(("households.view", url_for("households.view", household_id=household_id)))
        db.session.remove()
    return urls


def test_social_worker_cannot_reach_other_workers_records(app: Any) -> None:
    """GET and POST on another worker's case and household records: refused, and nothing changes."""
    from carertrack.access import rule_for
    from carertrack.models.user import Role

    client = signed_in_client(app, "social_worker")
    with app.app_context():
        me = db.session.scalar(text("SELECT id FROM \"user\" WHERE email = 'sam.okafor@example.org'"))
    urls = _others_urls(app, me)
    assert len(urls) > 30, "too few of another worker's records found to test"
    before = row_counts(app)
    token = _csrf(client)
    problems = []
    for endpoint, url in urls:
        with app.app_context():
            rule = rule_for(endpoint)
        if Role.SOCIAL_WORKER not in rule.roles:
            continue  # refused by role already (tests/integration/test_*_access.py)
        for method in ("GET", "POST"):
            data = {"csrf_token": token, "notes": SCRIPT, "name": SCRIPT} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert_safe(response, f"{method} {url}")
            if response.status_code not in {403, 404, 405}:
                problems.append(f"{method} {url}: {response.status_code}")
    assert not problems, "another worker's record was not refused: " + "; ".join(problems)
    assert row_counts(app) == before


def test_upload_tokens_are_personal(app: Any) -> None:
    """Unknown, markup, path-like and over-long upload tokens: 404 (a NUL byte: 400)."""
    manager = signed_in_client(app, "manager")
    for token in ("0" * 32, SCRIPT, "../../etc/passwd", "x" * 5000, "a\x00b"):
        for method in ("GET", "POST"):
            data = {"csrf_token": _csrf(manager)} if method == "POST" else None
            with app.test_request_context():
                url = url_for("imports.preview", token=token)
            response = manager.open(url, method=method, data=data)
            assert_safe(response, f"{method} {url[:80]}")
            expected = 400 if "\x00" in token else 404  # a NUL byte is refused before any route runs
            assert response.status_code == expected, f"{method} import token {token[:20]!r}: {response.status_code}"
