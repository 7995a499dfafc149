"""Every clock at risk or breached on a date (the `breaches` report; CONTRACTS.md sections 2 and 3).

The case clocks (8 months, regulation 24, first contact) come from carertrack/cases/rules.py; the panel
clocks (papers to panel, ADM decision, IRM window) from carertrack/panels/rules.py.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from carertrack.cases.queries import first_contact_deadline_sql, first_contact_sql, timescale_sql
from carertrack.cases.rules import CLOCK_NAMES, EIGHT_MONTH, FIRST_CONTACT, REG24, ClockSettings
from carertrack.clocks import Clock, ClockStatus, first_contact_deadline
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, QualifyingDetermination, Recommendation
from carertrack.panels.rules import adm_clock, irm_clock, papers_clock, papers_deadline_for
from carertrack.reports.facts import delay_reason_on, happened_by, load_cases, not_happened_by
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

COLUMNS = ("reference", "clock", "deadline", "status", "reason")
CLOCK_ORDER = ("eight_month", "reg24", "first_contact", "papers", "adm", "irm")
FLAGGED = (ClockStatus.AT_RISK, ClockStatus.BREACHED)


def _row(reference: str, clock: Clock, reason: str | None) -> dict:
    return {
        "reference": reference,
        "clock": clock.key,
        "deadline": clock.deadline,
        "status": clock.status.value if clock.status else None,
        "reason": reason,
        "clock_name": clock.name,
        "days_left": clock.days_left,
    }


def flagged_case_clocks(as_of: date, settings: ClockSettings) -> list[tuple[int, dict]]:
    """The 8-month, regulation 24 and first-contact clocks at risk or breached on as_of, selected in SQL
    (the SQL forms of rules.case_clocks' clocks), of cases not closed or decided by then: (case id, row
    without its reason). Three narrow queries, whatever the number of cases."""
    timescale = timescale_sql(as_of, settings)
    first_contact = first_contact_sql(as_of, settings)
    still_open = _still_open(as_of)
    result: list[tuple[int, dict]] = []
    for key, clock in ((EIGHT_MONTH, timescale.eight), (REG24, timescale.reg24)):
        for case_id, reference, deadline, breached in db.session.execute(
            select(Case.id, Case.reference, clock.deadline, clock.breached).where(
                still_open, or_(clock.breached, clock.at_risk)
            )
        ):
            result.append((case_id, _flag_row(reference, key, deadline, breached, as_of)))
    for case_id, reference, enquiry, breached in db.session.execute(
        select(Case.id, Case.reference, Case.enquiry_date, first_contact.breached).where(
            still_open, or_(first_contact.breached, first_contact.at_risk)
        )
    ):
        deadline = first_contact_deadline(enquiry, settings.first_contact_days)
        result.append((case_id, _flag_row(reference, FIRST_CONTACT, deadline, breached, as_of)))
    return result


def _flag_row(reference: str, key: str, deadline: date, breached: Any, as_of: date) -> dict:
    """A flagged case clock's row, as _row makes it from the clock (the reason comes later)."""
    status = ClockStatus.BREACHED if breached else ClockStatus.AT_RISK
    clock = Clock(CLOCK_NAMES[key], key, deadline, status, None, None, (deadline - as_of).days)
    return _row(reference, clock, None)


def add_reasons(flagged: list[tuple[int, dict]], as_of: date) -> None:
    """Fill in each case row's recorded delay reason (facts.delay_reason_on): two queries for them all,
    which run whether or not any case is flagged."""
    ids = sorted({case_id for case_id, _ in flagged})
    cases = {c.id: c for c in load_cases([Case.id.in_(ids)], delays=True)}
    for case_id, row in flagged:
        row["reason"] = delay_reason_on(cases[case_id], as_of)


@dataclass
class _ItemFacts:
    """What the panel clocks read of an agenda item, as things stood on the as-of date."""

    recommendation: Recommendation | None
    recommendation_date: date | None
    minutes_received_on: date | None
    papers_received_on: date | None
    active: bool
    decision: Any = None


@dataclass
class _DecisionFacts:
    decided_on: date


@dataclass
class _DeterminationFacts:
    letter_date: date | None
    representations_received_on: date | None
    irm_applied_on: date | None
    final_decision_date: date | None


def _subject_reference() -> tuple[Any, Any, Any]:
    """The reference of an item's case or household, and the aliases to join for it."""
    case, household = aliased(Case), aliased(Household)
    return func.coalesce(case.reference, household.reference).label("reference"), case, household


def papers_rows(as_of: date) -> list[dict]:
    """Papers to panel for items on meetings from as_of on (not cancelled, not withdrawn by then)."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(reference, PanelMeeting.meeting_date, AgendaItem.papers_received_on)
        .join(PanelMeeting, PanelMeeting.id == AgendaItem.meeting_id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(
            PanelMeeting.meeting_date >= as_of,
            PanelMeeting.status != MeetingStatus.CANCELLED,
            not_happened_by(AgendaItem.withdrawn_on, as_of),
        )
    ).all()
    result = []
    for ref, meeting_date, received in rows:
        facts = _ItemFacts(None, None, None, received, True)
        clock = papers_clock(facts, papers_deadline_for(meeting_date), as_of)  # type: ignore[arg-type]
        if clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def adm_rows(as_of: date) -> list[dict]:
    """ADM decisions awaited on as_of: recommendation and final minutes in by then, no decision by then."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(
            reference,
            AgendaItem.recommendation,
            AgendaItem.recommendation_date,
            AgendaItem.minutes_received_on,
            AgendaItem.papers_received_on,
            AgendaItem.withdrawn_on,
        )
        .outerjoin(AdmDecision, AdmDecision.item_id == AgendaItem.id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(
            AgendaItem.recommendation.in_([Recommendation.APPROVE, Recommendation.NOT_APPROVE]),
            happened_by(AgendaItem.recommendation_date, as_of),
            happened_by(AgendaItem.minutes_received_on, as_of),
            not_happened_by(AdmDecision.decided_on, as_of),
        )
    ).all()
    result = []
    for ref, recommendation, recommended_on, minutes_on, papers_on, withdrawn_on in rows:
        active = withdrawn_on is None or withdrawn_on > as_of
        facts = _ItemFacts(recommendation, recommended_on, minutes_on, papers_on, active)
        clock = adm_clock(facts, as_of)  # type: ignore[arg-type]
        if clock is not None and clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def irm_rows(as_of: date) -> list[dict]:
    """IRM windows of qualifying determinations whose letter had gone by as_of."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(
            reference,
            QualifyingDetermination.letter_date,
            QualifyingDetermination.representations_received_on,
            QualifyingDetermination.irm_applied_on,
            QualifyingDetermination.final_decision_date,
        )
        .join(AdmDecision, AdmDecision.id == QualifyingDetermination.decision_id)
        .join(AgendaItem, AgendaItem.id == AdmDecision.item_id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(happened_by(QualifyingDetermination.letter_date, as_of))
    ).all()
    result = []
    for ref, *dates in rows:
        clock = irm_clock(_DeterminationFacts(*dates), as_of)  # type: ignore[arg-type]
        if clock is not None and clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def _sort_key(row: dict) -> tuple:
    return (row["status"] != ClockStatus.BREACHED.value, row["deadline"], row["reference"], row["clock"])


def panel_flagged(as_of: date) -> list[dict]:
    """The panel clocks (papers, ADM decision, IRM window) at risk or breached on as_of, in the report's order.
    Few: only future meetings, decisions awaited and IRM windows open on the date."""
    return sorted(papers_rows(as_of) + adm_rows(as_of) + irm_rows(as_of), key=_sort_key)


def _all_flagged(as_of: date) -> list[tuple[int | None, dict]]:
    """Every flagged clock (case id, or None for a panel clock; row), breached first, then the nearest deadline."""
    flagged: list[tuple[int | None, dict]] = list(flagged_case_clocks(as_of, ClockSettings.current()))
    flagged += [(None, row) for row in panel_flagged(as_of)]
    flagged.sort(key=lambda item: _sort_key(item[1]))
    return flagged


def _counts(case_counts: dict[str, dict[str, int]], panel: list[dict]) -> dict[str, dict[str, int]]:
    """Flagged clocks by clock, in CLOCK_ORDER: the case clocks' counts plus the panel rows."""
    counts = {key: {"at_risk": 0, "breached": 0} for key in CLOCK_ORDER}
    for key, by_status in case_counts.items():
        for status, n in by_status.items():
            counts[key][status] += n
    for row in panel:
        counts.setdefault(row["clock"], {"at_risk": 0, "breached": 0})[row["status"]] += 1
    return counts


def _document(as_of: date, counts: dict[str, dict[str, int]], shown: list[tuple[int | None, dict]]) -> dict:
    """The counts of every flagged clock, and the shown rows with their reasons."""
    add_reasons([(case_id, row) for case_id, row in shown if case_id is not None], as_of)
    return {
        "as_of": as_of,
        "breached": sum(c["breached"] for c in counts.values()),
        "at_risk": sum(c["at_risk"] for c in counts.values()),
        "by_clock": counts,
        "rows": [row for _, row in shown],
    }


def compute(params: ReportParams) -> dict:
    """Every clock at risk or breached: breached first, then the nearest deadline."""
    flagged = _all_flagged(params.as_of)
    tallied: dict[str, dict[str, int]] = {}
    for case_id, row in flagged:
        if case_id is not None:
            tallied.setdefault(row["clock"], {"at_risk": 0, "breached": 0})[row["status"]] += 1
    counts = _counts(tallied, [row for case_id, row in flagged if case_id is None])
    return _document(params.as_of, counts, flagged)


# --- One page, in SQL --------------------------------------------------------------------------


@dataclass(frozen=True)
class _CaseClockSql:
    """A case clock in SQL: its key, deadline, and breached and at-risk conditions."""

    key: str
    deadline: Any
    breached: ColumnElement[bool]
    at_risk: ColumnElement[bool]


def _case_clocks_sql(as_of: date, settings: ClockSettings, *, with_deadlines: bool) -> list[_CaseClockSql]:
    """The SQL forms of rules.case_clocks' three clocks. The first-contact deadline is not stored: with
    with_deadlines, it is worked out by the Python rule for each enquiry date that has a flagged clock
    (one query); without, it is left NULL (enough for counting)."""
    timescale = timescale_sql(as_of, settings)
    first_contact = first_contact_sql(as_of, settings)
    first_contact_deadline: Any = null()
    if with_deadlines:
        days = db.session.scalars(
            select(Case.enquiry_date)
            .where(_still_open(as_of), or_(first_contact.breached, first_contact.at_risk))
            .distinct()
        )
        first_contact_deadline = first_contact_deadline_sql(days, settings)
    return [
        _CaseClockSql(EIGHT_MONTH, timescale.eight.deadline, timescale.eight.breached, timescale.eight.at_risk),
        _CaseClockSql(REG24, timescale.reg24.deadline, timescale.reg24.breached, timescale.reg24.at_risk),
        _CaseClockSql(FIRST_CONTACT, first_contact_deadline, first_contact.breached, first_contact.at_risk),
    ]


def _still_open(as_of: date) -> ColumnElement[bool]:
    """Cases not closed and not decided by as_of (the only ones whose clocks the report flags)."""
    return and_(not_happened_by(Case.closed_date, as_of), not_happened_by(Case.decision_date, as_of))


def case_clock_counts(as_of: date, settings: ClockSettings) -> dict[str, dict[str, int]]:
    """flagged_case_clocks counted by clock and status in one SQL query: {key: {'breached', 'at_risk'}}."""
    clocks = _case_clocks_sql(as_of, settings, with_deadlines=False)
    columns = []
    for clock in clocks:
        columns += [func.count(case((clock.breached, 1))), func.count(case((clock.at_risk, 1)))]
    row = db.session.execute(select(*columns).where(_still_open(as_of))).one()
    return {
        clock.key: {"breached": row[2 * index], "at_risk": row[2 * index + 1]} for index, clock in enumerate(clocks)
    }


def case_clock_rows(
    as_of: date, settings: ClockSettings, offset: int, limit: int, skip: frozenset[str] = frozenset()
) -> list[tuple[int, dict]]:
    """flagged_case_clocks in the report's order (breached first, the nearest deadline, reference, clock),
    only the rows from offset (limit of them): one UNION ALL with ORDER BY and LIMIT in SQL. `skip`: clocks
    known to have no flagged rows (left out of the query)."""
    keys = sorted(CLOCK_NAMES)  # the clock keys' own order, as the Python sort compares them
    parts = [
        select(
            Case.id.label("case_id"),
            Case.reference.label("reference"),
            literal(keys.index(clock.key)).label("clock_rank"),
            clock.deadline.label("deadline"),
            case((clock.breached, 0), else_=1).label("status_rank"),
        ).where(_still_open(as_of), or_(clock.breached, clock.at_risk))
        for clock in _case_clocks_sql(as_of, settings, with_deadlines=FIRST_CONTACT not in skip)
        if clock.key not in skip
    ]
    if not parts:
        return []
    flagged = union_all(*parts).subquery()
    rows = db.session.execute(
        select(flagged)
        .order_by(flagged.c.status_rank, flagged.c.deadline, flagged.c.reference, flagged.c.clock_rank)
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        (row.case_id, _flag_row(row.reference, keys[row.clock_rank], row.deadline, row.status_rank == 0, as_of))
        for row in rows
    ]


def _merged_page(
    as_of: date, settings: ClockSettings, panel: list[dict], offset: int, limit: int, skip: frozenset[str]
) -> list[tuple[int | None, dict]]:
    """Rows offset to offset + limit of the case clocks (paged in SQL) merged with the panel clocks (all
    in Python, few). The case rows from max(0, offset - len(panel)) on, limit + len(panel) of them, hold
    every case row the page can show; the panel rows sorting before the first of them precede it."""
    start = max(0, offset - len(panel))
    window = case_clock_rows(as_of, settings, start, limit + len(panel), skip)
    skipped = 0
    if start > 0 and window:
        first = _sort_key(window[0][1])
        skipped = sum(1 for row in panel if _sort_key(row) < first)
    merged = heapq.merge(window, [(None, row) for row in panel[skipped:]], key=lambda item: _sort_key(item[1]))
    position = start + skipped  # the index in the whole report of the first merged row
    return list(islice(merged, offset - position, offset - position + limit))


def page(params: ReportParams, offset: int, limit: int) -> dict:
    """compute's document with only the rows from offset (limit of them); counts in SQL, reasons only for
    the shown rows. The dashboard asks for limit 0: counts only."""
    as_of = params.as_of
    settings = ClockSettings.current()
    panel = panel_flagged(as_of)
    case_counts = case_clock_counts(as_of, settings)
    counts = _counts(case_counts, panel)
    total = sum(c["breached"] + c["at_risk"] for c in counts.values())
    none_flagged = frozenset(key for key, c in case_counts.items() if c["breached"] + c["at_risk"] == 0)
    shown = _merged_page(as_of, settings, panel, offset, limit, none_flagged) if limit > 0 and offset < total else []
    return {**_document(as_of, counts, shown), "row_count": total}


def table(document: dict) -> Table:
    """One clock a row."""
    return Table(list(COLUMNS), [[row[c] for c in COLUMNS] for row in document["rows"]])


register(
    ReportDef(
        name="breaches",
        title="Breaches and clocks at risk",
        kind="as_of",
        description="Every clock at risk or breached, with its deadline and the recorded reason.",
        compute=compute,
        table=table,
        page=page,
    )
)
