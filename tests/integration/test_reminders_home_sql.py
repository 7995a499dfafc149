"""The home page's reminder counts (case items counted in SQL) and first items equal the Python rules'.

The data is the preselection test's: cases and households whose dates sit around every threshold,
month ends and leap days. One social worker is deactivated, so items fall to the managers
(Directory.worker_or_managers) as they do in the service.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role, User
from carertrack.reminders import home, sources
from carertrack.reminders.rules import ReminderSettings, due_items, for_recipient
from tests.integration.test_reminders_preselect import DATES, SETTINGS, build, everything


def _key(item) -> tuple:
    return (item.rule, item.record_type, item.record_id, item.due_date, item.title, item.detail)


@pytest.mark.parametrize("as_of", [DATES[0], DATES[1], date(2026, 8, 31)])
def test_home_counts_and_first_items_match_the_rules(app, as_of):
    workers = build(app, as_of, seed=as_of.toordinal() + 7)
    with app.app_context(), acting_as("test setup"):
        db.session.get(User, workers[0]).active = False
        db.session.commit()
    with app.app_context():
        directory = sources.directory()
        people = db.session.scalars(
            select(User).where(
                User.active.is_(True), User.role.in_([Role.MANAGER, Role.SOCIAL_WORKER, Role.PANEL_ADMIN])
            )
        ).all()
        for settings in SETTINGS:
            everyone = due_items(everything(as_of), as_of, directory, settings)
            for user in people:
                expected = for_recipient(everyone, user.id)
                for shown in (1, 3, home.SHOWN):
                    found = home.summary(user, as_of, settings, shown)
                    assert found.total == len(expected), (user.role, settings)
                    assert found.overdue == sum(1 for i in expected if i.urgent), (user.role, settings)
                    assert [_key(i) for i in found.first] == [_key(i) for i in expected[:shown]], (user.role, shown)


def test_home_summary_with_default_settings_has_items(app):
    build(app, DATES[0], seed=11)
    with app.app_context():
        manager = db.session.scalars(select(User).where(User.role == Role.MANAGER)).first()
        found = home.summary(manager, DATES[0], ReminderSettings())
        assert found.total > len(found.first) > 0
