"""Template globals and filters shared by every page."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from govuk_frontend_wtf.main import wtforms_errors

from carertrack import formatting
from carertrack.navigation import navigation_items


def form_error_summary(form: Any) -> dict:
    """The error summary's parameters: field errors linked to their fields, then form-level ones."""
    params = wtforms_errors(form)
    # Form-level errors come back keyed "" (WTForms 3.2+) or None (older): they are added below, once.
    items = [item for item in params["errorList"] if item.get("href") not in ("#", "#None")]
    for message in getattr(form, "form_errors", []) or []:
        items.insert(0, {"text": message, "href": "#main-content"})
    params["errorList"] = items
    return params


def url_with_page(page: int) -> str:
    """The current URL with its query string kept and the page number changed."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    """Register the globals and filters."""
    app.add_template_global(navigation_items)
    app.add_template_global(form_error_summary)
    app.add_template_global(url_with_page)
    app.add_template_filter(formatting.format_date, "date")
    app.add_template_filter(formatting.format_short_date, "short_date")
    app.add_template_filter(formatting.format_datetime, "datetime")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
