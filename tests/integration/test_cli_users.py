"""`flask users create` and `flask users list`."""

from __future__ import annotations

from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.user import Role, User
from tests.factories import make_user
from tests.forms import submit

PASSWORD = "copper-kettle-orchard-swim-41"


def create(runner, *args, input=None):
    return runner.invoke(args=["users", "create", *args], input=input)


def stored(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_create_with_a_password(app, runner):
    result = create(
        runner,
        "--email",
        "Ada.Lovelace@Example.org",
        "--name",
        "Ada Lovelace",
        "--role",
        "admin",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created Ada Lovelace <ada.lovelace@example.org> as Administrator."
    user = stored(app, "ada.lovelace@example.org")
    assert (user.name, user.role, user.active) == ("Ada Lovelace", Role.ADMIN, True)
    response = submit(app.test_client(), "/sign-in", {"email": "ada.lovelace@example.org", "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "User"))
        assert (event.action, event.actor_id, event.actor_label) == (
            "create",
            None,
            "command line (flask users create)",
        )


def test_create_prompts_for_the_password_twice_when_it_is_left_out(app, runner):
    result = create(
        runner, "--email", "b@example.org", "--name", "Ben Hale", "--role", "manager", input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "Repeat for confirmation:" in result.output
    assert PASSWORD not in result.output, "the prompt hides what is typed"
    assert stored(app, "b@example.org").role == Role.MANAGER


def test_prompted_passwords_must_match(app, runner):
    result = create(
        runner,
        "--email",
        "c@example.org",
        "--name",
        "Cal Ives",
        "--role",
        "viewer",
        input=f"{PASSWORD}\nsomething-else-entirely\n",
    )
    assert result.exit_code != 0
    assert "the two entered values do not match" in result.output.lower()
    assert stored(app, "c@example.org") is None


def test_a_bad_role_is_refused(app, runner):
    result = create(
        runner, "--email", "d@example.org", "--name", "Di Jones", "--role", "superuser", "--password", PASSWORD
    )
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert "social_worker" in result.output, "the message lists the roles"
    assert stored(app, "d@example.org") is None


def test_a_duplicate_email_is_refused(app, runner):
    existing = make_user(app, Role.VIEWER, email="e@example.org")
    result = create(
        runner, "--email", "E@Example.org", "--name", "Someone New", "--role", "admin", "--password", PASSWORD
    )
    assert result.exit_code == 1
    assert "An account with the email address e@example.org already exists." in result.output
    assert stored(app, "e@example.org").name == existing.name


def test_a_weak_password_is_refused_with_the_reason(app, runner):
    result = create(
        runner, "--email", "f@example.org", "--name", "Fay Green", "--role", "admin", "--password", "password1234"
    )
    assert result.exit_code == 2
    assert "Invalid value for --password: Password is too common or easy to guess" in result.output
    assert stored(app, "f@example.org") is None


def test_a_short_prompted_password_is_refused(app, runner):
    result = create(runner, "--email", "g@example.org", "--name", "Gil Hart", "--role", "admin", input="short\nshort\n")
    assert result.exit_code == 2
    assert "Password must be 12 characters or more" in result.output
    assert stored(app, "g@example.org") is None


def test_a_bad_email_is_refused(app, runner):
    result = create(runner, "--email", "not-an-email", "--name", "Hal Ince", "--role", "admin", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "Enter an email address in the correct format" in result.output


def test_a_blank_name_is_refused(app, runner):
    result = create(runner, "--email", "h@example.org", "--name", "  ", "--role", "admin", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "Enter a name of 120 characters or fewer." in result.output
    assert stored(app, "h@example.org") is None


def test_list_shows_every_account(app, runner):
    make_user(app, Role.MANAGER, name="Zoe Manager", email="zoe@example.org")
    make_user(app, Role.SOCIAL_WORKER, name="Abe Worker", email="abe@example.org", active=False)
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split() == ["abe@example.org", "social_worker", "deactivated", "Abe", "Worker"]
    assert lines[1].split() == ["zoe@example.org", "manager", "active", "Zoe", "Manager"]


def test_list_with_no_accounts_says_how_to_create_one(runner):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert "There are no accounts. Create one with: flask users create" in result.output
