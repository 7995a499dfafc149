"""Who may see and change which household: the record-level rules, in one place.

- Managers see and change every household; social workers the households they supervise.
- Panel administrators, viewers and administrators read every household.
- Administrators may also change any household, and are the only people who may change a
  deregistered one (it is otherwise read-only).
- Household details and terms, and new households: managers and administrators.
- Deregistration: managers only.

Routes declare the roles with @roles; these functions then decide for the record, and
:func:`load_household` answers 404 when it does not exist and 403 when it is not theirs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from flask_login import current_user

from carertrack.access import get_or_404, require
from carertrack.compliance import HouseholdStatus, household_status
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.households.queries import WITH_PEOPLE
from carertrack.models.household import Household
from carertrack.models.user import Role

READERS = (Role.SOCIAL_WORKER, Role.MANAGER, Role.PANEL_ADMIN, Role.ADMIN, Role.VIEWER)
EDITORS = (Role.SOCIAL_WORKER, Role.MANAGER, Role.ADMIN)
DETAIL_EDITORS = (Role.MANAGER, Role.ADMIN)
DEREGISTERERS = (Role.MANAGER,)


def supervises(user: Any, household: Household) -> bool:
    """True when this person is the household's supervising social worker."""
    return household.supervising_worker_id is not None and household.supervising_worker_id == user.id


def _deregistered(household: Household, on: date | None) -> bool:
    return household_status(household, on or today()) is HouseholdStatus.DEREGISTERED


def can_view(user: Any, household: Household) -> bool:
    """Social workers reach the households they supervise; every other role reads them all."""
    if user.role is Role.SOCIAL_WORKER:
        return supervises(user, household)
    return user.role in READERS


def can_edit(user: Any, household: Household, on: date | None = None) -> bool:
    """May record members, DBS checks, reviews, training, placements and staying put here."""
    if user.role is Role.ADMIN:
        return True
    if _deregistered(household, on):
        return False
    if user.role is Role.MANAGER:
        return True
    return user.role is Role.SOCIAL_WORKER and supervises(user, household)


def can_edit_details(user: Any, household: Household, on: date | None = None) -> bool:
    """May change the household's details, terms of approval and supervising social worker."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.MANAGER and not _deregistered(household, on)


def can_deregister(user: Any, household: Household, on: date | None = None) -> bool:
    """May record (or withdraw) a deregistration: managers, while the household is still approved."""
    return user.role in DEREGISTERERS and not _deregistered(household, on)


def load_household(household_id: int, need: str = "view") -> Household:
    """The household, or 404; then 403 unless the signed-in person may `view`, `edit`, `details` or `deregister`."""
    # Members, their certificates and status checks in one batch each: the page shows them all.
    household = db.session.get(Household, household_id, options=WITH_PEOPLE)
    if household is None:
        abort(404)
    check = {"view": can_view, "edit": can_edit, "details": can_edit_details, "deregister": can_deregister}[need]
    require(check(current_user, household))
    return household


def load_child(model: type, record_id: int, household: Household) -> Any:
    """A record belonging to the household (member, review, placement...), or 404 if it belongs elsewhere."""
    record = get_or_404(model, record_id)
    owner = getattr(record, "household_id", None)
    if owner is None and hasattr(record, "member"):
        owner = record.member.household_id
    if owner != household.id:
        abort(404)
    return record
