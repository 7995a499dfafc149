"""The rules that keep approved households safe and compliant: DBS currency, annual reviews,
training standards, placements, staying put and whether a household is approved on a date.

Plain functions, exactly as CONTRACTS.md section 3 defines them. Pages, reports, reminders and
imports all call these, so they can never disagree. "As of" means exactly that: anything dated
after the as-of date has not happened yet. Functions take records duck-typed (anything with the
attributes the models have), so imports can check rows before they are saved.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from carertrack.clocks import add_months_clamped
from carertrack.clocks import resignation_effective_date as resignation_effective_date  # re-exported for pages
from carertrack.formatting import format_date

STAYING_PUT_AGE = 21
ADULT_AGE = 18
STAYING_PUT_ENDING_DAYS = 90


# ---------------------------------------------------------------------------------------------
# Ages and membership


def birthday(date_of_birth: date, years: int) -> date:
    """The date a person reaches an age (29 February birthdays fall on 28 February)."""
    return add_months_clamped(date_of_birth, 12 * years)


def is_adult_on(date_of_birth: date | None, as_of: date) -> bool:
    """True when the person is 18 or over on the date (False when the date of birth is unknown)."""
    return date_of_birth is not None and birthday(date_of_birth, ADULT_AGE) <= as_of


def lives_there_on(member: Any, as_of: date) -> bool:
    """True when the person had joined the household by the date and had not left it."""
    if member.joined_date is not None and member.joined_date > as_of:
        return False
    return member.left_date is None or member.left_date > as_of


# ---------------------------------------------------------------------------------------------
# DBS currency


class DbsStatus(enum.StrEnum):
    """A person's DBS currency (DOMAIN.md): most urgent first in URGENCY."""

    CURRENT = "current"
    DUE_SOON = "due_soon"
    EXPIRED = "expired"
    MISSING = "missing"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return {"current": "Current", "due_soon": "Due soon", "expired": "Expired"}.get(self.value, "Missing")

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return {"current": "green", "due_soon": "yellow", "expired": "red"}.get(self.value, "red")

    @property
    def urgency(self) -> int:
        """Sort key: expired and missing before due soon before current."""
        return {"expired": 0, "missing": 0, "due_soon": 1}.get(self.value, 2)

    @property
    def is_valid(self) -> bool:
        """True while the person's check is within the renewal interval (current or due soon)."""
        return self in (DbsStatus.CURRENT, DbsStatus.DUE_SOON)


@dataclass(frozen=True)
class DbsRules:
    """The local-practice figures DBS currency depends on (settings, with their defaults)."""

    renewal_years: int = 3
    due_soon_days: int = 90
    window_months: int = 3

    @classmethod
    def from_settings(cls) -> DbsRules:
        """The figures an admin has set (needs an app context)."""
        from carertrack.settings import get_setting

        return cls(
            renewal_years=int(get_setting("dbs_renewal_years")),
            due_soon_days=int(get_setting("dbs_due_soon_days")),
            window_months=int(get_setting("turning_18_window_months")),
        )


def requires_dbs(member: Any, as_of: date, window_months: int = 3) -> bool:
    """True when this person needs a DBS check on the date (CONTRACTS 3, "people requiring").

    Carers and adult members always do, so does anyone aged 18 or over, and a child member whose
    18th birthday is `window_months` or less away. People who have left (or not yet joined) do not.
    """
    if not lives_there_on(member, as_of):
        return False
    if _value(member.role) in ("carer", "adult_member"):
        return True
    if member.date_of_birth is None:
        return False
    return birthday(member.date_of_birth, ADULT_AGE) <= add_months_clamped(as_of, window_months)


def latest_check(checks: Iterable[Any], as_of: date) -> Any | None:
    """The certificate that counts: the latest enhanced check with the barred list issued by the date."""
    counting = [c for c in checks if c.enhanced_with_barred_list and c.issue_date <= as_of]
    if not counting:
        return None
    return max(counting, key=lambda c: (c.issue_date, c.id or 0))


def last_satisfactory_status_check(check: Any, as_of: date) -> date | None:
    """The last Update Service check with no new information, by the date; None when not subscribed."""
    if not check.update_service:
        return None
    dates = [s.checked_on for s in check.status_checks if _value(s.result) == "no_change" and s.checked_on <= as_of]
    return max(dates) if dates else None


def dbs_renewal_date(check: Any, renewal_years: int = 3, as_of: date | None = None) -> date:
    """The later of the issue date and the last satisfactory status check (when subscribed), + the interval."""
    base = check.issue_date
    status_checked = last_satisfactory_status_check(check, as_of or date.max)
    if status_checked is not None and status_checked > base:
        base = status_checked
    return add_months_clamped(base, 12 * renewal_years)


def dbs_status(
    member: Any,
    latest: Any | None,
    as_of: date,
    renewal_years: int = 3,
    due_soon_days: int = 90,
    window_months: int = 3,
) -> tuple[DbsStatus, date] | None:
    """The person's DBS status and due date on the date, or None when they do not need a check.

    The due date is the renewal date; for a missing child, their 18th birthday; for a missing adult,
    the as-of date (it is needed now).
    """
    if not requires_dbs(member, as_of, window_months):
        return None
    if latest is None:
        if _value(member.role) == "child_member" and not is_adult_on(member.date_of_birth, as_of):
            return DbsStatus.MISSING, birthday(member.date_of_birth, ADULT_AGE)
        return DbsStatus.MISSING, as_of
    renewal = dbs_renewal_date(latest, renewal_years, as_of)
    if renewal < as_of:
        return DbsStatus.EXPIRED, renewal
    if (renewal - as_of).days <= due_soon_days:
        return DbsStatus.DUE_SOON, renewal
    return DbsStatus.CURRENT, renewal


@dataclass(frozen=True)
class PersonDbs:
    """One person who needs a DBS check, with their status on the as-of date."""

    member: Any
    status: DbsStatus
    due_date: date
    check: Any | None


def person_dbs(member: Any, as_of: date, rules: DbsRules, checks: Iterable[Any] | None = None) -> PersonDbs | None:
    """The person's DBS position from their certificates (member.dbs_checks unless given)."""
    latest = latest_check(member.dbs_checks if checks is None else checks, as_of)
    result = dbs_status(member, latest, as_of, rules.renewal_years, rules.due_soon_days, rules.window_months)
    if result is None:
        return None
    return PersonDbs(member, result[0], result[1], latest)


def sort_most_urgent(people: Iterable[PersonDbs]) -> list[PersonDbs]:
    """Expired and missing first, then due soon; earliest due date first within each."""
    return sorted(people, key=lambda p: (p.status.urgency, p.due_date, getattr(p.member, "id", 0) or 0))


# ---------------------------------------------------------------------------------------------
# Households: approval, status, compliance


class HouseholdStatus(enum.StrEnum):
    """Where a household stands on a date, derived from its dates."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    DEREGISTERED = "deregistered"
    NOT_YET_APPROVED = "not_yet_approved"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return {
            "active": "Active",
            "on_hold": "On hold",
            "deregistered": "Deregistered",
        }.get(self.value, "Not yet approved")

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return {"active": "green", "on_hold": "orange", "deregistered": "grey"}.get(self.value, "blue")


def is_approved_on(household: Any, as_of: date) -> bool:
    """Approved on or before the date and not deregistered on or before it."""
    if household.approval_date is None or household.approval_date > as_of:
        return False
    return household.deregistration_date is None or household.deregistration_date > as_of


def household_status(household: Any, as_of: date) -> HouseholdStatus:
    """Active, on hold, deregistered (or not yet approved) on the date."""
    if household.deregistration_date is not None and household.deregistration_date <= as_of:
        return HouseholdStatus.DEREGISTERED
    if household.approval_date is None or household.approval_date > as_of:
        return HouseholdStatus.NOT_YET_APPROVED
    if household.on_hold_reason and (household.on_hold_since is None or household.on_hold_since <= as_of):
        return HouseholdStatus.ON_HOLD
    return HouseholdStatus.ACTIVE


def deregistration_pending(household: Any, as_of: date) -> bool:
    """True when a deregistration is recorded but takes effect after the date."""
    return household.deregistration_date is not None and household.deregistration_date > as_of


@dataclass(frozen=True)
class HouseholdCompliance:
    """Whether a household's people have valid DBS checks on a date, and who does not."""

    compliant: bool
    people: list[PersonDbs] = field(default_factory=list)

    @property
    def exceptions(self) -> list[PersonDbs]:
        """People whose DBS is not current (due soon, expired or missing), most urgent first."""
        return sort_most_urgent(p for p in self.people if p.status is not DbsStatus.CURRENT)

    @property
    def due_soon(self) -> bool:
        """True when somebody's check is due soon (a warning, not a breach)."""
        return any(p.status is DbsStatus.DUE_SOON for p in self.people)


def household_compliance(
    household: Any,
    as_of: date,
    rules: DbsRules | None = None,
    members: Iterable[Any] | None = None,
) -> HouseholdCompliance:
    """Not compliant when anyone who needs a DBS check has none or an expired one.

    A check due soon is still within its renewal interval, so it warns but does not breach.
    A household that is not approved on the date has nobody who counts, and is compliant.
    """
    rules = rules or DbsRules()
    if not is_approved_on(household, as_of):
        return HouseholdCompliance(True, [])
    people = [p for m in (household.members if members is None else members) if (p := person_dbs(m, as_of, rules))]
    return HouseholdCompliance(all(p.status.is_valid for p in people), people)


# ---------------------------------------------------------------------------------------------
# Annual reviews and training standards


class DueStatus(enum.StrEnum):
    """Where something due by a date stands."""

    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return {"not_due": "Not due yet", "due_soon": "Due soon", "overdue": "Overdue"}.get(self.value, "Completed")

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return {"not_due": "grey", "due_soon": "yellow", "overdue": "red"}.get(self.value, "green")


def _due_status(due: date, as_of: date, due_soon_days: int) -> DueStatus:
    if due < as_of:
        return DueStatus.OVERDUE
    if (due - as_of).days <= due_soon_days:
        return DueStatus.DUE_SOON
    return DueStatus.NOT_DUE


def review_due_date(approval_date: date, last_review_completed: date | None) -> date:
    """Within 12 months of approval, then within 12 months of the last review (FSR 2011 reg 28)."""
    return add_months_clamped(last_review_completed or approval_date, 12)


@dataclass(frozen=True)
class ReviewPosition:
    """The next annual review: when it is due, its state, and whether it is the first (goes to panel)."""

    due_date: date
    status: DueStatus
    first: bool
    last_completed: date | None


def review_position(
    approval_date: date, completed_dates: Iterable[date], as_of: date, due_soon_days: int = 42
) -> ReviewPosition:
    """The next review as of the date, from the reviews completed by then."""
    done = [d for d in completed_dates if d is not None and d <= as_of]
    last = max(done) if done else None
    due = review_due_date(approval_date, last)
    return ReviewPosition(due, _due_status(due, as_of, due_soon_days), last is None, last)


def training_due_date(approval_date: date, carer_type: Any) -> date:
    """TSD standards: 12 months after approval, 18 for connected (family and friends) carers (NMS 20.3)."""
    return add_months_clamped(approval_date, 18 if _value(carer_type) == "connected" else 12)


def training_status(
    approval_date: date, carer_type: Any, completed: date | None, as_of: date, due_soon_days: int = 61
) -> tuple[DueStatus, date]:
    """A carer's training standards on the date: completed, or due soon / overdue against the due date."""
    due = training_due_date(approval_date, carer_type)
    if completed is not None and completed <= as_of:
        return DueStatus.DONE, due
    return _due_status(due, as_of, due_soon_days), due


# ---------------------------------------------------------------------------------------------
# Placements


def placement_active(placement: Any, as_of: date) -> bool:
    """A child is placed from the start date until (not including) the end date."""
    return placement.start_date <= as_of and (placement.end_date is None or placement.end_date > as_of)


def vacancies(household: Any, placements: Iterable[Any], as_of: date) -> int | None:
    """Approved places minus children placed on the date (negative when over); None with no terms."""
    if household.approved_places is None:
        return None
    return household.approved_places - sum(1 for p in placements if placement_active(p, as_of))


# ---------------------------------------------------------------------------------------------
# Staying put


def twenty_first_birthday(date_of_birth: date) -> date:
    """The day a staying-put arrangement ends at the latest."""
    return birthday(date_of_birth, STAYING_PUT_AGE)


def staying_put_active(arrangement: Any, as_of: date) -> bool:
    """Started by the date, no end date on or before it, and the young person not yet 21."""
    if arrangement.start_date > as_of:
        return False
    if arrangement.end_date is not None and arrangement.end_date <= as_of:
        return False
    return as_of < twenty_first_birthday(arrangement.date_of_birth)


def staying_put_ends(arrangement: Any) -> date:
    """When the arrangement ends: the earliest of its end date, its planned end and the 21st birthday."""
    candidates = [twenty_first_birthday(arrangement.date_of_birth)]
    candidates += [d for d in (arrangement.end_date, getattr(arrangement, "planned_end_date", None)) if d]
    return min(candidates)


def ending_within_days(arrangement: Any, as_of: date, days: int = STAYING_PUT_ENDING_DAYS) -> bool:
    """An active arrangement whose end is `days` or fewer away."""
    return staying_put_active(arrangement, as_of) and staying_put_ends(arrangement) - as_of <= timedelta(days=days)


def staying_put_start_error(start: date | None, date_of_birth: date | None) -> str | None:
    """Staying put starts on or after the young person's 18th birthday (pages and the import)."""
    if start is None or date_of_birth is None:
        return None
    eighteenth = birthday(date_of_birth, ADULT_AGE)
    if start < eighteenth:
        return f"Staying put starts on or after the young person's 18th birthday, {format_date(eighteenth)}"
    return None


def staying_put_end_error(end: date | None, date_of_birth: date | None) -> str | None:
    """An arrangement ends on the 21st birthday at the latest (pages and the import)."""
    if end is not None and date_of_birth is not None and end > twenty_first_birthday(date_of_birth):
        return "An arrangement ends on the young person's 21st birthday at the latest"
    return None


def age_range_error(age_from: int | None, age_to: int | None) -> str | None:
    """Terms of approval: the oldest age is not below the youngest (pages and the import)."""
    if age_from is not None and age_to is not None and age_to < age_from:
        return "The oldest age must be the same as or more than the youngest age"
    return None


def _value(item: Any) -> Any:
    """An enum's value, or the plain value (imports pass strings)."""
    return getattr(item, "value", item)
