"""What the security suite checks on every response, and the database measures it compares around a request."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import String, func, select

from carertrack.extensions import db
from tests.conftest import sign_in
from tests.factories import UserInfo
from tests.security.payloads import MARKUP

# The demo accounts the suite signs in as (flask seed demo); others are left alone to be edited.
DEMO_PASSWORD = "carertrack-demo-2026"
SIGN_IN_AS = {
    "manager": "maria.jones@example.org",
    "panel_admin": "david.chen@example.org",
    "admin": "alex.morgan@example.org",
    "social_worker": "sam.okafor@example.org",
    "viewer": "ruth.evans@example.org",
}
SAFE_STATUSES = {200, 302, 303, 400, 403, 404, 405, 409, 413}
# A traceback, or a Python error's own words shown to a person instead of a message written for them.
_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|sqlalchemy\.exc|psycopg"
    r"|invalid literal for|could not convert|object has no attribute|NoneType"
)
_DATE_HINT = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def signed_in_client(app: Any, role: str, email: str | None = None) -> Any:
    """A test client signed in as the demo account for a role (or the given demo email)."""
    client = app.test_client()
    from carertrack.models.user import Role

    sign_in(client, UserInfo(0, email or SIGN_IN_AS[role], "", Role(role), DEMO_PASSWORD))
    return client


class Field:
    """One named control of a form: its kind, current value and (for choices) the values offered."""

    def __init__(self, name: str, kind: str, value: str, checked: bool = True) -> None:
        self.name, self.kind, self.value, self.checked = name, kind, value, checked
        self.options: list[str] = []

    @property
    def typed(self) -> bool:
        """A control a person types into (where any text can arrive)."""
        return self.kind in {"text", "textarea", "email", "password", "search", "tel", "number", "url", "date"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.form: dict[str, Any] | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []}
            self.forms.append(self.form)
        if self.form is None or not a.get("name") and tag != "option":
            return
        fields = self.form["fields"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            fields.append(Field(a["name"], kind, a.get("value", "on" if kind == "checkbox" else ""), "checked" in a))
        elif tag == "textarea":
            self.textarea = Field(a["name"], "textarea", "")
            fields.append(self.textarea)
        elif tag == "select":
            self.select = Field(a["name"], "select", "")
            fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a or len(self.select.options) == 1:
                self.select.value = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(html: str) -> list[dict[str, Any]]:
    """The page's POST forms (not the sign-out button in the header), each with its fields."""
    parser = _Parser()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post" and not f["action"].endswith("/sign-out")]


def date_fields(html: str) -> set[str]:
    """Ids of fields whose hint shows a date ("For example, 27/3/2026"): they must refuse impossible dates."""
    hints = re.findall(r'id="([\w-]+)-hint"[^>]*>(.*?)</div>', html, re.S)
    return {field for field, hint in hints if _DATE_HINT.search(hint)}


def baseline(form: dict[str, Any]) -> dict[str, list[str]]:
    """What submitting the form untouched would send (checked boxes and radios only)."""
    values: dict[str, list[str]] = {}
    for field in form["fields"]:
        if field.kind in {"checkbox", "radio"} and not field.checked:
            continue
        values.setdefault(field.name, []).append(field.value)
    return values


def assert_safe(response: Any, what: str, payloads: tuple[str, ...] = MARKUP) -> str:
    """A clear page, never a server error or a traceback, with no payload in it unescaped."""
    assert response.status_code in SAFE_STATUSES, f"{what}: status {response.status_code}"
    html = response.get_data(as_text=True)
    assert not _TRACEBACK.search(html), f"{what}: traceback text in the page"
    for payload in payloads:
        assert payload not in html, f"{what}: {payload!r} reached the page unescaped"
    return html


def shows_error(html: str) -> bool:
    """The page says what is wrong: an error summary, a field error or an error page."""
    return (
        "govuk-error-summary" in html
        or "govuk-error-message" in html
        or "govuk-notification-banner" in html
        or "<title>Error" in html
    )


def row_counts(app: Any) -> dict[str, int]:
    """Rows in every table, in one query (but sign-in attempts, which every sign-in records by design)."""
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name != "login_attempt"]
        counts = select(*[select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables])
        row = db.session.execute(counts).one()
        db.session.remove()
        return dict(zip([t.name for t in tables], row, strict=True))


def overlong_values(app: Any) -> list[str]:
    """Every stored string longer than its column allows (SQLite keeps them; PostgreSQL refuses them)."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String) and column.type.length:
                    too_long = select(func.count()).where(func.length(column) > column.type.length)
                    if db.session.scalar(too_long):
                        found.append(f"{table.name}.{column.name}")
        db.session.remove()
    return found
