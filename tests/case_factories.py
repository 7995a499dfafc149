"""Test data for cases: each builder opens its own app context and returns ids, never live ORM objects."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert

from carertrack.audit.recorder import acting_as
from carertrack.cases import services
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, Stage, compute_deadlines
from carertrack.models.case_records import CaseApplicant

_counter = itertools.count(1)


def make_case(
    app: Any,
    *,
    names: tuple[str, ...] = ("Alex Applicant",),
    checklist: bool = False,
    **fields: Any,
) -> int:
    """Create a case with the given columns (stage defaults to what its dates imply) and return its id."""
    n = next(_counter)
    fields.setdefault("reference", f"TEST-{n:05d}")
    fields.setdefault("carer_type", CarerType.MAINSTREAM)
    fields.setdefault("enquiry_date", date.today() - timedelta(days=30))
    fields.setdefault("postcode", "SW1A 2AA")
    with app.app_context(), acting_as("test setup"):
        case = Case(**fields)
        for position, name in enumerate(names, start=1):
            case.applicants.append(
                CaseApplicant(position=position, name=name, email=f"applicant{n}.{position}@example.org")
            )
        if "stage" not in fields:
            from carertrack.cases.rules import derived_stage

            case.stage = derived_stage(case, has_sessions=False, checks_started=False)
        db.session.add(case)
        db.session.flush()
        if checklist:
            services.sync_checklist(case)
        db.session.commit()
        return case.id


def bulk_cases(app: Any, count: int, **fields: Any) -> None:
    """Insert many cases and their applicants with two statements (for query-count tests)."""
    today = date.today()
    with app.app_context():
        start = next(_counter)
        rows = []
        for i in range(count):
            application = fields.get("application_date", today - timedelta(days=(i * 7) % 300))
            carer_type = CarerType.CONNECTED if i % 3 == 0 else CarerType.MAINSTREAM
            placement = today - timedelta(days=(i * 5) % 150) if carer_type == CarerType.CONNECTED else None
            eight, reg24 = compute_deadlines(carer_type, application, placement, None)
            row = {
                "reference": f"BULK-{start}-{i:05d}",
                "carer_type": carer_type,
                "stage": Stage.STAGE1,
                "enquiry_date": application - timedelta(days=30),
                "application_date": application,
                "placement_date": placement,
                "predicted_panel_date": today + timedelta(days=(i * 11) % 200) if i % 2 else None,
                "eight_month_deadline": eight,
                "reg24_deadline": reg24,
                "interest_siblings": False,
                "interest_teenagers": False,
                "interest_parent_and_child": False,
                "interest_short_breaks": False,
                "brief_report": False,
                "extension_pending_irm": False,
                "version": 1,
            }
            row.update({k: v for k, v in fields.items() if k != "application_date"})
            rows.append(row)
        db.session.execute(insert(Case), rows)
        ids = (
            db.session.execute(db.select(Case.id).where(Case.reference.like(f"BULK-{start}-%")).order_by(Case.id))
            .scalars()
            .all()
        )
        db.session.execute(
            insert(CaseApplicant),
            [{"case_id": case_id, "position": 1, "name": f"Bulk Applicant {case_id}", "version": 1} for case_id in ids],
        )
        db.session.commit()
