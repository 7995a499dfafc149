"""DBS currency and household compliance as SQL, so pages and reports can count, filter and paginate
in the database.

The Python functions in carertrack/compliance.py ARE the rules (CONTRACTS.md section 3): this
module only restates them as SQL, and tests/integration/test_compliance_sql.py proves the two agree
on varied generated data (29 February births, month ends, issue dates exactly on thresholds, Update
Service on and off, non-enhanced and future-dated certificates, people who left or have not joined).

No month arithmetic runs in SQL (SQLite and PostgreSQL differ there). Every date rule with months
in it (18th birthday, renewal date) is monotone in the stored date, so the last stored date for
which the Python rule holds is found in Python, by asking the Python function itself about
candidate dates, and the column is compared with that threshold (`DbsThresholds`). Ordering by a
due date uses an integer key of the due date (`date_key_sql`) built from the stored date's year,
month and day, which is the same date the Python rule computes, 29 February clamping included.

Mirrors, rule by rule:
- `lives_there_sql`        -> compliance.lives_there_on
- `is_adult_sql`           -> compliance.is_adult_on
- `requires_dbs_sql`       -> compliance.requires_dbs
- `latest_checks`          -> compliance.latest_check
- `renewal_base_sql`       -> the base date of compliance.dbs_renewal_date
                              (with compliance.last_satisfactory_status_check)
- `DbsPeople.status`       -> compliance.dbs_status (missing / expired / due_soon / current)
- `DbsPeople.urgency`, `DbsPeople.due_key` -> compliance.sort_most_urgent
- `not_compliant_sql`, `compliant_sql`, `due_soon_sql` -> compliance.household_compliance
- `reviews_due`            -> compliance.review_position / review_due_date
- `staying_put_sql`        -> compliance.staying_put_active, ending_within_days, staying_put_ends
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    case,
    exists,
    extract,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.sql.selectable import CTE, Subquery

from carertrack.clocks import add_months_clamped
from carertrack.compliance import (
    ADULT_AGE,
    STAYING_PUT_AGE,
    STAYING_PUT_ENDING_DAYS,
    DbsRules,
    DbsStatus,
    DueStatus,
    dbs_status,
    is_adult_on,
    requires_dbs,
    review_position,
    staying_put_active,
    staying_put_ends,
)
from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import AnnualReview, Household, HouseholdMember, MemberRole
from carertrack.models.staying_put import StayingPut
from carertrack.thresholds import last_day_where

#: Statuses that make a household not compliant (compliance.DbsStatus.is_valid is False).
INVALID = (DbsStatus.EXPIRED.value, DbsStatus.MISSING.value)
#: Statuses listed as exceptions: everyone not current.
EXCEPTIONS = (DbsStatus.EXPIRED.value, DbsStatus.MISSING.value, DbsStatus.DUE_SOON.value)

_DAY = timedelta(days=1)


# --- Thresholds found from the Python rules ----------------------------------------------------------


def _member(role: MemberRole, date_of_birth: date | None) -> SimpleNamespace:
    """A stand-in person living in the household, to ask the Python rules about a date of birth."""
    return SimpleNamespace(role=role, date_of_birth=date_of_birth, joined_date=None, left_date=None)


def _status_for_base(base: date, as_of: date, rules: DbsRules) -> DbsStatus:
    """The Python rule's status for an adult whose counting certificate's base date is `base`."""
    check = SimpleNamespace(issue_date=base, update_service=False, status_checks=[])
    result = dbs_status(
        _member(MemberRole.CARER, None), check, as_of, rules.renewal_years, rules.due_soon_days, rules.window_months
    )
    if result is None:  # a carer living there always needs a check
        raise AssertionError("dbs_status gave no status for a carer")
    return result[0]


@dataclass(frozen=True)
class DbsThresholds:
    """Dates the stored columns are compared with, each found from the Python rule for one as-of date.

    - `adult_born_by`: is_adult_on(dob, as_of) <=> dob <= adult_born_by
    - `window_born_by`: a child member requires a check <=> dob <= window_born_by
    - `expired_base_by`: the renewal date has passed <=> base <= expired_base_by
    - `due_base_by`: expired or due soon <=> base <= due_base_by
    """

    as_of: date
    rules: DbsRules
    adult_born_by: date
    window_born_by: date
    expired_base_by: date
    due_base_by: date

    @classmethod
    def on(cls, as_of: date, rules: DbsRules) -> DbsThresholds:
        """The thresholds for the date and rules, asking the Python rules in carertrack.compliance."""
        eighteen_ago = add_months_clamped(as_of, -12 * ADULT_AGE)
        renewal_ago = add_months_clamped(as_of, -12 * rules.renewal_years)
        return cls(
            as_of=as_of,
            rules=rules,
            adult_born_by=last_day_where(lambda d: is_adult_on(d, as_of), eighteen_ago),
            window_born_by=last_day_where(
                lambda d: requires_dbs(_member(MemberRole.CHILD_MEMBER, d), as_of, rules.window_months),
                add_months_clamped(eighteen_ago, rules.window_months),
            ),
            expired_base_by=last_day_where(
                lambda b: _status_for_base(b, as_of, rules) is DbsStatus.EXPIRED, renewal_ago - _DAY
            ),
            due_base_by=last_day_where(
                lambda b: _status_for_base(b, as_of, rules) is not DbsStatus.CURRENT,
                renewal_ago + timedelta(days=rules.due_soon_days),
            ),
        )


# --- Households approved on the date ---------------------------------------------------------------


def approved_on_sql(as_of: date) -> ColumnElement[bool]:
    """compliance.is_approved_on: approved by the date and not deregistered by it."""
    return and_(
        Household.approval_date <= as_of,
        or_(Household.deregistration_date.is_(None), Household.deregistration_date > as_of),
    )


# --- People --------------------------------------------------------------------------------------------


def lives_there_sql(as_of: date) -> ColumnElement[bool]:
    """compliance.lives_there_on: joined by the date (or no join date) and not left by it."""
    return and_(
        or_(HouseholdMember.joined_date.is_(None), HouseholdMember.joined_date <= as_of),
        or_(HouseholdMember.left_date.is_(None), HouseholdMember.left_date > as_of),
    )


def is_adult_sql(limits: DbsThresholds) -> ColumnElement[bool]:
    """compliance.is_adult_on: 18 or over on the date (false with no date of birth)."""
    return and_(HouseholdMember.date_of_birth.is_not(None), HouseholdMember.date_of_birth <= limits.adult_born_by)


def requires_dbs_sql(limits: DbsThresholds) -> ColumnElement[bool]:
    """compliance.requires_dbs: lives there, and a carer or adult member, or 18 within the window."""
    return and_(
        lives_there_sql(limits.as_of),
        or_(
            HouseholdMember.role.in_([MemberRole.CARER, MemberRole.ADULT_MEMBER]),
            and_(
                HouseholdMember.date_of_birth.is_not(None),
                HouseholdMember.date_of_birth <= limits.window_born_by,
            ),
        ),
    )


# --- Certificates --------------------------------------------------------------------------------------


def satisfactory_status_checks(as_of: date) -> Subquery:
    """The last 'no new information' Update Service check per certificate, by the date.

    Columns: dbs_check_id, checked_on. Whether the certificate is subscribed is applied in
    `renewal_base_sql` (compliance.last_satisfactory_status_check ignores unsubscribed ones).
    """
    return (
        select(DbsStatusCheck.dbs_check_id, func.max(DbsStatusCheck.checked_on).label("checked_on"))
        .where(DbsStatusCheck.result == StatusCheckResult.NO_CHANGE, DbsStatusCheck.checked_on <= as_of)
        .group_by(DbsStatusCheck.dbs_check_id)
        .subquery("satisfactory_status_checks")
    )


def renewal_base_sql(issue_date: Any, update_service: Any, status_checked: Any) -> ColumnElement[date]:
    """The date compliance.dbs_renewal_date adds the renewal interval to: the later of the issue date
    and the last satisfactory status check (`status_checked`, may be NULL) when subscribed."""
    return case(
        (and_(update_service.is_(True), status_checked > issue_date), status_checked),
        else_=issue_date,
    )


def uses_distinct_on() -> bool:
    """True on PostgreSQL, where `latest_checks` chooses with DISTINCT ON (one sorted pass that keeps
    each person's first row) rather than numbering every certificate with row_number()."""
    return db.session.get_bind().dialect.name == "postgresql"


def latest_checks(
    as_of: date, household_conditions: Iterable[ColumnElement[bool]] = (), distinct_on: bool | None = None
) -> Subquery:
    """compliance.latest_check per person: the latest enhanced-with-barred-list certificate issued by
    the date, ties by id. Columns: member_id, check_id, issue_date, update_service and
    renewal_base (the base date of compliance.dbs_renewal_date as of the date).

    With `household_conditions`, only the certificates of people in those households are read (a
    worker's few households, not the whole service's certificates).

    Two forms choose the same row (latest issue date, then highest id): PostgreSQL's DISTINCT ON
    (the default there: measured at national size it takes about two thirds of the time) and
    row_number() (every other database). `distinct_on` forces one, for the tests that prove both.
    """
    status_checks = satisfactory_status_checks(as_of)
    scope = []
    if household_conditions:
        in_scope = select(HouseholdMember.id).join(Household).where(*household_conditions)
        scope.append(DbsCheck.member_id.in_(in_scope))
    latest_first = (DbsCheck.issue_date.desc(), DbsCheck.id.desc())
    certificates = (
        select(
            DbsCheck.member_id,
            DbsCheck.id.label("check_id"),
            DbsCheck.issue_date,
            DbsCheck.update_service,
            renewal_base_sql(DbsCheck.issue_date, DbsCheck.update_service, status_checks.c.checked_on).label(
                "renewal_base"
            ),
        )
        # Joined before choosing the latest, so the join is one hash join over the certificates.
        .outerjoin(status_checks, status_checks.c.dbs_check_id == DbsCheck.id)
        .where(DbsCheck.enhanced_with_barred_list.is_(True), DbsCheck.issue_date <= as_of, *scope)
    )
    if uses_distinct_on() if distinct_on is None else distinct_on:
        return (
            certificates.distinct(DbsCheck.member_id)
            .order_by(DbsCheck.member_id, *latest_first)
            .subquery("latest_checks")
        )
    position = func.row_number().over(partition_by=DbsCheck.member_id, order_by=latest_first)
    ranked = certificates.add_columns(position.label("position")).subquery("ranked_checks")
    return (
        select(
            ranked.c.member_id,
            ranked.c.check_id,
            ranked.c.issue_date,
            ranked.c.update_service,
            ranked.c.renewal_base,
        )
        .where(ranked.c.position == 1)
        .subquery("latest_checks")
    )


# --- Due dates as sortable integers ------------------------------------------------------------------


def date_key_sql(column: Any, years: Any = 0) -> ColumnElement[int]:
    """YYYYMMDD of add_months_clamped(column, 12 * years) as an integer: the same order as the dates.

    Adding whole years keeps the month and day, except that 29 February becomes 28 February in a
    year that is not a leap year: exactly add_months_clamped.
    """
    year = extract("year", column) + years
    month = extract("month", column)
    day = extract("day", column)
    leap = and_(year % 4 == 0, or_(year % 100 != 0, year % 400 == 0))
    clamped_day = case((and_(month == 2, day == 29, not_(leap)), 28), else_=day)
    return (year * 10000 + month * 100 + clamped_day).cast(Integer)


def date_key(day: date) -> int:
    """The Python side of date_key_sql for a date."""
    return day.year * 10000 + day.month * 100 + day.day


# --- Everyone who needs a check, with their status -----------------------------------------------------


@dataclass(frozen=True)
class DbsPeople:
    """One row per person who needs a DBS check in a household approved on the date (a subquery).

    Columns of `rows`: member_id, household_id, status (a DbsStatus value), urgency (0 expired or
    missing, 1 due soon, 2 current: DbsStatus.urgency), and due_from and due_years: the due date of
    compliance.dbs_status is add_months_clamped(due_from, 12 * due_years). `due_key` is that date
    as an integer, so `order_by(urgency, due_key, member_id)` is compliance.sort_most_urgent. (The
    key is computed where it is used, for the rows that are ordered, not for everyone.)
    """

    limits: DbsThresholds
    rows: Subquery | CTE

    @property
    def c(self) -> Any:
        """The subquery's columns."""
        return self.rows.c

    @property
    def due_key(self) -> ColumnElement[int]:
        """The due date of compliance.dbs_status as date_key (YYYYMMDD)."""
        return date_key_sql(self.c.due_from, self.c.due_years)

    def most_urgent_first(self) -> tuple[Any, ...]:
        """ORDER BY terms equal to compliance.sort_most_urgent."""
        return (self.c.urgency, self.due_key, self.c.member_id)


def dbs_people(
    as_of: date, rules: DbsRules, household_conditions: Iterable[ColumnElement[bool]] = (), as_cte: bool = False
) -> DbsPeople:
    """Everyone who needs a DBS check on the date in an approved household (CONTRACTS 3 "people
    requiring"), optionally only in households matching `household_conditions` (e.g. a worker's).

    `as_cte` makes the rows a WITH query, for a statement that reads them twice but should compute
    them once (summary_with_exceptions)."""
    household_conditions = list(household_conditions)
    limits = DbsThresholds.on(as_of, rules)
    latest = latest_checks(as_of, household_conditions)
    base = latest.c.renewal_base
    missing = latest.c.check_id.is_(None)
    status = case(
        (missing, literal(DbsStatus.MISSING.value)),
        (base <= limits.expired_base_by, literal(DbsStatus.EXPIRED.value)),
        (base <= limits.due_base_by, literal(DbsStatus.DUE_SOON.value)),
        else_=literal(DbsStatus.CURRENT.value),
    )
    urgency = case(
        (or_(missing, base <= limits.expired_base_by), 0),
        (base <= limits.due_base_by, 1),
        else_=2,
    )
    # The due date: the 18th birthday of a missing child, the as-of date for any other missing
    # person, else the renewal date.
    missing_child = and_(missing, HouseholdMember.role == MemberRole.CHILD_MEMBER, not_(is_adult_sql(limits)))
    due_from = case(
        (missing_child, HouseholdMember.date_of_birth),
        (missing, literal(as_of, Date)),
        else_=base,
    )
    due_years = case((missing_child, ADULT_AGE), (missing, 0), else_=rules.renewal_years)
    rows = (
        select(
            HouseholdMember.id.label("member_id"),
            HouseholdMember.household_id,
            status.label("status"),
            urgency.label("urgency"),
            due_from.label("due_from"),
            due_years.label("due_years"),
        )
        .join(Household, Household.id == HouseholdMember.household_id)
        .outerjoin(latest, latest.c.member_id == HouseholdMember.id)
        .where(approved_on_sql(as_of), requires_dbs_sql(limits), *household_conditions)
    )
    return DbsPeople(limits, rows.cte("dbs_people") if as_cte else rows.subquery("dbs_people"))


def status_counts(people: DbsPeople) -> Select:
    """SELECT status, count per status (missing statuses have no row)."""
    return select(people.c.status, func.count()).group_by(people.c.status)


def status_summary(people: DbsPeople) -> Select:
    """One row in one pass: people per status (columns named by DbsStatus value), everyone requiring
    a check (`people_requiring`) and the households with someone missing or expired (`not_compliant`)."""
    per_status = [
        func.coalesce(func.sum(case((people.c.status == s.value, 1), else_=0)), 0).label(s.value) for s in DbsStatus
    ]
    not_compliant = func.count(case((people.c.status.in_(INVALID), people.c.household_id)).distinct())
    return select(*per_status, func.count().label("people_requiring"), not_compliant.label("not_compliant"))


def summary_with_exceptions(people: DbsPeople, statuses: Iterable[str], limit: int, offset: int) -> Select:
    """status_summary and one page of exceptions(people, statuses) in one statement.

    Always at least one row: the summary columns, then the HouseholdMember of each row of the page
    (None when the page is empty), most urgent first. Build `people` with as_cte=True so the people
    are computed once for both.
    """
    summary = status_summary(people).subquery("summary")
    page = (
        select(people.c.member_id, people.c.urgency, people.due_key.label("due_key"))
        .where(people.c.status.in_(list(statuses)))
        .order_by(*people.most_urgent_first())
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    return (
        select(summary, HouseholdMember)
        .select_from(summary)
        .outerjoin(page, true())
        .outerjoin(HouseholdMember, HouseholdMember.id == page.c.member_id)
        .order_by(page.c.urgency, page.c.due_key, page.c.member_id)
    )


def exceptions(people: DbsPeople, statuses: Iterable[str] = EXCEPTIONS) -> Select:
    """The people who are not current (or only those in `statuses`) as HouseholdMember rows, most
    urgent first (compliance.sort_most_urgent), ready for LIMIT/OFFSET or db.paginate."""
    return (
        select(HouseholdMember)
        .join(people.rows, people.c.member_id == HouseholdMember.id)
        .where(people.c.status.in_(list(statuses)))
        .order_by(*people.most_urgent_first())
    )


# --- Households -------------------------------------------------------------------------------------


def _anyone(people: DbsPeople, statuses: Iterable[str]) -> ColumnElement[bool]:
    """EXISTS someone in the (outer) household with one of the statuses."""
    return exists().where(people.c.household_id == Household.id, people.c.status.in_(list(statuses)))


def not_compliant_sql(
    as_of: date, rules: DbsRules, household_conditions: Iterable[ColumnElement[bool]] = ()
) -> ColumnElement[bool]:
    """not compliance.household_compliance(...).compliant: approved on the date and somebody who needs
    a check has none or an expired one. (A household not approved on the date is compliant.)

    `household_conditions` narrow the people looked at to the households the outer query can
    return anyway (a worker's), which keeps a worker's list from reading the whole service."""
    people = dbs_people(as_of, rules, household_conditions)
    return and_(approved_on_sql(as_of), _anyone(people, INVALID))


def compliant_sql(
    as_of: date, rules: DbsRules, household_conditions: Iterable[ColumnElement[bool]] = ()
) -> ColumnElement[bool]:
    """An approved household whose compliance.household_compliance(...).compliant is true."""
    people = dbs_people(as_of, rules, household_conditions)
    return and_(approved_on_sql(as_of), not_(_anyone(people, INVALID)))


def due_soon_sql(
    as_of: date, rules: DbsRules, household_conditions: Iterable[ColumnElement[bool]] = ()
) -> ColumnElement[bool]:
    """Compliant and somebody's check is due soon (HouseholdCompliance.compliant and .due_soon)."""
    people = dbs_people(as_of, rules, household_conditions)
    return and_(
        approved_on_sql(as_of),
        not_(_anyone(people, INVALID)),
        _anyone(people, (DbsStatus.DUE_SOON.value,)),
    )


# --- Annual reviews ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewThresholds:
    """Review due dates as thresholds on the date they run from (the last review, or approval).

    - `overdue_from_by`: compliance.review_position is overdue <=> from-date <= overdue_from_by
    - `due_from_by`: overdue or due soon <=> from-date <= due_from_by
    """

    as_of: date
    overdue_from_by: date
    due_from_by: date

    @classmethod
    def on(cls, as_of: date, due_soon_days: int) -> ReviewThresholds:
        """The thresholds for the date, asking compliance.review_position itself."""

        def status(start: date) -> DueStatus:
            return review_position(start, [], as_of, due_soon_days).status

        year_ago = add_months_clamped(as_of, -12)
        return cls(
            as_of=as_of,
            overdue_from_by=last_day_where(lambda d: status(d) is DueStatus.OVERDUE, year_ago - _DAY),
            due_from_by=last_day_where(
                lambda d: status(d) is not DueStatus.NOT_DUE, year_ago + timedelta(days=due_soon_days)
            ),
        )


@dataclass(frozen=True)
class ReviewsDue:
    """One row per household approved on the date (a subquery) with its next annual review.

    Columns of `rows`: household_id, status (a DueStatus value: overdue, due_soon or not_due) and
    due_key (compliance.review_due_date as date_key), mirroring compliance.review_position.
    """

    rows: Subquery

    @property
    def c(self) -> Any:
        """The subquery's columns."""
        return self.rows.c


def reviews_due(
    as_of: date, due_soon_days: int, household_conditions: Iterable[ColumnElement[bool]] = ()
) -> ReviewsDue:
    """compliance.review_position for every household approved on the date, in SQL."""
    household_conditions = list(household_conditions)
    limits = ReviewThresholds.on(as_of, due_soon_days)
    scope = [AnnualReview.household_id.in_(select(Household.id).where(*household_conditions))]
    last = (
        select(AnnualReview.household_id, func.max(AnnualReview.completed_date).label("completed_date"))
        .where(AnnualReview.completed_date <= as_of, *(scope if household_conditions else []))
        .group_by(AnnualReview.household_id)
        .subquery("last_reviews")
    )
    start = func.coalesce(last.c.completed_date, Household.approval_date)
    status = case(
        (start <= limits.overdue_from_by, literal(DueStatus.OVERDUE.value)),
        (start <= limits.due_from_by, literal(DueStatus.DUE_SOON.value)),
        else_=literal(DueStatus.NOT_DUE.value),
    )
    rows = (
        select(Household.id.label("household_id"), status.label("status"), date_key_sql(start, 1).label("due_key"))
        .outerjoin(last, last.c.household_id == Household.id)
        .where(approved_on_sql(as_of), *household_conditions)
        .subquery("reviews_due")
    )
    return ReviewsDue(rows)


# --- Staying put ---------------------------------------------------------------------------------------


def _arrangement(date_of_birth: date, as_of: date) -> SimpleNamespace:
    """A stand-in arrangement started on the date with no end recorded, to ask the Python rules."""
    return SimpleNamespace(start_date=as_of, end_date=None, planned_end_date=None, date_of_birth=date_of_birth)


@dataclass(frozen=True)
class StayingPutSql:
    """compliance.staying_put_active, ending_within_days and staying_put_ends as SQL on StayingPut."""

    as_of: date
    days: int
    active: ColumnElement[bool]
    ending_soon: ColumnElement[bool]
    ends_key: ColumnElement[int]

    def order(self) -> tuple[Any, ...]:
        """Active first, ending soonest first; then the others, latest end first; then by id."""
        return (
            case((self.active, 0), else_=1),
            case((self.active, self.ends_key), else_=-self.ends_key),
            StayingPut.id,
        )


def _earliest_key(keys: list[tuple[Any, ColumnElement[int]]], first: ColumnElement[int]) -> ColumnElement[int]:
    """The smallest of `first` and each key whose date column is not null (SQL LEAST, portably)."""
    result = first
    for column, key in keys:
        result = case((and_(column.is_not(None), key < result), key), else_=result)
    return result


def staying_put_sql(as_of: date, days: int = STAYING_PUT_ENDING_DAYS) -> StayingPutSql:
    """The staying-put rules as SQL for the date (thresholds found from the Python rules)."""
    born_21_by = last_day_where(
        lambda d: not staying_put_active(_arrangement(d, as_of), as_of),
        add_months_clamped(as_of, -12 * STAYING_PUT_AGE),
    )
    horizon = as_of + timedelta(days=days)
    born_ending_by = last_day_where(
        lambda d: staying_put_ends(_arrangement(d, as_of)) - as_of <= timedelta(days=days),
        add_months_clamped(horizon, -12 * STAYING_PUT_AGE),
    )
    active = and_(
        StayingPut.start_date <= as_of,
        or_(StayingPut.end_date.is_(None), StayingPut.end_date > as_of),
        StayingPut.date_of_birth > born_21_by,
    )
    ending_soon = and_(
        active,
        or_(
            StayingPut.date_of_birth <= born_ending_by,
            and_(StayingPut.end_date.is_not(None), StayingPut.end_date <= horizon),
            and_(StayingPut.planned_end_date.is_not(None), StayingPut.planned_end_date <= horizon),
        ),
    )
    ends_key = _earliest_key(
        [
            (StayingPut.end_date, date_key_sql(StayingPut.end_date)),
            (StayingPut.planned_end_date, date_key_sql(StayingPut.planned_end_date)),
        ],
        date_key_sql(StayingPut.date_of_birth, STAYING_PUT_AGE),
    )
    return StayingPutSql(as_of, days, active, ending_soon, ends_key)
