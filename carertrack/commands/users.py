"""`flask users create` and `flask users list`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from carertrack.admin.services import create_user
from carertrack.audit.recorder import acting_as
from carertrack.auth.services import find_user, password_problem
from carertrack.extensions import db
from carertrack.models.user import Role, User
from carertrack.validators import EmailAddress


@click.group(help="Manage the people who sign in to CarerTrack.")
def users() -> None:
    """The users command group."""


@users.command("create")
@click.option("--email", required=True, help="The email address they sign in with.")
@click.option("--name", required=True, help="Their full name.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="What they do in the service.",
)
@click.option("--password", help="Their first password. Prompted for (hidden) when left out.")
@with_appcontext
def create(email: str, name: str, role: str, password: str | None) -> None:
    """Create an account. Passwords follow the same policy as the web pages."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(EmailAddress().message, param_hint="--email") from exc
    if find_user(email) is not None:
        raise click.ClickException(f"An account with the email address {email} already exists.")
    if not name.strip() or len(name) > 120:
        raise click.BadParameter("Enter a name of 120 characters or fewer.", param_hint="--name")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    with acting_as("command line (flask users create)"):
        user = create_user(email, name, Role(role), password)
        db.session.commit()
    click.echo(f"Created {user.name} <{user.email}> as {user.role.label}.")


@users.command("list")
@with_appcontext
def list_users() -> None:
    """List every account with its role and whether it is active."""
    rows = db.session.scalars(select(User).order_by(User.name)).all()
    if not rows:
        click.echo("There are no accounts. Create one with: flask users create --email E --name N --role admin")
        return
    width = max(len(u.email) for u in rows)
    for user in rows:
        status = "active" if user.active else "deactivated"
        click.echo(f"{user.email:<{width}}  {user.role.value:<14}  {status:<11}  {user.name}")
