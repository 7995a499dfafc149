"""Who may read and change a case. The routes declare the roles; these answer for one record.

Managers see and change every case. A social worker reaches the cases allocated to them and, before
a case is allocated, the enquiries they took or visited. Panel administrators read cases (they book
them onto panels) but change nothing here. Read-only (performance) users see the pipeline list and
reports, not case files. Administrators run accounts and settings, not casework.
"""

from __future__ import annotations

from typing import Any

from carertrack.models.case import Case
from carertrack.models.user import Role

# Roles that may use each kind of route (record-level rules below narrow social workers further).
CASE_READERS = (Role.SOCIAL_WORKER, Role.MANAGER, Role.PANEL_ADMIN)
CASE_EDITORS = (Role.SOCIAL_WORKER, Role.MANAGER)
PIPELINE_READERS = (Role.MANAGER, Role.PANEL_ADMIN, Role.VIEWER)
ALLOCATORS = (Role.MANAGER,)


def sees_every_case(user: Any) -> bool:
    """Managers and panel administrators read every case."""
    return user.role in (Role.MANAGER, Role.PANEL_ADMIN)


def is_social_workers_case(user: Any, case: Case) -> bool:
    """Allocated to them; or, before allocation, they took the enquiry or made the initial visit."""
    if user.role != Role.SOCIAL_WORKER:
        return False
    if case.allocated_worker_id is not None:
        return case.allocated_worker_id == user.id
    return user.id in (case.intake_worker_id, case.initial_visit_worker_id)


def can_view_case(user: Any, case: Case) -> bool:
    """True when this person may open the case."""
    return sees_every_case(user) or is_social_workers_case(user, case)


def can_edit_case(user: Any, case: Case) -> bool:
    """True when this person may record work on the case."""
    return user.role == Role.MANAGER or is_social_workers_case(user, case)


def can_allocate(user: Any) -> bool:
    """Only managers allocate and reallocate cases."""
    return user.role in ALLOCATORS
