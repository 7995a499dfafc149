"""Submit a page's real HTML form, as a person would: hidden fields (CSRF, version) included."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if not name:
                return
            if kind in {"submit", "button", "image"}:
                self._form["buttons"].append((name, a.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            if "selected" in a:
                self._form["fields"].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form["fields"].append((self._textarea, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str) -> list[dict[str, Any]]:
    """Every form on a page with its action, method, current field values and buttons."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def submit(
    client: Any,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    form_index: int | None = None,
    button: tuple[str, str] | None = None,
    follow_redirects: bool = False,
) -> Any:
    """GET the page, fill its POST form with `data` over the values already there, and submit it.

    The form chosen is `form_index`, or else the first POST form that has every field in `data`
    (or the last POST form on the page, skipping the sign-out form in the header).
    """
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} gave {page.status_code}"
    forms = [f for f in page_forms(page.get_data(as_text=True)) if f["method"] == "post"]
    forms = [f for f in forms if not f["action"].endswith("/sign-out")] or forms
    data = data or {}
    if form_index is not None:
        form = forms[form_index]
    else:
        names = set(data)
        matching = [f for f in forms if names <= {n for n, _ in f["fields"]} | {n for n, _ in f["buttons"]}]
        form = (matching or forms)[0]
    values: dict[str, Any] = {}
    for name, value in form["fields"]:
        values.setdefault(name, value)
    values.update(data)
    if button:
        values[button[0]] = button[1]
    action = form["action"] or url
    return client.post(action, data=values, follow_redirects=follow_redirects)
