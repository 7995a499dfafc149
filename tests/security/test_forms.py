"""Bad input on every form: each POST route in the URL map gets over-long text, markup, SQL, impossible
dates and out-of-range numbers in every field it shows, and invalid choices in every choice it offers.

Every response must be a re-shown form with an error, an error page or (where the text is acceptable) a
redirect; never a server error or a traceback; nothing stored when the form is refused; every payload
escaped wherever it is shown back; no stored value longer than its column.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carertrack.models.user import Role
from tests.security.payloads import DATES, EVERYTHING, LONG, SCRIPT, SHORT
from tests.security.support import (
    SIGN_IN_AS,
    assert_safe,
    baseline,
    date_fields,
    overlong_values,
    post_forms,
    row_counts,
    shows_error,
    signed_in_client,
)
from tests.security.targets import EXCLUDED, FORMS, candidate_urls, post_endpoints, role_for

SOCIAL_WORKERS = (
    "sam.okafor@example.org",
    "priya.shah@example.org",
    "tom.hughes@example.org",
    "grace.lewis@example.org",
)


def test_every_post_route_is_covered(app: Any) -> None:
    """A new POST route fails this until the suite fuzzes it or EXCLUDED says why not."""
    routes = post_endpoints(app)
    assert not routes - set(FORMS) - set(EXCLUDED), "POST routes the security suite does not cover"
    assert not (set(FORMS) | set(EXCLUDED)) - routes, "the security suite lists routes that no longer exist"
    assert not set(FORMS) & set(EXCLUDED)


def _path(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


def _open_form(app: Any, endpoint: str, client: Any = None) -> tuple[Any, str, str, dict[str, Any], str]:
    """A signed-in client (this one, if given) and the first page, of the records that fit, showing the form."""
    if client is not None:
        clients = [client]
    elif endpoint == "auth.sign_in":
        clients = [app.test_client()]
    else:
        role = role_for(app, endpoint)
        emails = SOCIAL_WORKERS if role == Role.SOCIAL_WORKER else (SIGN_IN_AS[role.value],)
        clients = [signed_in_client(app, role.value, email) for email in emails]
    for page, target in candidate_urls(app, endpoint):
        for candidate in clients:
            response = candidate.get(page)
            if response.status_code != 200:
                continue
            html = response.get_data(as_text=True)
            for form in post_forms(html):
                if _path(form["action"] or page) == _path(target):
                    return candidate, page, target, form, html
    pytest.fail(f"no demo record shows a form that posts to {endpoint}")


def _submit(app: Any, client: Any, endpoint: str, target: str, values: dict, payloads: tuple[str, ...]) -> Any:
    """Post the values and check the response and the database; returns the response."""
    before = row_counts(app)
    response = client.post(target, data=values)
    what = f"POST {endpoint} with {str(payloads)[:60]}"
    html = assert_safe(response, what)
    after = row_counts(app)
    if response.status_code == 200:
        assert shows_error(html), f"{what}: re-shown without saying what is wrong"
    if response.status_code != 302:
        changed = {t for t in after if after[t] != before[t]}
        assert not changed, f"{what}: refused, yet rows changed in {sorted(changed)}"
    else:
        assert_safe(client.get(response.headers["Location"]), f"{what}: the page it led to")
        assert not overlong_values(app), f"{what}: stored a value longer than its column"
    return response


def _fill(form: dict[str, Any], names: set[str], value: str) -> dict[str, list[str]]:
    values = baseline(form)
    for name in names:
        values[name] = [value]
    return values


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_refuses_or_escapes_bad_input(app: Any, endpoint: str) -> None:
    """Each short-list payload in every typed field at once, then an invalid value in every choice."""
    client, page, target, form, html = _open_form(app, endpoint)
    typed = {f.name for f in form["fields"] if f.typed}
    dates = typed & date_fields(html)
    for payload in SHORT:
        if not typed:
            break
        response = _submit(app, client, endpoint, target, _fill(form, typed, payload), (payload,))
        if response.status_code == 302:
            assert not (payload in DATES and dates), f"{endpoint} accepted the impossible date {payload!r}"
            client, page, target, form, html = _open_form(app, endpoint, client)
    choices = {f.name for f in form["fields"] if f.kind in {"select", "radio"}}
    if choices:
        response = _submit(app, client, endpoint, target, _fill(form, choices, SCRIPT), (SCRIPT,))
        assert response.status_code != 302, f"{endpoint} accepted an answer it never offered"
    if not typed and not choices:
        # A button with no fields: tampered hidden values (version, CSRF) must be refused cleanly.
        hidden = {f.name for f in form["fields"] if f.kind == "hidden" and f.name != "csrf_token"}
        if hidden:
            _submit(app, client, endpoint, target, _fill(form, hidden, LONG), (LONG,))
        _submit(app, client, endpoint, target, _fill(form, {"csrf_token"}, SCRIPT), (SCRIPT,))


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_survives_generated_input_in_one_field(app: Any, endpoint: str) -> None:
    """Hypothesis: one field at a time, the rest as the page filled them, with payloads and arbitrary text."""
    opened = list(_open_form(app, endpoint))
    names = sorted(f.name for f in opened[3]["fields"] if f.typed or f.kind in {"select", "radio", "hidden"})
    if not names:
        pytest.fail(f"{endpoint}'s form has no fields to fuzz")

    @settings(
        max_examples=5,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        name=st.sampled_from(names),
        value=st.one_of(st.sampled_from(EVERYTHING), st.text(max_size=300)),
    )
    def check(name: str, value: str) -> None:
        client, _page, target, form, _html = opened
        response = _submit(app, client, endpoint, target, _fill(form, {name}, value), (value,))
        if response.status_code == 302:
            opened[:] = _open_form(app, endpoint, client)

    check()
