"""Reading cases in SQL: who may see which, the lists, and clock statuses as SQL conditions.

The clock status conditions here mirror carertrack/cases/rules.py over the stored deadlines
(``eight_month_deadline``, ``reg24_deadline``); tests/integration/test_cases_status_sql.py proves the
two agree on a varied set of cases. Statuses are always computed for an as-of date, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import joinedload

from carertrack.cases.access import sees_every_case
from carertrack.cases.rules import ClockSettings
from carertrack.clocks import ClockStatus, first_contact_deadline
from carertrack.extensions import db
from carertrack.models.case import STOPPING_RECOMMENDATIONS, CarerType, Case, Stage
from carertrack.models.case_records import CaseApplicant
from carertrack.models.user import Role, User
from carertrack.thresholds import first_day_where

# --- Who sees what --------------------------------------------------------------------------------


def visible_condition(user: Any) -> ColumnElement[bool]:
    """The cases this person may open, as a SQL condition (the same rule as access.can_view_case)."""
    if sees_every_case(user):
        return true()
    if user.role == Role.SOCIAL_WORKER:
        return or_(
            Case.allocated_worker_id == user.id,
            and_(
                Case.allocated_worker_id.is_(None),
                or_(Case.intake_worker_id == user.id, Case.initial_visit_worker_id == user.id),
            ),
        )
    return false()


def open_condition() -> ColumnElement[bool]:
    """Open cases: not closed and no agency decision yet."""
    return and_(Case.closed_date.is_(None), Case.decision.is_(None))


def open_enquiry_condition() -> ColumnElement[bool]:
    """Open enquiries: not closed, no application yet (CONTRACTS 3 'enquiries_open', as of today)."""
    return and_(Case.closed_date.is_(None), Case.application_date.is_(None))


# --- Clock statuses in SQL --------------------------------------------------------------------------


def _on_or_before(column: Any, as_of: date) -> ColumnElement[bool]:
    """Null-safe 'happened by as_of'."""
    return and_(column.is_not(None), column <= as_of)


def planned_panel_sql() -> ColumnElement[Any]:
    """rules.planned_panel_date in SQL: the later of the predicted and booked panel dates."""
    return case(
        (Case.predicted_panel_date.is_(None), Case.panel_date),
        (Case.panel_date.is_(None), Case.predicted_panel_date),
        (Case.predicted_panel_date > Case.panel_date, Case.predicted_panel_date),
        else_=Case.panel_date,
    )


@dataclass(frozen=True)
class ClockSql:
    """One clock's running / breached / at-risk / on-track conditions, each never NULL."""

    deadline: Any
    running: ColumnElement[bool]
    breached: ColumnElement[bool]
    at_risk: ColumnElement[bool]
    on_track: ColumnElement[bool]


def _clock_sql(
    deadline: Any, started: ColumnElement[bool], stopped: ColumnElement[bool], as_of: date, lead_days: int
) -> ClockSql:
    running = and_(started, deadline.is_not(None), not_(stopped))
    breached = and_(running, deadline < as_of)
    planned = planned_panel_sql()
    at_risk = and_(
        running,
        deadline >= as_of,
        or_(
            and_(planned.is_not(None), planned > deadline),
            and_(planned.is_(None), deadline <= as_of + timedelta(days=lead_days)),
        ),
    )
    on_track = and_(running, not_(breached), not_(at_risk))
    return ClockSql(deadline, running, breached, at_risk, on_track)


def eight_month_sql(as_of: date, lead_days: int) -> ClockSql:
    """rules.eight_month_clock in SQL."""
    recommendation_stop = func.coalesce(Case.recommendation_date, Case.panel_date)
    stopped = or_(
        _on_or_before(Case.closed_date, as_of),
        and_(
            Case.panel_recommendation.is_not(None),
            Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
            _on_or_before(recommendation_stop, as_of),
        ),
    )
    return _clock_sql(Case.eight_month_deadline, _on_or_before(Case.application_date, as_of), stopped, as_of, lead_days)


def reg24_sql(as_of: date, lead_days: int) -> ClockSql:
    """rules.reg24_clock in SQL."""
    started = and_(Case.carer_type == CarerType.CONNECTED, _on_or_before(Case.placement_date, as_of))
    stopped = or_(_on_or_before(Case.closed_date, as_of), _on_or_before(Case.decision_date, as_of))
    return _clock_sql(Case.reg24_deadline, started, stopped, as_of, lead_days)


@dataclass(frozen=True)
class TimescaleSql:
    """The case's timescale status (worse of 8 months and regulation 24) as SQL pieces."""

    eight: ClockSql
    reg24: ClockSql

    @property
    def breached(self) -> ColumnElement[bool]:
        return or_(self.eight.breached, self.reg24.breached)

    @property
    def at_risk(self) -> ColumnElement[bool]:
        return and_(not_(self.breached), or_(self.eight.at_risk, self.reg24.at_risk))

    @property
    def on_track(self) -> ColumnElement[bool]:
        return and_(
            not_(self.breached),
            not_(or_(self.eight.at_risk, self.reg24.at_risk)),
            or_(self.eight.on_track, self.reg24.on_track),
        )

    @property
    def no_clock(self) -> ColumnElement[bool]:
        return not_(or_(self.eight.running, self.reg24.running))

    def urgency_rank(self) -> ColumnElement[int]:
        """0 breached, 1 at risk, 2 on track, 3 no clock: rules.urgency_key's first part."""
        return case(
            (self.breached, 0),
            (or_(self.eight.at_risk, self.reg24.at_risk), 1),
            (or_(self.eight.on_track, self.reg24.on_track), 2),
            else_=3,
        )

    def nearest_deadline(self) -> ColumnElement[Any]:
        """The earlier deadline of the running clocks, or NULL."""
        eight, reg24 = self.eight, self.reg24
        return case(
            (and_(eight.running, reg24.running, eight.deadline <= reg24.deadline), eight.deadline),
            (and_(eight.running, reg24.running), reg24.deadline),
            (eight.running, eight.deadline),
            (reg24.running, reg24.deadline),
            else_=None,
        )


def timescale_sql(as_of: date, settings: ClockSettings) -> TimescaleSql:
    """The SQL pieces for timescale statuses as of a date."""
    return TimescaleSql(eight_month_sql(as_of, settings.lead_days), reg24_sql(as_of, settings.lead_days))


def status_condition(status: ClockStatus | None, as_of: date, settings: ClockSettings) -> ColumnElement[bool]:
    """Cases whose timescale status (rules.timescale_status) is this status; None means no clock running."""
    sql = timescale_sql(as_of, settings)
    if status is None:
        return sql.no_clock
    return {
        ClockStatus.BREACHED: sql.breached,
        ClockStatus.AT_RISK: sql.at_risk,
        ClockStatus.ON_TRACK: sql.on_track,
    }[status]


def urgency_order(as_of: date, settings: ClockSettings) -> list[Any]:
    """ORDER BY for 'most urgent first': worst status, then the nearest deadline (none last)."""
    sql = timescale_sql(as_of, settings)
    nearest = sql.nearest_deadline()
    return [sql.urgency_rank(), case((nearest.is_(None), 1), else_=0), nearest, Case.reference]


def stage_order() -> ColumnElement[int]:
    """ORDER BY the journey's stage order (the stage is stored as text)."""
    return case(*((Case.stage == stage, stage.order) for stage in Stage), else_=len(Stage))


# --- Lists ---------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A trigram index (pg_trgm) serves ILIKE '%term%' on PostgreSQL from three characters on; a shorter term
# matches most rows, and reading the table once is then quicker than the indexes.
TRIGRAM = 3


def search_condition(query: str) -> ColumnElement[bool]:
    """Match a reference, a postcode (spaces ignored) or an applicant's name.

    On PostgreSQL, for a term the trigram indexes can serve, each of the three matches is its own
    indexed lookup of case ids (the same three conditions, so the same cases match); otherwise every
    case is tested for the three.
    """
    like = _like(query)
    compact = _like(query.replace(" ", ""))
    by_reference = Case.reference.ilike(like, escape="\\")
    by_postcode = func.replace(Case.postcode, " ", "").ilike(compact, escape="\\")
    by_applicant = select(CaseApplicant.case_id).where(CaseApplicant.name.ilike(like, escape="\\"))
    if _trigram_served(query):
        return Case.id.in_(union(select(Case.id).where(by_reference), select(Case.id).where(by_postcode), by_applicant))
    return or_(by_reference, by_postcode, Case.id.in_(by_applicant))


def _trigram_served(query: str) -> bool:
    """Whether the trigram indexes (PostgreSQL only) can serve a search for this term."""
    return db.session.get_bind().dialect.name == "postgresql" and len(query.replace(" ", "")) >= TRIGRAM


@dataclass
class PipelineFilters:
    """What the manager filtered the pipeline by."""

    worker: str = ""  # a user id, "none" for unallocated, or blank for everyone
    carer_type: CarerType | None = None
    stage: Stage | None = None
    status: str = ""  # a ClockStatus value, "none", or blank
    query: str = ""


def pipeline_conditions(
    filters: PipelineFilters, as_of: date, settings: ClockSettings, *, include_stage: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE conditions for the pipeline's filters (the stage counts leave the stage out)."""
    conditions: list[ColumnElement[bool]] = [open_condition()]
    if filters.worker == "none":
        conditions.append(Case.allocated_worker_id.is_(None))
    elif filters.worker.isdigit():
        conditions.append(Case.allocated_worker_id == int(filters.worker))
    if filters.carer_type is not None:
        conditions.append(Case.carer_type == filters.carer_type)
    if include_stage and filters.stage is not None:
        conditions.append(Case.stage == filters.stage)
    if filters.status == "none":
        conditions.append(status_condition(None, as_of, settings))
    elif filters.status in {s.value for s in ClockStatus}:
        conditions.append(status_condition(ClockStatus(filters.status), as_of, settings))
    if filters.query:
        conditions.append(search_condition(filters.query))
    return conditions


def pipeline_statement(filters: PipelineFilters, as_of: date, settings: ClockSettings) -> Select:
    """Every open case matching the filters, by stage, then most urgent first."""
    return (
        select(Case)
        .where(*pipeline_conditions(filters, as_of, settings))
        .order_by(stage_order(), *urgency_order(as_of, settings))
    )


def pipeline_window(
    counts: dict[Stage, dict[str, int]], stage: Stage | None, offset: int, per_page: int
) -> tuple[list[Stage], int]:
    """The stages a page of the pipeline falls in, and its offset within the first of them.

    The pipeline is ordered by stage first, and the stage counts (same filters) say how many cases each
    stage holds, so a page only needs its own stages' cases sorted by urgency, not every open case.
    """
    if stage is not None:
        return [stage], offset
    stages: list[Stage] = []
    skip = before = 0
    for each in sorted(Stage, key=lambda s: s.order):
        count = counts[each]["total"]
        if count and before + count > offset and before < offset + per_page:
            if not stages:
                skip = offset - before
            stages.append(each)
        before += count
    return stages, skip


def pipeline_page_statement(
    filters: PipelineFilters,
    as_of: date,
    settings: ClockSettings,
    counts: dict[Stage, dict[str, int]],
    page: int,
    per_page: int,
) -> Select:
    """One page of pipeline_statement's cases, in its order.

    The order is worked out over a narrow row (the id and the sort keys, which the open-case index
    covers) within the page's stages, and only the page's cases are then read whole.
    """
    stages, skip = pipeline_window(counts, filters.stage, (page - 1) * per_page, per_page)
    keys = [stage_order(), *urgency_order(as_of, settings)]
    ranked = (
        select(Case.id, *(key.label(f"key_{n}") for n, key in enumerate(keys)))
        .where(*pipeline_conditions(filters, as_of, settings), Case.stage.in_(stages))
        .order_by(*keys)
        .offset(skip)
        .limit(per_page)
        .subquery("ranked")
    )
    return select(Case).join(ranked, ranked.c.id == Case.id).order_by(*(ranked.c[f"key_{n}"] for n in range(len(keys))))


def stage_counts(filters: PipelineFilters, as_of: date, settings: ClockSettings) -> dict[Stage, dict[str, int]]:
    """Open cases per stage and type under the other filters: {stage: {'mainstream', 'connected', 'total'}}."""
    rows = db.session.execute(
        select(Case.stage, Case.carer_type, func.count(Case.id))
        .where(*pipeline_conditions(filters, as_of, settings, include_stage=False))
        .group_by(Case.stage, Case.carer_type)
    ).all()
    counts = {stage: {"mainstream": 0, "connected": 0, "total": 0} for stage in Stage}
    for stage, carer_type, count in rows:
        counts[Stage(stage)][CarerType(carer_type).value] += count
        counts[Stage(stage)]["total"] += count
    return counts


def my_cases_statement(user: Any, as_of: date, settings: ClockSettings) -> Select:
    """A social worker's open allocated cases, most urgent first."""
    return (
        select(Case)
        .where(open_condition(), Case.allocated_worker_id == user.id)
        .order_by(*urgency_order(as_of, settings))
    )


def enquiries_statement(user: Any) -> Select:
    """Open enquiries this person may see: not yet contacted first, then the oldest first."""
    return (
        select(Case)
        .where(open_enquiry_condition(), visible_condition(user))
        # The list names each enquiry's intake worker: load them with the page, not one query per row.
        .options(joinedload(Case.intake_worker))
        .order_by(
            case((Case.first_contact_date.is_(None), 0), else_=1),
            Case.enquiry_date,
            Case.reference,
        )
    )


def _social_workers(*columns: Any, include_inactive: bool = False) -> Select:
    """The social workers (active only, unless include_inactive), by name, as the columns asked for."""
    statement = select(*columns).where(User.role == Role.SOCIAL_WORKER).order_by(User.name, User.id)
    if not include_inactive:
        statement = statement.where(User.active.is_(True))
    return statement


def social_workers(include_inactive: bool = False) -> list[User]:
    """Social workers, by name, for worker choices."""
    return list(db.session.scalars(_social_workers(User, include_inactive=include_inactive)))


def worker_choices(include_inactive: bool = False) -> list[Any]:
    """Social workers' ids, names and whether active, by name: a filter's choices, without loading each
    user whole (a national service has hundreds)."""
    columns = (User.id, User.name, User.active)
    return list(db.session.execute(_social_workers(*columns, include_inactive=include_inactive)))


def caseloads() -> dict[int, dict[str, int]]:
    """Each worker's current open cases: {'allocated': n, 'enquiries': n} by user id."""
    loads: dict[int, dict[str, int]] = {}
    allocated = db.session.execute(
        select(Case.allocated_worker_id, func.count(Case.id))
        .where(open_condition(), Case.allocated_worker_id.is_not(None))
        .group_by(Case.allocated_worker_id)
    ).all()
    for worker_id, count in allocated:
        loads.setdefault(worker_id, {"allocated": 0, "enquiries": 0})["allocated"] = count
    enquiries = db.session.execute(
        select(Case.intake_worker_id, func.count(Case.id))
        .where(open_enquiry_condition(), Case.allocated_worker_id.is_(None), Case.intake_worker_id.is_not(None))
        .group_by(Case.intake_worker_id)
    ).all()
    for worker_id, count in enquiries:
        loads.setdefault(worker_id, {"allocated": 0, "enquiries": 0})["enquiries"] = count
    return loads


def breach_counts(as_of: date, settings: ClockSettings) -> dict[str, int]:
    """Open cases breached and at risk (the manager's home panel)."""
    sql = timescale_sql(as_of, settings)
    row = db.session.execute(
        select(
            func.count(case((sql.breached, 1))),
            func.count(case((sql.at_risk, 1))),
            func.count(Case.id),
        ).where(open_condition())
    ).one()
    return {"breached": row[0], "at_risk": row[1], "open": row[2]}


# --- Who is where on a date, in SQL (beside the Python rules in cases/rules.py) ---------------------


def recommendation_stop_sql() -> ColumnElement[Any]:
    """rules.recommendation_stop_date in SQL: an approve / not-approve recommendation's date (else the
    panel's), NULL for any other recommendation or none."""
    return case(
        (
            and_(
                Case.panel_recommendation.is_not(None),
                Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
            ),
            func.coalesce(Case.recommendation_date, Case.panel_date),
        ),
        else_=null(),
    )


def recommendation_stopped_sql(as_of: date) -> ColumnElement[bool]:
    """rules.recommendation_stop_date happened by as_of: an approve / not-approve recommendation dated by then."""
    return and_(
        Case.panel_recommendation.is_not(None),
        Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
        _on_or_before(func.coalesce(Case.recommendation_date, Case.panel_date), as_of),
    )


def in_assessment_sql(as_of: date) -> ColumnElement[bool]:
    """rules.in_assessment in SQL: applied by as_of, not closed by then, no stopping recommendation by then."""
    return and_(
        _on_or_before(Case.application_date, as_of),
        not_(_on_or_before(Case.closed_date, as_of)),
        not_(recommendation_stopped_sql(as_of)),
    )


def enquiry_open_sql(as_of: date) -> ColumnElement[bool]:
    """rules.enquiry_open in SQL: an enquiry by as_of, not closed by then, no application by then."""
    return and_(
        _on_or_before(Case.enquiry_date, as_of),
        not_(_on_or_before(Case.closed_date, as_of)),
        not_(_on_or_before(Case.application_date, as_of)),
    )


def on_temporary_approval_sql(as_of: date, settings: ClockSettings) -> ColumnElement[bool]:
    """reports.summary.on_temporary_approval in SQL: a running regulation 24 clock, not breached."""
    reg24 = reg24_sql(as_of, settings.lead_days)
    return and_(reg24.running, not_(reg24.breached))


@dataclass(frozen=True)
class FirstContactSql:
    """rules.first_contact_clock's running / breached / at-risk conditions in SQL.

    Its deadline (working days after the enquiry, clocks.first_contact_deadline) is not stored, but it
    never decreases as the enquiry date grows: so "deadline before as_of" is "enquiry before T" for a
    threshold T found from the Python function itself, and likewise for the at-risk lead time.
    """

    running: ColumnElement[bool]
    breached: ColumnElement[bool]
    at_risk: ColumnElement[bool]


def first_contact_sql(as_of: date, settings: ClockSettings) -> FirstContactSql:
    """rules.first_contact_clock in SQL (a clock with no planned date: at risk within the short lead time)."""
    from carertrack.clocks import first_contact_deadline

    def deadline(day: date) -> date:
        return first_contact_deadline(day, settings.first_contact_days)

    low = as_of - timedelta(days=3660)
    # Breached: as_of > deadline. Not breached from the first enquiry day whose deadline is on or after as_of.
    not_breached_from = first_day_where(lambda day: deadline(day) >= as_of, low, as_of)
    lead_end = as_of + timedelta(days=settings.short_lead_days)
    # At risk (if not breached): deadline - as_of <= short lead days.
    on_track_from = first_day_where(lambda day: deadline(day) > lead_end, low, lead_end)
    stopped = or_(
        *(
            _on_or_before(column, as_of)
            for column in (Case.first_contact_date, Case.initial_visit_date, Case.application_date, Case.closed_date)
        )
    )
    running = and_(_on_or_before(Case.enquiry_date, as_of), not_(stopped))
    breached = and_(running, Case.enquiry_date < not_breached_from)
    at_risk = and_(running, Case.enquiry_date >= not_breached_from, Case.enquiry_date < on_track_from)
    return FirstContactSql(running, breached, at_risk)


def first_contact_deadline_sql(enquiry_dates: Iterable[date], settings: ClockSettings) -> ColumnElement[Any]:
    """clocks.first_contact_deadline of Case.enquiry_date in SQL, for cases whose enquiry date is one of
    these (NULL for any other): each date's deadline comes from the Python function itself, so the two
    cannot disagree. Give it the distinct enquiry dates of the cases asked about (at most one a day)."""
    whens = [
        (Case.enquiry_date == day, literal(first_contact_deadline(day, settings.first_contact_days), Date()))
        for day in sorted(set(enquiry_dates))
    ]
    if not whens:
        return null().cast(Date())
    return case(*whens, else_=null().cast(Date()))
