"""`flask seed demo`: the demo service for development and trying CarerTrack out."""

from __future__ import annotations

import time
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.seed import demo, scale


@click.group(help="Load generated data: the demo service, or a large dataset for the benchmark.")
def seed() -> None:
    """The seed command group."""


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Build the demo service (users for every role, dated relative to today). Refused in production."""
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise click.ClickException("Demo data is refused in production.")
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database already has accounts. Demo data only loads into an empty database.")
    with acting_as("demo data (flask seed demo)"):
        demo.build_demo(date.today())
        db.session.commit()
    click.echo(
        "Demo service loaded. Sign in at http://127.0.0.1:5000 with any of these (password: "
        + demo.DEMO_PASSWORD
        + "):"
    )
    for email, name, role in demo.DEMO_USERS:
        click.echo(f"  {role.label:<28} {email:<28} {name}")


@seed.command("scale")
@click.option("--households", type=click.IntRange(1, 200_000), required=True, help="How many approved households.")
@click.option("--into-non-empty", is_flag=True, help="Add to a database that already has data (refused otherwise).")
@with_appcontext
def seed_scale(households: int, into_non_empty: bool) -> None:
    """Generate a large consistent dataset in bulk (for the benchmark). Refused in production."""
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise click.ClickException("Generated data is refused in production.")
    if scale.database_has_data() and not into_non_empty:
        raise click.ClickException(
            "The database already has data. Use an empty database, or --into-non-empty to add to it."
        )
    plan = scale.ScalePlan(households)
    click.echo(f"Generating {households:,} households and about {plan.cases:,} cases in bulk...")
    started = time.monotonic()
    with acting_as("generated data (flask seed scale)"):
        counts = scale.build_scale(households, date.today(), progress=click.echo)
    click.echo(f"Wrote {sum(counts.values()):,} rows in {time.monotonic() - started:.0f} s:")
    for table, count in sorted(counts.items()):
        click.echo(f"  {table:<20} {count:>9,}")
    click.echo(
        f"Sign in as {scale.scale_email('manager')} (or scale.worker.1@example.org, ...), password {scale.SCALE_PASSWORD}"
    )
