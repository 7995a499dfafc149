"""The recruitment funnel in a reporting year: enquiries to approvals, by source, with stage times and
closure reasons (the `funnel` report)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, null, or_, select

from carertrack.cases.queries import recommendation_stop_sql
from carertrack.cases.rules import recommendation_stop_date
from carertrack.extensions import db
from carertrack.models.case import (
    CLOSED_REASON_LABELS,
    CaseDecision,
    ClosedReason,
    EnquirySource,
)
from carertrack.models.case import Case as CaseModel
from carertrack.reports.facts import CaseFacts, dated_between, days_between, happened_by
from carertrack.reports.periods import median, percent
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

STAGES = ("enquiries", "initial_visits", "applications", "approvals")
NOT_RECORDED = "not_recorded"
CONVERSIONS = (
    ("enquiry_to_initial_visit", "initial_visits", "enquiries"),
    ("initial_visit_to_application", "applications", "initial_visits"),
    ("application_to_approval", "approvals", "applications"),
    ("enquiry_to_application", "applications", "enquiries"),
    ("enquiry_to_approval", "approvals", "enquiries"),
)


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _approved_on(case: CaseFacts) -> date | None:
    return case.decision_date if case.decision == CaseDecision.APPROVED else None


def stage_events(case: CaseFacts) -> dict[str, date | None]:
    """The date each funnel stage was reached."""
    return {
        "enquiries": case.enquiry_date,
        "initial_visits": case.initial_visit_date,
        "applications": case.application_date,
        "approvals": _approved_on(case),
    }


def _stage_days(cases: list[Any], start: date, end: date) -> dict[str, float | None]:
    """Median days for each step, over the cases whose step ended in the period."""
    steps: dict[str, list[int]] = {
        "enquiry_to_initial_visit": [],
        "initial_visit_to_application": [],
        "application_to_recommendation": [],
        "recommendation_to_decision": [],
    }
    for facts in cases:
        recommended = recommendation_stop_date(facts)
        pairs: list[tuple[str, Any, Any]] = [
            ("enquiry_to_initial_visit", facts.enquiry_date, facts.initial_visit_date),
            ("initial_visit_to_application", facts.initial_visit_date, facts.application_date),
            ("application_to_recommendation", facts.application_date, recommended),
            ("recommendation_to_decision", recommended, facts.decision_date),
        ]
        for step, begun, ended in pairs:
            if begun is not None and _in(ended, start, end) and ended >= begun:
                steps[step].append((ended - begun).days)
    return {step: median(values) for step, values in steps.items()}


def stage_dates_sql() -> dict[str, Any]:
    """stage_events in SQL: the date each funnel stage was reached (NULL when not reached)."""
    return {
        "enquiries": CaseModel.enquiry_date,
        "initial_visits": CaseModel.initial_visit_date,
        "applications": CaseModel.application_date,
        "approvals": case((CaseModel.decision == CaseDecision.APPROVED, CaseModel.decision_date), else_=null()),
    }


def _count_when(*conditions: ColumnElement[bool]) -> Any:
    return func.count(case((and_(*conditions), 1)))


def _stage_counts(params: ReportParams, start: date, upto: date) -> tuple[dict, dict, dict]:
    """Each stage reached in the period by source, the year's enquiries that had applied by as-of (by
    source), and the cohort: one GROUP BY query. Returns (counts, by_source, cohort)."""
    stages = stage_dates_sql()
    enquired_in = dated_between(CaseModel.enquiry_date, start, upto)
    columns = [_count_when(dated_between(day, start, upto)) for day in stages.values()]
    columns.append(_count_when(enquired_in, happened_by(CaseModel.application_date, params.as_of)))
    columns += [_count_when(enquired_in, happened_by(day, params.as_of)) for day in stages.values()]
    sources = [s.value for s in EnquirySource] + [NOT_RECORDED]
    by_source = {source: {**dict.fromkeys(STAGES, 0), "enquiries_applied": 0} for source in sources}
    counts = dict.fromkeys(STAGES, 0)
    cohort = dict.fromkeys(STAGES, 0)
    for source, *values in db.session.execute(
        select(CaseModel.enquiry_source, *columns)
        .where(or_(*(dated_between(day, start, upto) for day in stages.values())))
        .group_by(CaseModel.enquiry_source)
    ):
        entry = by_source[source.value if source else NOT_RECORDED]
        for index, stage in enumerate(STAGES):
            entry[stage] += values[index]
            counts[stage] += values[index]
            cohort[stage] += values[len(STAGES) + 1 + index]
        entry["enquiries_applied"] += values[len(STAGES)]
    return counts, by_source, cohort


def _closures(start: date, upto: date) -> dict[ClosedReason, dict[str, int]]:
    """Closures in the period by reason, before and after an application (one GROUP BY query)."""
    closures = {reason: {"before_application": 0, "after_application": 0} for reason in ClosedReason}
    applied = and_(CaseModel.application_date.is_not(None), CaseModel.application_date <= CaseModel.closed_date)
    for reason, total, after in db.session.execute(
        select(CaseModel.closed_reason, func.count(CaseModel.id), _count_when(applied))
        .where(dated_between(CaseModel.closed_date, start, upto), CaseModel.closed_reason.is_not(None))
        .group_by(CaseModel.closed_reason)
    ):
        closures[ClosedReason(reason)] = {"before_application": total - after, "after_application": after}
    return closures


def stage_days_sql(start: date, end: date) -> dict[str, float | None]:
    """_stage_days in SQL: each step's days for the cases whose step ended in the period (whole numbers, no
    per-case records), then the medians. One pass over the cases: a column a step, NULL where the case's
    step did not end in the period."""
    recommended = recommendation_stop_sql()
    pairs = [
        ("enquiry_to_initial_visit", CaseModel.enquiry_date, CaseModel.initial_visit_date),
        ("initial_visit_to_application", CaseModel.initial_visit_date, CaseModel.application_date),
        ("application_to_recommendation", CaseModel.application_date, recommended),
        ("recommendation_to_decision", recommended, CaseModel.decision_date),
    ]
    ended_in = [and_(begun.is_not(None), dated_between(ended, start, end), ended >= begun) for _, begun, ended in pairs]
    columns = [
        case((condition, days_between(ended, begun)), else_=null())
        for condition, (_, begun, ended) in zip(ended_in, pairs, strict=True)
    ]
    steps: dict[str, list[int]] = {name: [] for name, _, _ in pairs}
    for row in db.session.execute(select(*columns).where(or_(*ended_in))):
        for (name, _, _), days in zip(pairs, row, strict=True):
            if days is not None:
                steps[name].append(days)
    return {step: median(values) for step, values in steps.items()}


def compute(params: ReportParams) -> dict:
    """Each stage reached in the year (to the as-of date) by source; what became of the year's enquiries
    (the conversions); the time each stage took; closures by reason. Counted in SQL."""
    start, upto = params.period_start, min(params.as_of, params.period_end)
    counts, by_source, cohort = _stage_counts(params, start, upto)
    closures = _closures(start, upto)
    return {
        "year": params.year_label,
        "period_start": params.period_start,
        "period_end": params.period_end,
        "as_of": params.as_of,
        **counts,
        "cohort": cohort,
        "conversion_percent": {name: percent(cohort[num], cohort[den]) for name, num, den in CONVERSIONS},
        "by_source": [
            {
                "source": source,
                **entry,
                "enquiry_to_application_percent": percent(entry["enquiries_applied"], entry["enquiries"]),
            }
            for source, entry in by_source.items()
        ],
        "median_days": stage_days_sql(start, upto),
        "closures": [
            {
                "reason": reason.value,
                "label": CLOSED_REASON_LABELS[reason],
                **closures[reason],
                "total": closures[reason]["before_application"] + closures[reason]["after_application"],
            }
            for reason in ClosedReason
        ],
    }


def table(document: dict) -> Table:
    """One row per enquiry source, then the total."""
    columns = [*STAGES, "enquiries_applied", "enquiry_to_application_percent"]
    rows = [[entry["source"], *(entry[c] for c in columns)] for entry in document["by_source"]]
    rows.append(
        [
            "total",
            *(document[s] for s in STAGES),
            document["cohort"]["applications"],
            document["conversion_percent"]["enquiry_to_application"],
        ]
    )
    return Table(["source", *columns], rows)


register(
    ReportDef(
        name="funnel",
        title="Recruitment funnel",
        kind="year",
        description="Enquiries, initial visits, applications and approvals in the year, by source; stage times.",
        compute=compute,
        table=table,
    )
)
