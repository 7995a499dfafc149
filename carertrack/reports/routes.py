"""Report pages, their CSV and JSON downloads, and the manager's dashboard. Read-only: managers,
administrators and read-only (BI) users; social workers and panel administrators are refused."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from carertrack.access import roles
from carertrack.dates import today
from carertrack.extensions import CountedPagination, page_from_address
from carertrack.models.user import Role
from carertrack.reports import REPORTS
from carertrack.reports.annual_return import COLUMNS as ANNUAL_RETURN_COLUMNS
from carertrack.reports.chart import growth_chart
from carertrack.reports.dashboard import breach_table, compute_dashboard
from carertrack.reports.forms import ReportOptionsForm
from carertrack.reports.labels import STATUS_COLOURS, cell, label, month_label, numeric_columns
from carertrack.reports.pages import figures_for
from carertrack.reports.registry import ReportDef, ReportParams, to_csv, to_json

bp = Blueprint("reports", __name__)
PER_PAGE = 50  # rows a report page shows; CSV, JSON and the command give them all


READERS = (Role.MANAGER, Role.ADMIN, Role.VIEWER)
bp.add_app_template_global(numeric_columns, "report_numeric_columns")


def _report(name: str) -> ReportDef:
    definition = REPORTS.get(name)
    if definition is None:
        abort(404)
    return definition


def _options(definition: ReportDef) -> tuple[ReportOptionsForm, ReportParams | None]:
    form = ReportOptionsForm(request.args, with_year=definition.kind == "year")
    return form, form.read(today())


def _filename(definition: ReportDef, params: ReportParams, extension: str) -> str:
    parts = [definition.name]
    if params.year is not None:
        parts.append(params.year_label.replace("/", "-"))
    parts.append(f"as-of-{params.as_of.isoformat()}")
    return "-".join(parts) + "." + extension


def _problem(form: ReportOptionsForm) -> Response:
    """A download asked for with bad options: the problems in words, never a traceback."""
    problems = [message for field in form for message in field.errors]
    return Response("\n".join(problems) + "\n", status=400, mimetype="text/plain")


@bp.route("/reports")
@roles(*READERS)
def index():
    """Every report, as-of reports first, with what each shows."""
    reports = list(REPORTS.values())
    return render_template(
        "reports/index.html",
        as_of_reports=[r for r in reports if r.kind == "as_of"],
        year_reports=[r for r in reports if r.kind == "year"],
    )


@bp.route("/reports/<name>")
@roles(*READERS)
def show(name: str):
    """One report's figures for the chosen date (and year), with its downloads."""
    definition = _report(name)
    form, params = _options(definition)
    if params is None:
        return render_template("reports/report.html", report=definition, form=form, params=None), 400
    pagination = None
    if definition.page is not None:
        number = page_from_address()
        document = definition.page(params, (number - 1) * PER_PAGE, PER_PAGE)
        total = document["row_count"]
        # The rows themselves are in the document; the page needs only how many it shows.
        shown = range(max(0, min(PER_PAGE, total - (number - 1) * PER_PAGE)))
        pagination = CountedPagination(shown, total, number, PER_PAGE)
    else:
        document = definition.compute(params)
    return render_template(
        "reports/report.html",
        report=definition,
        form=form,
        params=params,
        document=document,
        page=pagination,
        table=definition.display_table(document),
        query=form.query(params),
        label=label,
        cell=cell,
        month_label=month_label,
        colours=STATUS_COLOURS,
        annual_return_columns=ANNUAL_RETURN_COLUMNS,
        figures=figures_for(definition.name, document),
        chart_for=growth_chart,
    )


@bp.route("/reports/<name>.csv")
@roles(*READERS)
def download_csv(name: str):
    """The report's rows as CSV, from the same computation as the page."""
    definition = _report(name)
    form, params = _options(definition)
    if params is None:
        return _problem(form)
    document = definition.compute(params)
    return Response(
        to_csv(definition.table(document)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_filename(definition, params, "csv")}"'},
    )


@bp.route("/reports/<name>.json")
@roles(*READERS)
def download_json(name: str):
    """The report as the same JSON document `flask report NAME --format json` prints."""
    definition = _report(name)
    form, params = _options(definition)
    if params is None:
        return _problem(form)
    return Response(
        to_json(definition.compute(params)) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_filename(definition, params, "json")}"'},
    )


@bp.route("/dashboard")
@roles(*READERS)
def dashboard():
    """The quarterly report at a glance, as of the chosen date."""
    form = ReportOptionsForm(request.args, with_year=False)
    params = form.read(today())
    if params is None:
        return render_template("reports/dashboard.html", form=form, data=None), 400
    return render_template(
        "reports/dashboard.html",
        form=form,
        data=compute_dashboard(params.as_of),
        as_of=params.as_of,
        report_table=lambda name, document: REPORTS[name].table(document),
        breach_table=breach_table,
        label=label,
        cell=cell,
        month_label=month_label,
        colours=STATUS_COLOURS,
    )
