"""SQL that preselects the records which can give a reminder on a date, so the daily run reads few rows.

The rules stay in Python (carertrack/reminders/rules.py, through carertrack.compliance and
carertrack.cases.rules). Nothing here re-implements them: each date rule with month or working-day
arithmetic is monotone in the stored date it reads, so the latest stored date that can be due is
found by asking the Python rule itself (:func:`latest_true`), and SQL compares the column with that
threshold. Every condition is as loose as, or looser than, the rule it serves: a record it keeps may
still give no reminder (the rules decide), but a record it drops never gives one.
tests/integration/test_reminders_preselect.py proves that on varied generated data, edge dates included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased

from carertrack import compliance
from carertrack.cases import rules as case_rules
from carertrack.clocks import REG24_WEEKS, ClockStatus, add_months_clamped
from carertrack.compliance_sql import DbsThresholds, lives_there_sql, requires_dbs_sql
from carertrack.models.case import CarerType, Case
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole
from carertrack.models.household import CarerType as HouseholdCarerType
from carertrack.models.staying_put import StayingPut
from carertrack.thresholds import REACH, last_day_where

_DUE = (compliance.DueStatus.OVERDUE, compliance.DueStatus.DUE_SOON)
_REMINDED = (ClockStatus.AT_RISK, ClockStatus.BREACHED)


def latest_true(predicate: Callable[[date], bool], guess: date) -> date:
    """The latest date for which a monotone predicate (true for early dates, false for late) holds.

    thresholds.last_day_where, loosened for a preselection: when the predicate holds across the whole
    search range, date.max (keep everything).
    """
    day = last_day_where(predicate, guess)
    return date.max if day >= guess + timedelta(days=REACH) else day


def _enquiry(enquiry_date: date | None = None, application_date: date | None = None) -> SimpleNamespace:
    """A case with only these dates, for asking the case clocks about one date."""
    fields = dict.fromkeys(("first_contact_date", "initial_visit_date", "closed_date", "decision_date"))
    fields.update(
        enquiry_date=enquiry_date,
        application_date=application_date,
        predicted_panel_date=None,
        panel_date=None,
        panel_recommendation=None,
        recommendation_date=None,
    )
    return SimpleNamespace(**fields)


@dataclass(frozen=True)
class Thresholds:
    """The latest stored dates that can still be due on the as-of date, each found from the Python rule."""

    as_of: date
    first_contact_enquiry: date
    eight_month_application: date
    case_planned_lead: date
    reg24_deadline: date
    review_base: date
    training_approval: date
    training_approval_connected: date
    dbs_base: date
    child_birth: date
    dbs: DbsThresholds
    staying_put_end: date
    staying_put_birth: date

    @classmethod
    def for_date(cls, as_of: date, settings: Any) -> Thresholds:
        """Thresholds for the date and the reminder settings (carertrack.reminders.rules.ReminderSettings)."""
        clocks, dbs = settings.clocks, settings.dbs

        def first_contact_due(day: date) -> bool:
            clock = case_rules.first_contact_clock(_enquiry(enquiry_date=day), as_of, clocks)  # type: ignore[arg-type]
            return clock is not None and clock.status is ClockStatus.BREACHED

        def eight_month_due(day: date) -> bool:
            clock = case_rules.eight_month_clock(_enquiry(application_date=day), as_of, clocks)  # type: ignore[arg-type]
            return clock is not None and clock.status in _REMINDED

        def review_due(day: date) -> bool:
            return compliance.review_position(day, [], as_of, settings.review_due_soon_days).status in _DUE

        def training_due(carer_type: str) -> Callable[[date], bool]:
            def due(day: date) -> bool:
                status, _ = compliance.training_status(day, carer_type, None, as_of, settings.training_due_soon_days)
                return status in _DUE

            return due

        # compliance_sql's DBS thresholds: a base date on or before due_base_by is due soon or expired;
        # a child born on or before window_born_by needs a check.
        dbs_limits = DbsThresholds.on(as_of, dbs)
        window = (add_months_clamped(as_of, settings.staying_put_months) - as_of).days
        staying_put_end = as_of + timedelta(days=window)
        milestone_weeks = REG24_WEEKS - min(settings.reg24_first_weeks, settings.reg24_second_weeks)
        reg24_ahead = max(clocks.lead_days, milestone_weeks * 7, 0)
        return cls(
            as_of=as_of,
            first_contact_enquiry=latest_true(first_contact_due, as_of),
            eight_month_application=latest_true(eight_month_due, add_months_clamped(as_of, -8)),
            case_planned_lead=as_of + timedelta(days=max(clocks.lead_days, 0)),
            reg24_deadline=as_of + timedelta(days=reg24_ahead),
            review_base=latest_true(review_due, add_months_clamped(as_of, -12)),
            training_approval=latest_true(training_due(CarerType.MAINSTREAM.value), add_months_clamped(as_of, -12)),
            training_approval_connected=latest_true(
                training_due(CarerType.CONNECTED.value), add_months_clamped(as_of, -18)
            ),
            dbs_base=dbs_limits.due_base_by,
            child_birth=dbs_limits.window_born_by,
            dbs=dbs_limits,
            staying_put_end=staying_put_end,
            staying_put_birth=latest_true(
                lambda day: compliance.twenty_first_birthday(day) <= staying_put_end,
                add_months_clamped(staying_put_end, -12 * compliance.STAYING_PUT_AGE),
            ),
        )


def _not_after(column: Any, as_of: date) -> ColumnElement[bool]:
    """The event has not happened by the date (no date, or a later one)."""
    return or_(column.is_(None), column > as_of)


def _planned_after(deadline: Any) -> ColumnElement[bool]:
    """A predicted or booked panel date after the deadline (cases.rules.planned_panel_date > deadline)."""
    return or_(Case.predicted_panel_date > deadline, Case.panel_date > deadline)


def _has_planned() -> ColumnElement[bool]:
    return or_(Case.predicted_panel_date.is_not(None), Case.panel_date.is_not(None))


# --- Cases ------------------------------------------------------------------------------------------


def case_condition(t: Thresholds) -> ColumnElement[bool]:
    """Open cases whose 8-month, regulation 24 or first-contact clock can give a reminder on the date."""
    as_of = t.as_of
    eight_month = and_(
        Case.application_date <= as_of,
        or_(
            Case.application_date <= t.eight_month_application,
            _planned_after(Case.eight_month_deadline),
            and_(Case.eight_month_deadline.is_(None), _has_planned()),
        ),
    )
    reg24 = and_(
        Case.carer_type == CarerType.CONNECTED,
        Case.placement_date <= as_of,
        or_(
            Case.reg24_deadline.is_(None),
            Case.reg24_deadline <= t.reg24_deadline,
            _planned_after(Case.reg24_deadline),
        ),
    )
    first_contact = and_(
        Case.enquiry_date <= t.first_contact_enquiry,
        _not_after(Case.first_contact_date, as_of),
        _not_after(Case.initial_visit_date, as_of),
        _not_after(Case.application_date, as_of),
    )
    return and_(
        _not_after(Case.closed_date, as_of),
        _not_after(Case.decision_date, as_of),
        or_(eight_month, reg24, first_contact),
    )


# --- Approved households ------------------------------------------------------------------------------


def _counting(check: Any, as_of: date) -> ColumnElement[bool]:
    """compliance.latest_check's certificates: enhanced with the barred list, issued by the date."""
    return and_(check.enhanced_with_barred_list.is_(True), check.issue_date <= as_of)


def _known_current(t: Thresholds) -> ColumnElement[bool]:
    """The member's latest certificate (or its last satisfactory status check) is too recent to be due.

    As `id IN (subquery)`, which PostgreSQL hashes once, rather than EXISTS run once per member.
    """
    newer_than_threshold = select(DbsCheck.member_id).where(
        _counting(DbsCheck, t.as_of), DbsCheck.issue_date > t.dbs_base
    )
    later = aliased(DbsCheck)
    is_latest = ~exists().where(
        later.member_id == DbsCheck.member_id,
        _counting(later, t.as_of),
        or_(
            later.issue_date > DbsCheck.issue_date,
            and_(later.issue_date == DbsCheck.issue_date, later.id > DbsCheck.id),
        ),
    )
    recently_status_checked = select(DbsStatusCheck.dbs_check_id).where(
        DbsStatusCheck.result == StatusCheckResult.NO_CHANGE,
        DbsStatusCheck.checked_on <= t.as_of,
        DbsStatusCheck.checked_on > t.dbs_base,
    )
    status_checked = select(DbsCheck.member_id).where(
        _counting(DbsCheck, t.as_of),
        DbsCheck.update_service.is_(True),
        DbsCheck.id.in_(recently_status_checked),
        is_latest,
    )
    return or_(HouseholdMember.id.in_(newer_than_threshold), HouseholdMember.id.in_(status_checked))


def dbs_member_condition(t: Thresholds) -> ColumnElement[bool]:
    """Members who need a DBS check on the date (compliance_sql.requires_dbs_sql) and are not known to
    have a current one."""
    return and_(requires_dbs_sql(t.dbs), ~_known_current(t))


def household_condition(t: Thresholds) -> ColumnElement[bool]:
    """Households (already approved on the date) whose DBS, review or training can give a reminder.

    The parts are `id IN (subquery)` rather than correlated EXISTS: inside an OR, PostgreSQL runs a
    correlated EXISTS once per household, but hashes an IN subquery once.
    """
    # compliance.review_position counts from the last review done by the date, else from the approval:
    # that date is on or before the threshold when no review done is later, and (with none done) the
    # approval is.
    done = AnnualReview.completed_date <= t.as_of
    reviewed_since = select(AnnualReview.household_id).where(done, AnnualReview.completed_date > t.review_base)
    reviewed = select(AnnualReview.household_id).where(done)
    review = and_(
        Household.id.not_in(reviewed_since),
        or_(Household.approval_date <= t.review_base, Household.id.in_(reviewed)),
    )
    training_approval = or_(
        and_(
            Household.carer_type == HouseholdCarerType.CONNECTED,
            Household.approval_date <= t.training_approval_connected,
        ),
        and_(Household.carer_type != HouseholdCarerType.CONNECTED, Household.approval_date <= t.training_approval),
    )
    untrained = select(HouseholdMember.household_id).where(
        HouseholdMember.role == MemberRole.CARER,
        lives_there_sql(t.as_of),
        _not_after(HouseholdMember.tsd_completed_date, t.as_of),
    )
    training = and_(training_approval, Household.id.in_(untrained))
    dbs = Household.id.in_(select(HouseholdMember.household_id).where(dbs_member_condition(t)))
    return or_(review, training, dbs)


def staying_put_condition(t: Thresholds) -> ColumnElement[bool]:
    """Arrangements whose end (end date, planned end or 21st birthday) is within the reminder window."""
    return or_(
        StayingPut.end_date <= t.staying_put_end,
        StayingPut.planned_end_date <= t.staying_put_end,
        StayingPut.date_of_birth <= t.staying_put_birth,
    )
