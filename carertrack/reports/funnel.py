"""The recruitment funnel in a reporting year: enquiries to approvals, by source, with stage times and
closure reasons (the `funnel` report)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_

from carertrack.cases.rules import recommendation_stop_date
from carertrack.models.case import CLOSED_REASON_LABELS, CaseDecision, ClosedReason, EnquirySource
from carertrack.models.case import Case as CaseModel
from carertrack.reports.facts import CaseFacts, dated_between, load_cases
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


def _stage_days(cases: list[CaseFacts], start: date, end: date) -> dict[str, float | None]:
    """Median days for each step, over the cases whose step ended in the period."""
    steps: dict[str, list[int]] = {
        "enquiry_to_initial_visit": [],
        "initial_visit_to_application": [],
        "application_to_recommendation": [],
        "recommendation_to_decision": [],
    }
    for case in cases:
        recommended = recommendation_stop_date(case)
        pairs: list[tuple[str, Any, Any]] = [
            ("enquiry_to_initial_visit", case.enquiry_date, case.initial_visit_date),
            ("initial_visit_to_application", case.initial_visit_date, case.application_date),
            ("application_to_recommendation", case.application_date, recommended),
            ("recommendation_to_decision", recommended, case.decision_date),
        ]
        for step, begun, ended in pairs:
            if begun is not None and _in(ended, start, end) and ended >= begun:
                steps[step].append((ended - begun).days)
    return {step: median(values) for step, values in steps.items()}


def compute(params: ReportParams) -> dict:
    """Each stage reached in the year (to the as-of date) by source; what became of the year's enquiries
    (the conversions); the time each stage took; closures by reason."""
    start, upto = params.period_start, min(params.as_of, params.period_end)
    cases = load_cases(
        [
            or_(
                dated_between(CaseModel.enquiry_date, start, upto),
                dated_between(CaseModel.initial_visit_date, start, upto),
                dated_between(CaseModel.application_date, start, upto),
                dated_between(CaseModel.decision_date, start, upto),
                dated_between(CaseModel.closed_date, start, upto),
                dated_between(func.coalesce(CaseModel.recommendation_date, CaseModel.panel_date), start, upto),
            )
        ]
    )
    sources = [s.value for s in EnquirySource] + [NOT_RECORDED]
    by_source = {source: {**dict.fromkeys(STAGES, 0), "enquiries_applied": 0} for source in sources}
    counts = dict.fromkeys(STAGES, 0)
    # The cohort: the year's enquiries, and how far each had got by the as-of date.
    cohort = dict.fromkeys(STAGES, 0)
    closures = {reason: {"before_application": 0, "after_application": 0} for reason in ClosedReason}
    for case in cases:
        source = case.enquiry_source.value if case.enquiry_source else NOT_RECORDED
        events = stage_events(case)
        for stage, day in events.items():
            if _in(day, start, upto):
                counts[stage] += 1
                by_source[source][stage] += 1
        if _in(case.enquiry_date, start, upto):
            for stage, day in events.items():
                if day is not None and day <= params.as_of:
                    cohort[stage] += 1
            if events["applications"] is not None and events["applications"] <= params.as_of:
                by_source[source]["enquiries_applied"] += 1
        if _in(case.closed_date, start, upto) and case.closed_reason is not None:
            applied = case.application_date is not None and case.application_date <= case.closed_date
            closures[case.closed_reason]["after_application" if applied else "before_application"] += 1
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
                **by_source[source],
                "enquiry_to_application_percent": percent(
                    by_source[source]["enquiries_applied"], by_source[source]["enquiries"]
                ),
            }
            for source in sources
        ],
        "median_days": _stage_days(cases, start, upto),
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
