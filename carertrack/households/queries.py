"""Read-only queries for households, DBS currency and staying put.

Each page loads what it shows in a fixed number of statements, whatever the number of households.
Lists are filtered, counted, ordered and paginated in SQL with the conditions of
carertrack.compliance_sql, which mirror the rules in carertrack.compliance (tests prove they agree);
what a page shows for its own rows (statuses, due dates) is then computed by carertrack.compliance,
the single source of truth, so a page, a report and a reminder can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import has_request_context
from sqlalchemy import Select, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import joinedload, lazyload, noload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from carertrack import compliance_sql as sql_rules
from carertrack.compliance import (
    DbsRules,
    DbsStatus,
    DueStatus,
    HouseholdCompliance,
    HouseholdStatus,
    PersonDbs,
    ReviewPosition,
    ending_within_days,
    household_compliance,
    household_status,
    is_approved_on,
    lives_there_on,
    person_dbs,
    placement_active,
    review_position,
    sort_most_urgent,
    staying_put_active,
    staying_put_ends,
    training_due_date,
    training_status,
    vacancies,
)
from carertrack.extensions import CountedPagination, db, page_from_address
from carertrack.loading import load_collection
from carertrack.models.dbs import DbsCheck, DbsStatusCheck
from carertrack.models.household import AnnualReview, CarerType, Household, HouseholdMember, MemberRole, Placement
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role

PER_PAGE = 25

# For one household (its page): members, certificates and checks by selectin. Lists load theirs with
# load_people, whose statements run whether or not the list has rows.
WITH_PEOPLE = (
    selectinload(Household.members).selectinload(HouseholdMember.dbs_checks).selectinload(DbsCheck.status_checks),
)


# --- SQL conditions mirroring carertrack.compliance ----------------------------------------------


def approved_on_clause(as_of: date) -> Any:
    """SQL for compliance.is_approved_on: approved by the date and not deregistered by it."""
    return sql_rules.approved_on_sql(as_of)


def deregistered_clause(as_of: date) -> Any:
    """SQL for HouseholdStatus.DEREGISTERED on the date."""
    return and_(Household.deregistration_date.is_not(None), Household.deregistration_date <= as_of)


def on_hold_clause(as_of: date) -> Any:
    """SQL for HouseholdStatus.ON_HOLD on the date."""
    return and_(
        approved_on_clause(as_of),
        Household.on_hold_reason.is_not(None),
        or_(Household.on_hold_since.is_(None), Household.on_hold_since <= as_of),
    )


def active_clause(as_of: date) -> Any:
    """SQL for HouseholdStatus.ACTIVE on the date."""
    return and_(approved_on_clause(as_of), not_(on_hold_clause(as_of)))


STATUS_CLAUSES = {"active": active_clause, "on_hold": on_hold_clause, "deregistered": deregistered_clause}


def visible_to(statement: Select, user: Any) -> Select:
    """Social workers see the households they supervise; everyone else sees all."""
    return statement.where(*visible_conditions(user))


def visible_conditions(user: Any | None) -> list[Any]:
    """The conditions on Household for what the person may see (none for everyone but social workers)."""
    if user is not None and user.role is Role.SOCIAL_WORKER:
        return [Household.supervising_worker_id == user.id]
    return []


def page_number(page: int | None) -> int:
    """The page asked for: the argument, else the address's `page`, else 1."""
    if page is not None:
        return max(page, 1)
    return page_from_address() if has_request_context() else 1


def paginate_counted(statement: Select, page: int | None = None, per_page: int = PER_PAGE) -> CountedPagination:
    """db.paginate in one statement: the total comes with the rows (COUNT(*) OVER ()), so an
    expensive filter runs once. Only a page past the end needs a separate count."""
    number = page_number(page)
    counted = statement.add_columns(func.count().over().label("total_rows"))
    rows = db.session.execute(counted.limit(per_page).offset((number - 1) * per_page)).all()
    if rows:
        total = rows[0].total_rows
    elif number == 1:
        total = 0
    else:
        total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    return CountedPagination([row[0] for row in rows], total, number, per_page)


# --- Compliance in batches -----------------------------------------------------------------------


def compliance_for(households: Sequence[Household], as_of: date, rules: DbsRules) -> dict[int, HouseholdCompliance]:
    """Each household's compliance (their people must be loaded, e.g. with load_people or WITH_PEOPLE)."""
    return {h.id: household_compliance(h, as_of, rules) for h in households}


def _group(rows: Sequence[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def load_households_with_people(households_query: Select, with_reviews: bool = False) -> list[Household]:
    """The households a statement selects, with members, certificates and status checks (and reviews).

    Each kind of record comes in one statement filtered by the same households subquery, never an
    IN list of ids, so the number of statements is fixed however many households there are.
    """
    ids = households_query.with_only_columns(Household.id).order_by(None).scalar_subquery()
    households = list(db.session.scalars(households_query.options(noload(Household.members))))
    members = db.session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.household_id.in_(ids))
        .options(noload(HouseholdMember.dbs_checks))
        .order_by(HouseholdMember.id)
    ).all()
    checks = db.session.scalars(
        select(DbsCheck)
        .join(DbsCheck.member)
        .where(HouseholdMember.household_id.in_(ids))
        .options(noload(DbsCheck.status_checks))
        .order_by(DbsCheck.issue_date, DbsCheck.id)
    ).all()
    status_checks = db.session.scalars(
        select(DbsStatusCheck)
        .join(DbsStatusCheck.dbs_check)
        .join(DbsCheck.member)
        .where(HouseholdMember.household_id.in_(ids))
        .order_by(DbsStatusCheck.checked_on, DbsStatusCheck.id)
    ).all()
    by_check = _group(status_checks, "dbs_check_id")
    for check in checks:
        set_committed_value(check, "status_checks", by_check.get(check.id, []))
    by_member = _group(checks, "member_id")
    for member in members:
        set_committed_value(member, "dbs_checks", by_member.get(member.id, []))
    by_household = _group(members, "household_id")
    reviews = {}
    if with_reviews:
        reviews = _group(
            db.session.scalars(
                select(AnnualReview).where(AnnualReview.household_id.in_(ids)).order_by(AnnualReview.completed_date)
            ).all(),
            "household_id",
        )
    for household in households:
        set_committed_value(household, "members", by_household.get(household.id, []))
        if with_reviews:
            set_committed_value(household, "reviews", reviews.get(household.id, []))
    return households


def load_people(households: Sequence[Household]) -> None:
    """Members, certificates and status checks of households already loaded (a page's, an agenda's):
    three statements, which run whether or not there are any households (carertrack.loading). The
    households' statement should carry `lazyload(Household.members)`."""
    members = load_collection(households, Household.members, lazyload(HouseholdMember.dbs_checks))
    checks = load_collection(members, HouseholdMember.dbs_checks, lazyload(DbsCheck.status_checks))
    load_collection(checks, DbsCheck.status_checks)


def approved_households(as_of: date, user: Any | None = None, with_reviews: bool = False) -> list[Household]:
    """Households approved on the date (that the person may see) with their people, in a fixed number of statements."""
    statement = select(Household).where(approved_on_clause(as_of)).order_by(Household.reference)
    if user is not None:
        statement = visible_to(statement, user)
    return load_households_with_people(statement, with_reviews)


@dataclass(frozen=True)
class PersonRow:
    """A person who needs a DBS check, with their household, for the compliance page and reports."""

    household: Household
    person: PersonDbs


def dbs_people(as_of: date, rules: DbsRules, user: Any | None = None) -> list[PersonRow]:
    """Everyone in a household approved on the date who needs a DBS check, with their status (CONTRACTS 3)."""
    rows = []
    for household in approved_households(as_of, user):
        for person in household_compliance(household, as_of, rules).people:
            rows.append(PersonRow(household, person))
    return rows


def dbs_exceptions(rows: Sequence[PersonRow], statuses: set[DbsStatus] | None = None) -> list[PersonRow]:
    """The people whose DBS is not current (or only those in `statuses`), most urgent first."""
    wanted = statuses or {DbsStatus.DUE_SOON, DbsStatus.EXPIRED, DbsStatus.MISSING}
    chosen = [r for r in rows if r.person.status in wanted]
    order = {id(p): i for i, p in enumerate(sort_most_urgent(r.person for r in chosen))}
    return sorted(chosen, key=lambda r: order[id(r.person)])


def dbs_counts(rows: Sequence[PersonRow]) -> dict[str, int]:
    """How many people need a check, and how many are in each status."""
    counts = {status.value: 0 for status in DbsStatus}
    for row in rows:
        counts[row.person.status.value] += 1
    counts["people_requiring"] = len(rows)
    return counts


def dbs_status_counts(people: sql_rules.DbsPeople) -> dict[str, int]:
    """dbs_counts in SQL, in one statement: how many people need a check, how many are in each
    status, and (`not_compliant`) how many households have someone missing or expired."""
    row = db.session.execute(sql_rules.status_summary(people)).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def person_rows(members: Sequence[HouseholdMember], as_of: date, rules: DbsRules) -> list[PersonRow]:
    """The shown people's DBS positions from the Python rule (their certificates must be loaded)."""
    return [PersonRow(m.household, p) for m in members if (p := person_dbs(m, as_of, rules))]


# A page of people with their households (and supervising worker), certificates and status checks,
# joined into the statement that chooses them: one statement, whether or not the page is empty.
WITH_CHECKS = (
    joinedload(HouseholdMember.household),
    joinedload(HouseholdMember.dbs_checks).joinedload(DbsCheck.status_checks),
)


def dbs_exception_page(
    as_of: date,
    rules: DbsRules,
    statuses: set[DbsStatus] | None = None,
    user: Any | None = None,
    page: int | None = None,
    per_page: int = PER_PAGE,
) -> tuple[CountedPagination, dict[str, int]]:
    """One page of the people whose DBS is not current (or only `statuses`), most urgent first, and
    the counts per status: chosen, counted and ordered in SQL in one statement (one pass over the
    people); statuses and due dates of the shown rows from the Python rule."""
    number = page_number(page)
    people = sql_rules.dbs_people(as_of, rules, visible_conditions(user), as_cte=True)
    wanted = [s.value for s in statuses] if statuses else list(sql_rules.EXCEPTIONS)
    statement = sql_rules.summary_with_exceptions(people, wanted, per_page, (number - 1) * per_page)
    rows = db.session.execute(statement.options(*WITH_CHECKS)).unique().all()
    counts = {key: int(value or 0) for key, value in rows[0]._mapping.items() if key != "HouseholdMember"}
    members = [row.HouseholdMember for row in rows if row.HouseholdMember is not None]
    total = sum(counts[s] for s in wanted)
    return CountedPagination(person_rows(members, as_of, rules), total, number, per_page), counts


# --- The household list ------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    """The household list's filters, as read from the query string."""

    q: str = ""
    carer_type: str = ""
    status: str = ""
    compliance: str = ""

    @classmethod
    def from_args(cls, args: Any) -> ListFilters:
        """Read and tidy the filters; unknown values are ignored."""
        carer_type = args.get("type", "")
        status = args.get("status", "")
        compliance = args.get("compliance", "")
        return cls(
            q=args.get("q", "").strip()[:100],
            carer_type=carer_type if carer_type in {t.value for t in CarerType} else "",
            status=status if status in STATUS_CLAUSES else "",
            compliance=compliance if compliance in {"not_compliant", "due_soon", "compliant"} else "",
        )

    @property
    def any(self) -> bool:
        """True when any filter or search is applied."""
        return bool(self.q or self.carer_type or self.status or self.compliance)


COMPLIANCE_CLAUSES = {
    "not_compliant": sql_rules.not_compliant_sql,
    "due_soon": sql_rules.due_soon_sql,
    "compliant": sql_rules.compliant_sql,
}


def search_clause(query: str) -> Any:
    """Reference, postcode (spaces ignored) or anyone's name in the household."""
    like = f"%{query.lower()}%"
    compact = f"%{''.join(query.split()).lower()}%"
    named = exists().where(HouseholdMember.household_id == Household.id, func.lower(HouseholdMember.name).like(like))
    return or_(
        func.lower(Household.reference).like(like),
        func.lower(func.replace(Household.postcode, " ", "")).like(compact),
        named,
    )


def household_list(user: Any, filters: ListFilters, as_of: date, rules: DbsRules, page: int | None = None) -> Any:
    """One page of households with their compliance, in a fixed number of statements."""
    statement = visible_to(select(Household), user)
    if filters.q:
        statement = statement.where(search_clause(filters.q))
    if filters.carer_type:
        statement = statement.where(Household.carer_type == CarerType(filters.carer_type))
    if filters.status:
        statement = statement.where(STATUS_CLAUSES[filters.status](as_of))
    if filters.compliance:
        statement = statement.where(COMPLIANCE_CLAUSES[filters.compliance](as_of, rules, visible_conditions(user)))
    deregistered_last = case((deregistered_clause(as_of), 1), else_=0)
    statement = statement.options(lazyload(Household.members))
    statement = statement.order_by(deregistered_last, Household.reference, Household.id)
    if filters.compliance:
        # The compliance filter reads everyone's certificates: count with the rows, so it runs once.
        result = paginate_counted(statement, page)
    else:
        result = db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)
    load_people(result.items)
    return result, compliance_for(result.items, as_of, rules)


# --- Staying put ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StayingPutRow:
    """An arrangement with its state on the date."""

    arrangement: StayingPut
    active: bool
    ending_soon: bool
    ends: date


def staying_put_row(arrangement: StayingPut, as_of: date) -> StayingPutRow:
    """An arrangement's state on the date, from the Python rules."""
    return StayingPutRow(
        arrangement,
        staying_put_active(arrangement, as_of),
        ending_within_days(arrangement, as_of),
        staying_put_ends(arrangement),
    )


STAYING_PUT_SHOWS = ("active", "ended")


def staying_put_counts(user: Any, as_of: date) -> dict[str, int]:
    """Arrangements the person may see: all, active, and active ending within 90 days (one statement)."""
    rules = sql_rules.staying_put_sql(as_of)
    statement = visible_to(
        select(
            func.count(),
            func.coalesce(func.sum(case((rules.active, 1), else_=0)), 0),
            func.coalesce(func.sum(case((rules.ending_soon, 1), else_=0)), 0),
        )
        .select_from(StayingPut)
        .join(StayingPut.household),
        user,
    )
    every, active, ending = db.session.execute(statement).one()
    return {"all": every, "active": active, "ended": every - active, "ending_within_90_days": ending}


def staying_put_page(user: Any, as_of: date, which: str = "", page: int | None = None) -> tuple[Any, dict[str, int]]:
    """One page of the arrangements the person may see ('active', 'ended' (including any not started
    yet) or all): active first, ending soonest first, then the others, latest end first; and the counts."""
    rules = sql_rules.staying_put_sql(as_of)
    counts = staying_put_counts(user, as_of)
    statement = visible_to(select(StayingPut).join(StayingPut.household), user)
    if which == "active":
        statement = statement.where(rules.active)
    elif which == "ended":
        statement = statement.where(not_(rules.active))
    number = page_number(page)
    statement = (
        # The households come in the same statement; their people next, for this page's households only.
        statement.options(joinedload(StayingPut.household).noload(Household.members))
        .order_by(*rules.order())
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    rows = [staying_put_row(a, as_of) for a in db.session.scalars(statement)]
    return CountedPagination(rows, counts[which or "all"], number, PER_PAGE), counts


def compliance_of_households(ids: Sequence[int], as_of: date, rules: DbsRules) -> dict[int, HouseholdCompliance]:
    """The compliance of a few households (a page's), loaded with their people in a fixed number of statements."""
    households = load_households_with_people(select(Household).where(Household.id.in_(list(ids) or [-1])))
    return compliance_for(households, as_of, rules)


# --- One household's page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """A person on the household page with their DBS position (None when they need no check)."""

    member: HouseholdMember
    dbs: PersonDbs | None
    latest: Any | None
    training: tuple[DueStatus, date] | None


@dataclass(frozen=True)
class HouseholdSummary:
    """Everything the household page shows, computed as of one date."""

    household: Household
    as_of: date
    status: HouseholdStatus
    compliance: HouseholdCompliance
    current_members: list[MemberRow]
    former_members: list[MemberRow]
    review: ReviewPosition | None
    placements_now: list[Placement]
    placements_past: list[Placement]
    vacancies: int | None
    staying_put: list[StayingPutRow]
    training_due: date


def household_summary(
    household: Household, as_of: date, rules: DbsRules, review_soon: int, training_soon: int
) -> HouseholdSummary:
    """The household page's figures, from the rules in carertrack.compliance."""
    compliance = household_compliance(household, as_of, rules)
    people = {p.member.id: p for p in compliance.people}
    rows_now, rows_before = [], []
    for member in household.members:
        latest = max(member.dbs_checks, key=lambda c: (c.issue_date, c.id), default=None)
        training = None
        if member.role is MemberRole.CARER:
            training = training_status(
                household.approval_date, household.carer_type, member.tsd_completed_date, as_of, training_soon
            )
        row = MemberRow(member, people.get(member.id), latest, training)
        (rows_now if lives_there_on(member, as_of) else rows_before).append(row)
    placements = list(household.placements)
    approved = is_approved_on(household, as_of)
    review = (
        review_position(household.approval_date, [r.completed_date for r in household.reviews], as_of, review_soon)
        if approved
        else None
    )
    arrangements = [staying_put_row(a, as_of) for a in household.staying_put]
    return HouseholdSummary(
        household=household,
        as_of=as_of,
        status=household_status(household, as_of),
        compliance=compliance,
        current_members=rows_now,
        former_members=rows_before,
        review=review,
        placements_now=[p for p in placements if placement_active(p, as_of)],
        placements_past=[p for p in placements if not placement_active(p, as_of)],
        vacancies=vacancies(household, placements, as_of),
        staying_put=arrangements,
        training_due=training_due_date(household.approval_date, household.carer_type),
    )
