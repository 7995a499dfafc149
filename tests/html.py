"""Read what a person sees on a page: its title, error summary, banners, links and field values."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from tests.forms import page_forms

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def text_of(fragment: str) -> str:
    """Markup reduced to its visible text with spaces collapsed."""
    return _SPACE.sub(" ", html_lib.unescape(_TAGS.sub(" ", fragment))).strip()


def body(response: Any) -> str:
    """The response's HTML."""
    return response.get_data(as_text=True)


def page_text(response: Any) -> str:
    """All visible text of the page, spaces collapsed."""
    return text_of(body(response))


def title(response: Any) -> str:
    """The page's <title>."""
    match = re.search(r"<title>(.*?)</title>", body(response), re.S)
    assert match, "page has no <title>"
    return text_of(match.group(1))


def error_messages(response: Any) -> list[str]:
    """The messages listed in the error summary, in order (empty when there is no summary)."""
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', body(response), re.S)
    if not match:
        return []
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def error_summary(response: Any) -> str:
    """The error summary's messages as one string, or '' when there is none."""
    return " ".join(error_messages(response))


def field_error(response: Any, field_id: str) -> str:
    """The error message shown next to a field, without the hidden 'Error:' prefix, or ''."""
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">(.*?)</p>', body(response), re.S
    )
    if not match:
        match = re.search(
            rf'<p class="govuk-error-message" id="{re.escape(field_id)}-error">(.*?)</p>', body(response), re.S
        )
    return text_of(match.group(1)).removeprefix("Error:").strip() if match else ""


def banners(response: Any) -> list[str]:
    """The text of every notification banner (flash messages)."""
    return [
        text_of(b)
        for b in re.findall(r'<div class="govuk-notification-banner__content">(.*?)</div>', body(response), re.S)
    ]


def nav_links(response: Any) -> list[str]:
    """The service navigation's links, in order."""
    links = re.findall(r'<a class="govuk-service-navigation__link"[^>]*>(.*?)</a>', body(response), re.S)
    return [text_of(link) for link in links]


def field_value(response: Any, name: str) -> str | None:
    """The current value of a field in the page's forms (first match), or None when absent."""
    for form in page_forms(body(response)):
        for field_name, value in form["fields"]:
            if field_name == name:
                return value
    return None


def form_values(response: Any, field: str) -> dict[str, str]:
    """Every field of the first POST form holding `field`, as a browser would submit it."""
    for form in page_forms(body(response)):
        names = [name for name, _ in form["fields"]]
        if form["method"] == "post" and field in names:
            return dict(form["fields"])
    raise AssertionError(f"no POST form with a field named {field!r}")
