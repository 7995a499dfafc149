"""`flask report NAME [--year Y] [--as-of YYYY-MM-DD] [--format table|json|csv]` (CONTRACTS.md section 2)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from carertrack.dates import parse_date
from carertrack.reports import REPORTS
from carertrack.reports.registry import ReportParamError, resolve_params, to_csv, to_json, to_text


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        hint = f" (did you mean {parsed.isoformat()}?)" if parsed else ""
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD{hint}.") from None


def _help() -> str:
    lines = [
        "Print a report. NAME is one of the reports below. As-of reports take --as-of (default today);",
        "year reports take --year Y for 1 April Y to 31 March Y+1 (default: the year containing the",
        "as-of date) and --as-of to show what was known on that date.",
        "",
        # click rewraps each paragraph unless it starts with \b: keep the list to one report a line.
        "\b",
    ]
    lines += [
        f"  {name:<20} {report.kind.replace('_', '-'):<6} {report.description}" for name, report in REPORTS.items()
    ]
    return "\b\n" + "\n".join(lines)


@click.command("report", help=_help())
@click.argument("name", metavar="NAME")
@click.option("--year", type=int, help="Reporting year starting 1 April of this year (year reports only).")
@click.option("--as-of", "as_of", callback=_as_of, metavar="YYYY-MM-DD", help="Figures as they stood on this date.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json for one JSON document, csv for the rows.",
)
@with_appcontext
def report(name: str, year: int | None, as_of: date | None, fmt: str) -> None:
    """Compute one report and print it."""
    definition = REPORTS.get(name)
    if definition is None:
        raise click.UsageError(f"There is no report called {name!r}. Reports: {', '.join(REPORTS)}.")
    try:
        params = resolve_params(definition, year=year, as_of=as_of, today=date.today())
    except ReportParamError as exc:
        raise click.UsageError(str(exc)) from None
    document = definition.compute(params)
    if fmt == "json":
        click.echo(to_json(document))
    elif fmt == "csv":
        click.echo(to_csv(definition.table(document)), nl=False)
    else:
        click.echo(to_text(definition, params, definition.display_table(document)))
