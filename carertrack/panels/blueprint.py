"""The panels blueprint, who may use it, and the helpers its routes share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask_login import current_user

from carertrack.access import get_or_404, require
from carertrack.concurrency import VersionedForm, commit_versioned
from carertrack.extensions import db
from carertrack.models.panel import PanelMeeting
from carertrack.models.panel_agenda import AgendaItem
from carertrack.models.user import Role
from carertrack.panels import rules
from carertrack.panels.queries import sees_item
from carertrack.panels.services import PanelError

bp = Blueprint("panels", __name__, url_prefix="/panels")

# Panel administrators and managers run panel business; viewers read it; social workers see the
# calendar and the items they present (or whose case or household is theirs).
EDITORS = (Role.PANEL_ADMIN, Role.MANAGER)
READERS = (Role.PANEL_ADMIN, Role.MANAGER, Role.VIEWER)
CALENDAR_READERS = (*READERS, Role.SOCIAL_WORKER)


@bp.context_processor
def panel_words() -> dict[str, Any]:
    """The kind-specific words for recommendations and decisions, for the panel templates."""
    return {"recommendation_label": rules.recommendation_label, "decision_label": rules.decision_label}


def can_edit(user: Any) -> bool:
    """True when this person may change panel business."""
    return user.is_authenticated and user.role in EDITORS


def load_meeting(meeting_id: int) -> PanelMeeting:
    """The meeting, or 404."""
    return get_or_404(PanelMeeting, meeting_id)


def load_item(item_id: int) -> AgendaItem:
    """The item, or 404; 403 for a social worker it does not concern."""
    item = get_or_404(AgendaItem, item_id)
    require(sees_item(current_user, item))
    return item


def show_error(form: VersionedForm, error: PanelError) -> None:
    """Put a refusal on the field it concerns, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors), error.message]
    else:
        form.form_errors.append(error.message)


def save(form: VersionedForm, record: Any | None, change: Callable[[], Any]) -> bool:
    """Validate, refuse a lost update, make the change through a service and commit once; True when saved.

    `record` is the record being changed (its version is checked), or None when creating one.
    """
    if not form.validate_on_submit():
        return False
    try:
        return commit_versioned(form, record, change)
    except PanelError as error:
        db.session.rollback()
        show_error(form, error)
        return False


def status_code(form: VersionedForm) -> int:
    """400 when the page shows errors, else 200."""
    return 400 if form.errors or form.form_errors else 200
