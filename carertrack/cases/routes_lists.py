"""The lists: open enquiries, a social worker's own cases, and the manager's pipeline."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.orm import lazyload

from carertrack.access import roles
from carertrack.cases import queries, rules
from carertrack.cases.access import CASE_EDITORS, PIPELINE_READERS, can_view_case
from carertrack.cases.blueprint import bp
from carertrack.clocks import ClockStatus
from carertrack.extensions import CountedPagination, db, page_from_address
from carertrack.ids import parse_id
from carertrack.loading import load_collection
from carertrack.models.case import CarerType, Case, Stage
from carertrack.models.user import Role

PER_PAGE = 25
STATUS_CHOICES = [
    ("breached", "Breached"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("none", "No clock running"),
]


def _page(statement: Select, **kwargs: Any) -> Any:
    """A page of cases with their applicants: the applicants come in one statement of their own, which
    runs whether or not the page has cases (carertrack.loading)."""
    page = db.paginate(statement.options(lazyload(Case.applicants)), per_page=PER_PAGE, error_out=False, **kwargs)
    load_collection(page.items, Case.applicants)
    return page


def _rows(cases, today, settings):  # type: ignore[no-untyped-def]
    """Each case with what the lists show: names, clocks, timescale status, whether it can be opened."""
    rows = []
    for case in cases:
        clocks = rules.case_clocks(case, today, settings)
        rows.append(
            {
                "case": case,
                "applicants": rules.applicant_display(case),
                "clocks": {clock.key: clock for clock in clocks},
                "status": rules.timescale_status(case, today, settings),
                "can_open": can_view_case(current_user, case),
            }
        )
    return rows


@bp.route("/enquiries")
@roles(*CASE_EDITORS)
def enquiries():
    """Open enquiries with their first-contact status, not yet contacted first."""
    today = rules.today()
    settings = rules.ClockSettings.current()
    page = _page(queries.enquiries_statement(current_user))
    return render_template("cases/enquiries.html", page=page, rows=_rows(page.items, today, settings), today=today)


@bp.route("/mine")
@roles(Role.SOCIAL_WORKER)
def my_cases():
    """A social worker's allocated cases, most urgent first."""
    today = rules.today()
    settings = rules.ClockSettings.current()
    statement = queries.my_cases_statement(current_user, today, settings)
    page = _page(statement)
    return render_template("cases/my_cases.html", page=page, rows=_rows(page.items, today, settings), today=today)


def _filters() -> tuple[queries.PipelineFilters, dict[str, str]]:
    args = request.args
    errors: dict[str, str] = {}
    filters = queries.PipelineFilters(query=args.get("q", "").strip()[:100])
    worker = args.get("worker", "")
    if worker and worker != "none" and parse_id(worker) is None:
        errors["worker"] = "Select a social worker from the list"
    else:
        filters.worker = worker
    carer_type = args.get("type", "")
    if carer_type:
        if carer_type in {t.value for t in CarerType}:
            filters.carer_type = CarerType(carer_type)
        else:
            errors["type"] = "Select a type of carer from the list"
    stage = args.get("stage", "")
    if stage:
        if stage in {s.value for s in Stage}:
            filters.stage = Stage(stage)
        else:
            errors["stage"] = "Select a stage from the list"
    status = args.get("status", "")
    if status:
        if status in {value for value, _ in STATUS_CHOICES}:
            filters.status = status
        else:
            errors["status"] = "Select a clock status from the list"
    return filters, errors


def _pipeline_total(counts: dict[Stage, dict[str, int]], stage: Stage | None) -> int:
    """The number of cases the pipeline lists: one stage's count when filtered by stage, else every stage's."""
    if stage is not None:
        return counts[stage]["total"]
    return sum(c["total"] for c in counts.values())


@bp.route("/pipeline")
@roles(*PIPELINE_READERS)
def pipeline():
    """Every open case by stage and type, with counts per stage, filters, search and pagination."""
    today = rules.today()
    settings = rules.ClockSettings.current()
    filters, errors = _filters()
    counts = queries.stage_counts(filters, today, settings)
    # The stage counts already hold the list's total (they leave only the stage filter out), so the
    # page does not count the same cases a second time; they also say which stages the page falls in.
    number = page_from_address()
    statement = queries.pipeline_page_statement(filters, today, settings, counts, number, PER_PAGE)
    cases = list(db.session.scalars(statement.options(lazyload(Case.applicants))).unique())
    load_collection(cases, Case.applicants)
    page = CountedPagination(cases, _pipeline_total(counts, filters.stage), number, PER_PAGE)
    return render_template(
        "cases/pipeline.html",
        page=page,
        rows=_rows(page.items, today, settings),
        counts=counts,
        totals={key: sum(c[key] for c in counts.values()) for key in ("mainstream", "connected", "total")},
        filters=filters,
        errors=errors,
        workers=queries.worker_choices(include_inactive=True),
        stages=[stage for stage in Stage if stage != Stage.DECIDED],  # decided cases are not open
        carer_types=list(CarerType),
        status_choices=STATUS_CHOICES,
        statuses=ClockStatus,
        today=today,
    ), (400 if errors else 200)
