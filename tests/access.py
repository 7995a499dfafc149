"""Table-driven access checks: anonymous people go to sign in, wrong roles get 403, right roles get in.

Use in every area's tests:

    @pytest.mark.parametrize("method,url_name,allowed", [...])
    def test_access(app, method, url_name, allowed): check_route_access(app, "GET", "/cases", {Role.MANAGER})
"""

from __future__ import annotations

from typing import Any

from carertrack.models.user import Role
from tests.factories import make_user


def _sign_in(app: Any, role: Role) -> Any:
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, make_user(app, role))
    return client


def check_route_access(
    app: Any, method: str, url: str, allowed: set[Role] | frozenset[Role], data: dict | None = None
) -> None:
    """Assert the route's access rule for anonymous people and for every role."""
    anonymous = app.test_client().open(url, method=method, data=data)
    assert anonymous.status_code == 302, f"{method} {url} anonymous gave {anonymous.status_code}"
    assert "/sign-in" in anonymous.headers["Location"], f"{method} {url} anonymous not sent to sign in"
    for role in Role:
        response = _sign_in(app, role).open(url, method=method, data=data)
        if role in allowed:
            assert response.status_code != 403, f"{method} {url} refused {role.value}"
            assert "/sign-in" not in response.headers.get("Location", ""), (
                f"{method} {url} sent {role.value} to sign in"
            )
        else:
            assert response.status_code == 403, f"{method} {url} gave {role.value} {response.status_code}, not 403"
