"""Every model, imported here so Alembic and the audit listener see every table."""

from carertrack.models.audit import AuditEvent
from carertrack.models.base import Base, TimestampMixin, VersionedMixin, utcnow
from carertrack.models.case import Case
from carertrack.models.case_records import (
    CaseAllocation,
    CaseApplicant,
    CaseMember,
    CaseNote,
    Delay,
    Stage1Check,
    Stage2Session,
    StageChange,
)
from carertrack.models.dbs import DbsCheck, DbsStatusCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember, Placement
from carertrack.models.import_run import ImportRun
from carertrack.models.panel import PanelAttendance, PanelMeeting, PanelMember
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    AgendaItemMove,
    ItemConflict,
    QualifyingDetermination,
)
from carertrack.models.reminder import OutboxMessage, ReminderPreference, SentReminder
from carertrack.models.setting import Setting
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import ROLE_LABELS, LoginAttempt, Role, User, enum_column

__all__ = [
    "Case",
    "CaseAllocation",
    "CaseApplicant",
    "CaseMember",
    "CaseNote",
    "Delay",
    "Stage1Check",
    "Stage2Session",
    "StageChange",
    "AnnualReview",
    "AuditEvent",
    "DbsCheck",
    "DbsStatusCheck",
    "Household",
    "ImportRun",
    "HouseholdMember",
    "Placement",
    "StayingPut",
    "AdmDecision",
    "AgendaItem",
    "AgendaItemMove",
    "ItemConflict",
    "PanelAttendance",
    "PanelMeeting",
    "PanelMember",
    "QualifyingDetermination",
    "Base",
    "LoginAttempt",
    "ROLE_LABELS",
    "Role",
    "OutboxMessage",
    "ReminderPreference",
    "SentReminder",
    "Setting",
    "TimestampMixin",
    "User",
    "VersionedMixin",
    "enum_column",
    "utcnow",
]
