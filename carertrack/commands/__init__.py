"""Command-line groups: `flask users`, `flask seed`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every command group."""
    from carertrack.commands.seed import seed
    from carertrack.commands.users import users

    app.cli.add_command(users)
    app.cli.add_command(seed)
