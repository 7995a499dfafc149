"""`flask seed demo`: demo users for every role in an empty database, and `--if-empty` leaves data alone."""

from __future__ import annotations

from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.user import Role, User
from carertrack.seed.demo import DEMO_PASSWORD, DEMO_USERS
from tests.conftest import sign_in
from tests.factories import UserInfo


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_loads_every_role_once_and_prints_how_to_sign_in(app, runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert f"password: {DEMO_PASSWORD}" in result.output
    for email, _name, role in DEMO_USERS:
        assert email in result.output and role.label in result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    users, cases = _count(app, User), _count(app, Case)
    assert users == len(DEMO_USERS) and cases > 60

    # Already loaded: --if-empty says so and changes nothing; without it, the command refuses.
    again = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "demo data not loaded" in again.output
    refused = runner.invoke(args=["seed", "demo"])
    assert refused.exit_code != 0 and "Demo data only loads into an empty database" in refused.output
    assert (_count(app, User), _count(app, Case)) == (users, cases)

    # A demo sign-in works.
    email, name, role = DEMO_USERS[0]
    client = app.test_client()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    sign_in(client, UserInfo(user_id, email, name, role, DEMO_PASSWORD))
    assert client.get("/").status_code == 200
