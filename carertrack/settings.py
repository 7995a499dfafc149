"""Local-practice settings: every figure DOMAIN.md calls local practice, with its default.

Pages, reports, reminders and imports read them with :func:`get_setting`; admins change them on the
Settings page. A setting absent from the database has its default. Add new settings to ``SPECS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from flask import g, has_app_context
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.setting import Setting


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its key, how it reads, its default and its allowed range."""

    key: str
    label: str
    hint: str
    default: int | time
    group: str
    minimum: int = 0
    maximum: int = 10_000
    kind: str = "int"  # "int" or "time"
    unit: str = ""

    def parse(self, raw: str) -> int | time:
        """Turn a stored or typed value into the setting's type, or raise ValueError."""
        raw = raw.strip()
        if self.kind == "time":
            try:
                hours, minutes = raw.split(":")
                return time(int(hours), int(minutes))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"Enter {self.phrase} as a 24-hour time, like 07:00") from exc
        try:
            value = int(raw)
        except ValueError as exc:
            raise ValueError(f"Enter {self.phrase} as a whole number") from exc
        if not self.minimum <= value <= self.maximum:
            raise ValueError(
                f"{self.label} must be between {self.minimum} and {self.maximum}{' ' + self.unit if self.unit else ''}"
            )
        return value

    @property
    def phrase(self) -> str:
        """The label inside a sentence: 'Panel capacity' reads 'panel capacity', but 'DBS ...' keeps its capitals."""
        first, _, rest = self.label.partition(" ")
        if first.isupper() and len(first) > 1:
            return self.label
        return self.label[:1].lower() + self.label[1:]

    def format(self, value: int | time) -> str:
        """The value as stored and shown in a form field."""
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return str(value)


SECURITY = "Sign-in and sessions"
ASSESSMENT = "Assessments and clocks"
HOUSEHOLDS = "Approved households and DBS"
PANEL = "Panel"
REPORTING = "Reporting"
REMINDERS = "Reminders"

SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "lockout_threshold",
        "Failed sign-ins before lock-out",
        "Failures within the window that lock an account.",
        5,
        SECURITY,
        3,
        20,
    ),
    SettingSpec(
        "lockout_window_minutes",
        "Lock-out window",
        "Failures are counted over this many minutes.",
        15,
        SECURITY,
        1,
        1440,
        unit="minutes",
    ),
    SettingSpec(
        "lockout_minutes",
        "Lock-out length",
        "How long a locked account stays locked.",
        15,
        SECURITY,
        1,
        1440,
        unit="minutes",
    ),
    SettingSpec(
        "session_idle_minutes",
        "Sign out after inactivity",
        "Minutes without activity before a person is signed out.",
        30,
        SECURITY,
        5,
        480,
        unit="minutes",
    ),
    SettingSpec(
        "first_contact_working_days",
        "First contact with an enquirer",
        "Working days from enquiry to first contact.",
        2,
        ASSESSMENT,
        1,
        30,
        unit="working days",
    ),
    SettingSpec(
        "at_risk_lead_days",
        "At-risk lead time",
        "A clock with no panel date is at risk when its deadline is this many days away or fewer.",
        42,
        ASSESSMENT,
        1,
        365,
        unit="days",
    ),
    SettingSpec(
        "short_clock_at_risk_days",
        "Short deadlines at-risk lead time",
        "First contact, papers and decision deadlines show as at risk when this many days away or fewer.",
        2,
        ASSESSMENT,
        0,
        30,
        unit="days",
    ),
    SettingSpec(
        "stage1_target_days",
        "Stage 1 target",
        "Days from allocation to the Stage 1 decision (0 means no target).",
        0,
        ASSESSMENT,
        0,
        365,
        unit="days",
    ),
    SettingSpec(
        "stage2_target_days",
        "Stage 2 target",
        "Days from the Stage 1 decision to the Form F report (0 means no target).",
        0,
        ASSESSMENT,
        0,
        365,
        unit="days",
    ),
    SettingSpec(
        "dbs_renewal_years",
        "DBS renewal interval",
        "Years a DBS certificate or update-service check stays current.",
        3,
        HOUSEHOLDS,
        1,
        10,
        unit="years",
    ),
    SettingSpec(
        "dbs_due_soon_days",
        "DBS due-soon lead time",
        "Days before renewal that a DBS check shows as due soon.",
        90,
        HOUSEHOLDS,
        1,
        365,
        unit="days",
    ),
    SettingSpec(
        "turning_18_window_months",
        "Turning 18 window",
        "Months before their 18th birthday that a child member needs a DBS check.",
        3,
        HOUSEHOLDS,
        0,
        12,
        unit="months",
    ),
    SettingSpec(
        "review_due_soon_days",
        "Annual review due-soon lead time",
        "Days before an annual review is due that it shows as due soon.",
        42,
        HOUSEHOLDS,
        1,
        180,
        unit="days",
    ),
    SettingSpec(
        "training_due_soon_days",
        "Training standards due-soon lead time",
        "Days before the training standards are due that they show as due soon.",
        61,
        HOUSEHOLDS,
        1,
        180,
        unit="days",
    ),
    SettingSpec(
        "papers_working_days",
        "Papers to panel",
        "Working days before a panel that its papers must reach members (NMS 14.3).",
        5,
        PANEL,
        1,
        20,
        unit="working days",
    ),
    SettingSpec(
        "adm_working_days",
        "Agency decision",
        "Working days from recommendation and final minutes to the ADM decision (NMS 14).",
        7,
        PANEL,
        1,
        30,
        unit="working days",
    ),
    SettingSpec(
        "panel_capacity",
        "Panel capacity",
        "Default number of items a panel meeting can take.",
        6,
        PANEL,
        1,
        30,
        unit="items",
    ),
    SettingSpec(
        "quorum_minimum",
        "Panel quorum",
        "Members who must be present, including the chair or a vice-chair and a qualified social worker.",
        5,
        PANEL,
        1,
        20,
        unit="members",
    ),
    SettingSpec(
        "quorum_social_worker_years",
        "Quorum social worker experience",
        "Years of post-qualifying experience the quorum's social worker needs.",
        3,
        PANEL,
        0,
        20,
        unit="years",
    ),
    SettingSpec(
        "net_growth_target",
        "Net growth target",
        "Net increase in fostering households the service aims for each reporting year.",
        20,
        REPORTING,
        0,
        10_000,
        unit="households",
    ),
    SettingSpec(
        "reminder_send_time",
        "Daily reminder time",
        "When the daily reminder digest is sent (Europe/London).",
        time(7, 0),
        REMINDERS,
        kind="time",
    ),
    SettingSpec(
        "reg24_first_reminder_weeks",
        "Temporary approval: first reminder",
        "Weeks after a regulation 24 placement that the first reminder goes (later by any extension granted).",
        12,
        REMINDERS,
        1,
        15,
        unit="weeks",
    ),
    SettingSpec(
        "reg24_second_reminder_weeks",
        "Temporary approval: second reminder",
        "Weeks after a regulation 24 placement that the second reminder goes (later by any extension granted).",
        14,
        REMINDERS,
        1,
        15,
        unit="weeks",
    ),
    SettingSpec(
        "papers_reminder_working_days",
        "Panel papers reminder",
        "Working days before the papers deadline that presenters and panel administrators are reminded.",
        3,
        REMINDERS,
        0,
        20,
        unit="working days",
    ),
    SettingSpec(
        "adm_reminder_working_days",
        "Agency decision reminder",
        "Working days after the recommendation and final minutes with no decision before a reminder goes.",
        5,
        REMINDERS,
        0,
        30,
        unit="working days",
    ),
    SettingSpec(
        "irm_reminder_days",
        "IRM window ending reminder",
        "Days before a qualifying determination's 28 days end that a reminder goes.",
        7,
        REMINDERS,
        0,
        28,
        unit="days",
    ),
    SettingSpec(
        "staying_put_reminder_months",
        "Staying put ending reminder",
        "Months before a staying-put arrangement ends that the supervising social worker is reminded.",
        3,
        REMINDERS,
        0,
        12,
        unit="months",
    ),
)

SPECS_BY_KEY = {spec.key: spec for spec in SPECS}


def _stored() -> dict[str, str]:
    cache = g.get("_settings_cache") if has_app_context() else None
    if cache is None:
        cache = {row.key: row.value for row in db.session.scalars(select(Setting))}
        if has_app_context():
            g._settings_cache = cache
    return cache


def clear_cache() -> None:
    """Forget the values read in this request or command (after a change)."""
    if has_app_context():
        g.pop("_settings_cache", None)


def get_setting(key: str) -> int | time:
    """The current value of a setting: the stored one if an admin changed it, else the default."""
    spec = SPECS_BY_KEY[key]
    raw = _stored().get(key)
    if raw is None:
        return spec.default
    try:
        return spec.parse(raw)
    except ValueError:
        return spec.default


def all_settings() -> list[tuple[SettingSpec, int | time, bool]]:
    """Every setting with its current value and whether it differs from the default."""
    stored = _stored()
    return [(spec, get_setting(spec.key), spec.key in stored) for spec in SPECS]


def set_setting(key: str, value: int | time) -> None:
    """Store a value (audited like any other change); the caller commits."""
    spec = SPECS_BY_KEY[key]
    text = spec.format(value)
    row = db.session.get(Setting, key)
    if row is None:
        if value == spec.default:
            return
        db.session.add(Setting(key=key, value=text))
    elif row.value != text:
        row.value = text
    clear_cache()
