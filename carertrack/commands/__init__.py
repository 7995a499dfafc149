"""Command-line groups: `flask users`, `flask seed`, `flask report`, `flask import`, `flask backup`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every command group."""
    from carertrack.commands.backup import backup
    from carertrack.commands.report import report
    from carertrack.commands.seed import seed
    from carertrack.commands.users import users
    from carertrack.imports.commands import import_command
    from carertrack.reminders.commands import reminders, scheduler

    app.cli.add_command(users)
    app.cli.add_command(import_command)
    app.cli.add_command(seed)
    app.cli.add_command(report)
    app.cli.add_command(reminders)
    app.cli.add_command(scheduler)
    app.cli.add_command(backup)
