"""Checks on a case's values, shared by the pages and the spreadsheet import.

Each function takes plain values and returns GOV.UK-style messages keyed by the column they are
about (the same names as the `cases` import columns where there is one), so a form can put each
message on its field and the import can report `row N, column C: message`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from carertrack.clocks import REG24_MAX_EXTENSION_WEEKS, REG24_WEEKS
from carertrack.formatting import format_date
from carertrack.models.case import CarerType, Case, Stage1Decision
from carertrack.models.case_records import Stage1Check

# Outward code, then inward code: the shapes Royal Mail issues (BS 7666), plus the special GIR 0AA.
_POSTCODE = re.compile(r"^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2})$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
POSTCODE_MESSAGE = "Enter a real postcode, like SW1A 2AA"
PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
CONTACT_MESSAGE = "Enter an email address or a telephone number"


def normalise_postcode(text: str | None) -> str | None:
    """'sw1a2aa' -> 'SW1A 2AA'; None when blank."""
    if not text or not text.strip():
        return None
    compact = re.sub(r"\s+", "", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_error(text: str | None) -> str | None:
    """A message when the text is not a UK postcode shape; None when it is (or is blank)."""
    postcode = normalise_postcode(text)
    if postcode is None:
        return None
    return None if _POSTCODE.match(postcode) else POSTCODE_MESSAGE


def phone_error(text: str | None) -> str | None:
    """A message when the text does not look like a telephone number; None when it does (or is blank)."""
    if not text or not text.strip():
        return None
    digits = re.sub(r"\D", "", text)
    return None if _PHONE.match(text.strip()) and 10 <= len(digits) <= 15 else PHONE_MESSAGE


def contact_error(email: str | None, phone: str | None) -> str | None:
    """We must be able to reach an enquirer: an email address or a telephone number."""
    if (email or "").strip() or (phone or "").strip():
        return None
    return CONTACT_MESSAGE


def date_of_birth_error(value: date | None, today: date) -> str | None:
    """Dates of birth must be in the past."""
    if value is not None and value >= today:
        return "Date of birth must be in the past"
    return None


@dataclass
class CaseDates:
    """The dates (and the facts they depend on) that must make sense together."""

    carer_type: CarerType | None = None
    enquiry_date: date | None = None
    first_contact_date: date | None = None
    initial_visit_date: date | None = None
    application_date: date | None = None
    allocated_date: date | None = None
    stage1_completed_date: date | None = None
    preparation_training_date: date | None = None
    report_completed_date: date | None = None
    brief_report_shared_date: date | None = None
    placement_date: date | None = None
    extension_granted_date: date | None = None
    extension_weeks: int | None = None
    extension_panel_views_date: date | None = None
    extension_iro_informed_date: date | None = None
    predicted_panel_date: date | None = None
    panel_date: date | None = None
    recommendation_date: date | None = None
    decision_date: date | None = None
    closed_date: date | None = None

    @classmethod
    def of(cls, case: Case, **changes: object) -> CaseDates:
        """The case's current dates, with some of them replaced by proposed values."""
        values = {f.name: getattr(case, f.name) for f in fields(cls)}
        values.update(changes)
        return cls(**values)  # type: ignore[arg-type]


# What each date is called in messages.
DATE_LABELS = {
    "enquiry_date": "The enquiry date",
    "first_contact_date": "The first contact date",
    "initial_visit_date": "The initial visit date",
    "application_date": "The date the application was received",
    "allocated_date": "The allocation date",
    "stage1_completed_date": "The Stage 1 decision date",
    "preparation_training_date": "The preparation training date",
    "report_completed_date": "The date the report was completed",
    "brief_report_shared_date": "The date the brief report was shared",
    "placement_date": "The date the child was placed",
    "extension_granted_date": "The date the extension was granted",
    "extension_panel_views_date": "The date the panel's views were sought",
    "extension_iro_informed_date": "The date the IRO was told",
    "predicted_panel_date": "The predicted panel date",
    "panel_date": "The panel date",
    "recommendation_date": "The recommendation date",
    "decision_date": "The decision date",
    "closed_date": "The closure date",
}
# Dates of things that have happened, so never in the future. Panel dates may be ahead.
PAST_ONLY = tuple(key for key in DATE_LABELS if key not in {"predicted_panel_date", "panel_date"})
# (later, earlier): the later date must be on or after the earlier one when both are known.
ORDER = (
    ("first_contact_date", "enquiry_date"),
    ("initial_visit_date", "enquiry_date"),
    ("application_date", "enquiry_date"),
    ("allocated_date", "application_date"),
    ("stage1_completed_date", "application_date"),
    ("report_completed_date", "application_date"),
    ("brief_report_shared_date", "application_date"),
    ("predicted_panel_date", "application_date"),
    ("panel_date", "application_date"),
    ("recommendation_date", "panel_date"),
    ("decision_date", "panel_date"),
    ("decision_date", "recommendation_date"),
    ("extension_granted_date", "placement_date"),
    ("closed_date", "enquiry_date"),
)
EARLIER_NAMES = {
    "enquiry_date": "the enquiry date",
    "application_date": "the date the application was received",
    "panel_date": "the panel date",
    "recommendation_date": "the panel's recommendation",
    "placement_date": "the date the child was placed",
}


def future_error(key: str, value: date | None, today: date) -> str | None:
    """'The enquiry date must be today or in the past'."""
    if value is not None and value > today:
        return f"{DATE_LABELS.get(key, 'The date')} must be today or in the past"
    return None


def date_errors(dates: CaseDates, today: date) -> dict[str, str]:
    """Every problem with the dates: future events, impossible orders, facts that need another first."""
    errors: dict[str, str] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, message)

    for key in PAST_ONLY:
        if message := future_error(key, getattr(dates, key), today):
            add(key, message)
    for later, earlier in ORDER:
        late, early = getattr(dates, later), getattr(dates, earlier)
        if late is not None and early is not None and late < early:
            add(
                later,
                f"{DATE_LABELS[later]} must be the same as or after {EARLIER_NAMES[earlier]} ({format_date(early)})",
            )
    if dates.allocated_date is not None and dates.application_date is None:
        add("allocated_date", "Record the date the application was received before allocating the case")
    if dates.carer_type == CarerType.MAINSTREAM and dates.placement_date is not None:
        add("placement_date", "A temporary approval can only be recorded on a connected person case")
    add_extension_errors(dates, add)
    return errors


def add_extension_errors(dates: CaseDates, add: Callable[[str, str], None]) -> None:
    """An extension needs a placement, is 1 to 8 weeks, and is granted before the 16 weeks run out."""
    has_extension = dates.extension_granted_date is not None or dates.extension_weeks is not None
    if not has_extension:
        return
    if dates.carer_type == CarerType.MAINSTREAM:
        add("extension_granted_date", "An extension can only be granted on a connected person case")
        return
    if dates.placement_date is None:
        add("extension_granted_date", "Record the date the child was placed before recording an extension")
        return
    weeks = dates.extension_weeks
    if weeks is None or not 1 <= weeks <= REG24_MAX_EXTENSION_WEEKS:
        add("extension_weeks", f"The extension must be between 1 and {REG24_MAX_EXTENSION_WEEKS} weeks")
    temporary_end = dates.placement_date + timedelta(weeks=REG24_WEEKS)
    if dates.extension_granted_date is not None and dates.extension_granted_date > temporary_end:
        add(
            "extension_granted_date",
            f"The extension must be granted before the temporary approval ends ({format_date(temporary_end)})",
        )


def second_extension_error(case: Case) -> str | None:
    """Regulation 25 allows one extension."""
    if case.extension_granted_date is not None:
        return "This case already has an extension. Regulation 25 allows only one extension of up to 8 weeks"
    return None


def stage1_decision_error(decision: Stage1Decision | None, checks: Iterable[Stage1Check]) -> str | None:
    """Refuse a decision to proceed until every check is received and two references are in."""
    if decision != Stage1Decision.PROCEED:
        return None
    checks = list(checks)
    from carertrack.cases.rules import MINIMUM_PERSONAL_REFERENCES, outstanding_checks, references_received

    if not checks:
        return "Generate the Stage 1 checklist and receive every check before deciding to proceed"
    outstanding = outstanding_checks(checks)
    if outstanding:
        names = "; ".join(check.title for check in outstanding[:5])
        more = f" and {len(outstanding) - 5} more" if len(outstanding) > 5 else ""
        return f"You cannot decide to proceed until every Stage 1 check is received. Still waiting for: {names}{more}"
    if references_received(checks) < MINIMUM_PERSONAL_REFERENCES:
        return "You cannot decide to proceed until at least 2 personal references are received"
    return None
