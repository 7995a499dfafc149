"""Turning an item's link into a URL: relative on pages, absolute (from SERVER_BASE_URL) in emails."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import current_app, url_for

from carertrack.reminders.items import Link


def page_url(link: Link) -> str:
    """The link for a page in the current request."""
    return url_for(link.endpoint, _anchor=link.anchor, **dict(link.values))


def absolute_url(link: Link | str) -> str:
    """The full address for an email: the configured base URL plus the route's path (and anchor).

    Built from the URL map rather than the request, so it works in the scheduler where there is no
    request, and always names the public address rather than whatever host the job ran on.
    """
    base = urlsplit(current_app.config["SERVER_BASE_URL"])
    prefix = base.path.rstrip("/")
    adapter = current_app.url_map.bind(base.netloc or "localhost", script_name=prefix or "/", url_scheme=base.scheme)
    if isinstance(link, str):
        path, anchor = adapter.build(link, {}), None
    else:
        path, anchor = adapter.build(link.endpoint, dict(link.values)), link.anchor
    return urlunsplit((base.scheme or "https", base.netloc, path, "", anchor or ""))
