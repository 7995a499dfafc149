"""Test support for reminders: a real SMTP server on loopback (aiosmtpd) and a small service whose
reminders on 11 September 2025 are worked out by hand below.

Builders open their own app context and return plain ids, never live ORM objects.
"""

from __future__ import annotations

import contextlib
import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case
from carertrack.models.case_records import CaseApplicant
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole, ReviewOutcome
from carertrack.models.household import CarerType as HouseholdType
from carertrack.models.reminder import ReminderPreference
from carertrack.models.user import Role
from tests.factories import make_user

BASE_URL = "https://carertrack.example.gov.uk"

# Thursday 11 September 2025 (not a Monday: no weekly summary).
AS_OF = date(2025, 9, 11)
MONDAY = date(2025, 9, 15)

# Personal data the service holds that no email may carry.
APPLICANT_DOB = date(1980, 4, 3)
CARER_DOB = date(1971, 5, 6)
CHILD_DOB = date(2007, 11, 20)
CERTIFICATE = "009876543210"
DELAY_REASON = "Bereavement in the applicants' family"


@dataclass
class Received:
    """One email the test SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        """The plain-text part."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        """The HTML part."""
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    @property
    def raw(self) -> str:
        """Every header and part, decoded, for scanning."""
        return str(self.message) + self.text + self.html


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        """The emails one address received."""
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def password_check(user: str, password: str) -> Any:
    """An aiosmtpd authenticator accepting only this user name and password (AUTH PLAIN or LOGIN)."""

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            user.encode(),
            password.encode(),
        )
        return AuthResult(success=good, handled=False)  # aiosmtpd sends the 235 or 535 reply

    return authenticate


@contextlib.contextmanager
def smtp_server(port: int | None = None, *, login: tuple[str, str] | None = None) -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 for the duration of the block; with `login`, it requires AUTH."""
    inbox = Inbox()
    auth: dict[str, Any] = {}
    if login is not None:
        # Loopback only, so AUTH without TLS is allowed here.
        auth = {"authenticator": password_check(*login), "auth_required": True, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port(), **auth)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@dataclass(frozen=True)
class Scenario:
    """The people and records of the small service."""

    worker: Any
    other_worker: Any
    manager: Any
    panel_admin: Any
    breached_case: int
    at_risk_case: int
    expired_household: int
    teenager_household: int


def make_case(app: Any, reference: str, application: date, worker_id: int | None, **fields: Any) -> int:
    """An assessment with two applicants (with dates of birth) allocated to a worker."""
    with app.app_context(), acting_as("test setup"):
        case = Case(
            reference=reference,
            carer_type=fields.pop("carer_type", CarerType.MAINSTREAM),
            application_date=application,
            allocated_worker_id=worker_id,
            allocated_date=application if worker_id else None,
            **fields,
        )
        case.applicants = [
            CaseApplicant(position=1, name="Jane Smith", date_of_birth=APPLICANT_DOB),
            CaseApplicant(position=2, name="Tom Smith", date_of_birth=date(1979, 12, 1)),
        ]
        db.session.add(case)
        db.session.commit()
        return case.id


def make_household(
    app: Any,
    reference: str,
    worker_id: int | None,
    *,
    approval: date = date(2020, 1, 1),
    carer: tuple[str, date] = ("Ann Carer", CARER_DOB),
    dbs_issued: date = date(2024, 1, 1),
    child: tuple[str, date] | None = None,
) -> int:
    """An approved household with one carer (training done, review up to date) and a DBS certificate."""
    with app.app_context(), acting_as("test setup"):
        household = Household(
            reference=reference,
            carer_type=HouseholdType.MAINSTREAM,
            approval_date=approval,
            supervising_worker_id=worker_id,
        )
        db.session.add(household)
        carer_member = HouseholdMember(
            household=household,
            name=carer[0],
            date_of_birth=carer[1],
            role=MemberRole.CARER,
            tsd_completed_date=approval,
        )
        db.session.add(carer_member)
        db.session.add(DbsCheck(member=carer_member, certificate_number=CERTIFICATE, issue_date=dbs_issued))
        if child is not None:
            db.session.add(
                HouseholdMember(
                    household=household, name=child[0], date_of_birth=child[1], role=MemberRole.CHILD_MEMBER
                )
            )
        if approval < date(2025, 1, 1):
            db.session.add(
                AnnualReview(household=household, completed_date=date(2025, 1, 1), outcome=ReviewOutcome.CONTINUE)
            )
        db.session.commit()
        return household.id


def build_scenario(app: Any) -> Scenario:
    """The service on 11 September 2025, and what each person should hear about:

    - Sam (social worker): FC-A's 8 months breached (deadline 10 September), FH-1's carer's DBS expired
      (issued 15 June 2022, renewal 15 June 2025), FC-B's 8 months at risk (deadline 1 October, no panel).
    - Priya (social worker): FH-2's Jamie turns 18 on 20 November 2025 with no DBS check.
    - Maria (manager): FC-A breached and FC-B at risk.
    - David (panel administrator): nothing.
    """
    worker = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    other = make_user(app, Role.SOCIAL_WORKER, name="Priya Shah")
    manager = make_user(app, Role.MANAGER, name="Maria Jones")
    panel_admin = make_user(app, Role.PANEL_ADMIN, name="David Chen")
    breached = make_case(app, "FC-A", date(2025, 1, 10), worker.id, delay_reason=DELAY_REASON)
    at_risk = make_case(app, "FC-B", date(2025, 2, 1), worker.id)
    expired = make_household(app, "FH-1", worker.id, dbs_issued=date(2022, 6, 15))
    teenager = make_household(
        app,
        "FH-2",
        other.id,
        approval=date(2025, 5, 1),
        carer=("Bob Carer", date(1970, 2, 2)),
        child=("Jamie Carer", CHILD_DOB),
    )
    return Scenario(worker, other, manager, panel_admin, breached, at_risk, expired, teenager)


def set_preference(app: Any, user_id: int, *, daily: bool = True, weekly: bool = True) -> None:
    """Store a person's email choices."""
    with app.app_context(), acting_as("test setup"):
        db.session.add(ReminderPreference(user_id=user_id, daily_digest=daily, weekly_pipeline=weekly))
        db.session.commit()


def date_forms(day: date) -> list[str]:
    """The ways a date could be written in an email: ISO, UK numeric, long and short."""
    return [
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
    ]
