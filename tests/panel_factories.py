"""Test data builders for panels: each opens its own app context and returns ids, never ORM objects."""

from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, Stage
from carertrack.models.case_records import (
    CaseApplicant,
    CaseMember,
    CheckKind,
    CheckOutcome,
    MemberRelation,
    Stage1Check,
)
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelMeeting, PanelMember, PanelRole
from carertrack.models.panel_agenda import ItemKind
from carertrack.panels import services

_counter = itertools.count(1)

# A quorate panel: chair, a social worker with 10 years' experience, and three more.
QUORATE = (
    ("Chris Chair", PanelRole.CHAIR, None),
    ("Vera Vice", PanelRole.VICE_CHAIR, None),
    ("Sam Social", PanelRole.SOCIAL_WORKER, 10),
    ("Ian Independent", PanelRole.INDEPENDENT_MEMBER, None),
    ("Meg Medical", PanelRole.MEDICAL_ADVISER, None),
    ("Ed Elected", PanelRole.ELECTED_MEMBER, None),
)


def make_members(app: Any, people: tuple = QUORATE, start: date = date(2020, 1, 1)) -> dict[str, int]:
    """Panel members by name → id."""
    with app.app_context(), acting_as("test setup"):
        members = [
            PanelMember(name=name, role=role, experience_years=years, start_date=start, independent=True)
            for name, role, years in people
        ]
        db.session.add_all(members)
        db.session.commit()
        return {m.name: m.id for m in members}


def make_meeting(
    app: Any,
    meeting_date: date,
    *,
    capacity: int = 6,
    status: MeetingStatus = MeetingStatus.SCHEDULED,
    chair_id: int | None = None,
) -> int:
    """A meeting on a date, in person at the civic centre."""
    with app.app_context(), acting_as("test setup"):
        meeting = PanelMeeting(
            meeting_date=meeting_date,
            start_time=time(10, 0),
            online=False,
            venue="Civic Centre",
            capacity=capacity,
            status=status,
            chair_id=chair_id,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def make_case(
    app: Any,
    *,
    reference: str | None = None,
    worker_id: int | None = None,
    carer_type: CarerType = CarerType.MAINSTREAM,
    application_date: date = date(2025, 9, 1),
    applicants: tuple[tuple[str, date | None], ...] = (("Alex Applicant", date(1980, 3, 4)),),
    members: tuple[tuple[str, date | None, MemberRelation, bool], ...] = (),
    dbs_received: date | None = None,
) -> int:
    """A case ready for panel, with applicants, household members and (optionally) their Stage 1 DBS checks."""
    n = next(_counter)
    with app.app_context(), acting_as("test setup"):
        case = Case(
            reference=reference or f"C-{n:04d}",
            carer_type=carer_type,
            stage=Stage.READY_FOR_PANEL,
            enquiry_date=application_date,
            application_date=application_date,
            allocated_worker_id=worker_id,
            allocated_date=application_date if worker_id else None,
            address_line_1="1 High Street",
            town="Anytown",
            postcode="AB1 2CD",
        )
        for position, (name, dob) in enumerate(applicants, start=1):
            case.applicants.append(CaseApplicant(position=position, name=name, date_of_birth=dob))
        for name, dob, relation, lives in members:
            case.members.append(CaseMember(name=name, date_of_birth=dob, relation=relation, lives_there=lives))
        db.session.add(case)
        db.session.flush()
        if dbs_received is not None:
            for applicant in case.applicants:
                case.checks.append(
                    Stage1Check(
                        kind=CheckKind.DBS,
                        applicant_id=applicant.id,
                        subject=applicant.name,
                        requested_date=application_date,
                        received_date=dbs_received,
                        outcome=CheckOutcome.SATISFACTORY,
                    )
                )
            for member in case.members:
                case.checks.append(
                    Stage1Check(
                        kind=CheckKind.DBS,
                        member_id=member.id,
                        subject=member.name,
                        requested_date=application_date,
                        received_date=dbs_received,
                        outcome=CheckOutcome.SATISFACTORY,
                    )
                )
        db.session.commit()
        return case.id


def book(
    app: Any,
    meeting_id: int,
    presenter_id: int,
    *,
    case_id: int | None = None,
    household_id: int | None = None,
    kind: ItemKind | None = None,
    **values: Any,
) -> int:
    """Book a case (or a household) onto a meeting through the service; returns the item id."""
    with app.app_context(), acting_as("test setup"):
        meeting = db.session.get(PanelMeeting, meeting_id)
        item = services.book_item(
            meeting,
            services.BookingValues(
                kind=kind or (ItemKind.NEW_APPROVAL if case_id else ItemKind.OTHER_REVIEW),
                presenter_id=presenter_id,
                case=db.session.get(Case, case_id) if case_id else None,
                household=db.session.get(Household, household_id) if household_id else None,
                **values,
            ),
        )
        db.session.commit()
        return item.id
