"""The households blueprint and the save step every form page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from carertrack.concurrency import VersionedForm, commit_versioned

bp = Blueprint("households", __name__)


def save(form: VersionedForm, record: Any | None, change: Callable[[], Any]) -> bool:
    """Validate the form, refuse a lost update, make the change and commit; True when saved.

    `record` is the record being edited (its version is checked), or None when creating one.
    """
    return form.validate_on_submit() and commit_versioned(form, record, change)


def status_code(form: VersionedForm) -> int:
    """400 when the page shows errors, else 200."""
    return 400 if form.errors else 200
