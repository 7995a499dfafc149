"""The security suite runs against the demo service, built once for the whole package.

Building it takes seconds, so instead of the per-test emptying in tests/conftest.py the tables are
emptied once, after the package's last test. Tests here only add records or change the demo's, and
each looks up the records it needs when it runs, so their order does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.panel import PanelMember
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, ItemConflict, QualifyingDetermination
from carertrack.models.reminder import OutboxKind, OutboxMessage, OutboxStatus
from carertrack.seed.demo import build_demo
from tests.conftest import empty_tables


@pytest.fixture(scope="package")
def demo_service(app: Any) -> Iterator[None]:
    """The demo service plus the few records it lacks: a failed email, an open determination, a conflict."""
    empty_tables(app)
    with app.app_context(), acting_as("security test set-up"):
        build_demo(date.today())
        db.session.add(
            OutboxMessage(
                kind=OutboxKind.DAILY_DIGEST,
                to_address="sam.okafor@example.org",
                subject="Your CarerTrack reminders",
                body_text="Reminders",
                message_id="<security-suite@example.org>",
                status=OutboxStatus.QUEUED,
                attempts=3,
                last_error="ConnectionRefusedError: [Errno 111] Connection refused",
                next_attempt_at=datetime.now(UTC),
            )
        )
        # The demo's one determination is decided and its conflicts are on decided items: give the suite an
        # open determination and a conflict it can still remove.
        db.session.execute(update(QualifyingDetermination).values(final_decision=None, final_decision_date=None))
        undecided = select(AgendaItem.id).where(~AgendaItem.id.in_(select(AdmDecision.item_id)))
        item_id = db.session.scalar(undecided.order_by(AgendaItem.id.desc()).limit(1))
        member_id = db.session.scalar(select(PanelMember.id).limit(1))
        db.session.add_all(
            ItemConflict(item_id=item_id, member_id=member_id, note="Knows the applicants") for _ in range(3)
        )
        db.session.commit()
        db.session.remove()
    yield
    empty_tables(app)


@pytest.fixture(autouse=True)
def _empty_tables(demo_service: None) -> Iterator[None]:
    """Replaces the per-test emptying: the demo service stays for the whole package."""
    yield
