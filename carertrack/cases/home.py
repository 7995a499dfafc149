"""The case panels on the home page: a social worker's most urgent cases, a manager's breach counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from carertrack.cases import queries, rules
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.user import Role

URGENT_SHOWN = 5


def worker_applies(user: Any) -> bool:
    """Social workers see their most urgent cases."""
    return user.role == Role.SOCIAL_WORKER


def worker_context(user: Any) -> dict:
    """The social worker's five most urgent open cases and how many they have."""
    today = rules.today()
    settings = rules.ClockSettings.current()
    statement = queries.my_cases_statement(user, today, settings)
    cases = list(db.session.scalars(statement.limit(URGENT_SHOWN)))
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = [
        {
            "case": case,
            "applicants": rules.applicant_display(case),
            "status": rules.timescale_status(case, today, settings),
            "clocks": rules.case_clocks(case, today, settings),
        }
        for case in cases
    ]
    return {"rows": rows, "total": total}


def manager_applies(user: Any) -> bool:
    """Managers see the pipeline's breaches and risks."""
    return user.role == Role.MANAGER


def manager_context(user: Any) -> dict:
    """Open cases breached and at risk today, and enquiries still waiting for first contact."""
    today = rules.today()
    settings = rules.ClockSettings.current()
    counts = queries.breach_counts(today, settings)
    counts["awaiting_contact"] = db.session.scalar(
        select(func.count(Case.id)).where(queries.open_enquiry_condition(), Case.first_contact_date.is_(None))
    )
    return counts
