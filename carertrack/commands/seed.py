"""`flask seed demo`: the demo service for development and trying CarerTrack out."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.seed import demo


@click.group(help="Load generated data: the demo service.")
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
