"""Every main page runs exactly the same SQL statements on 10 records as on 1,000 and 10,000 (issue 9).

The data comes from the bulk generator (`flask seed scale`, carertrack/seed/scale.py): 3 households
bring 10 cases, 300 bring 1,000 and 3,000 bring 10,000, with their people, DBS checks, panels,
placements and staying put. Each dataset is built and every page measured once for the module; then
there is one test per page, asserting its statement count is EXACTLY the same at each size. At 10
records many lists are empty, so this also proves a page runs the same statements whether its lists
are empty or not (a list loads its rows' details in its own statement, or in a detail query that runs
even for no rows), not merely that it does not grow. Each page is loaded as the role that uses it and
must answer 200, so this is also the proof that every page renders on generated data at each size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.case import Case, CaseDecision
from carertrack.models.household import Household
from carertrack.models.panel import PanelMeeting
from carertrack.models.panel_agenda import AgendaItem
from carertrack.models.user import User
from carertrack.reports.registry import REPORTS
from carertrack.seed import scale
from tests.conftest import empty_tables
from tests.forms import submit
from tests.queries import count_queries

AS_OF = "as_of=" + date.today().isoformat()

# Households given to the generator, and the cases (records) they must bring.
SIZES: dict[int, int] = {3: 10, 300: 1_000, 3_000: 10_000}

# (who, url); {case}, {household}, {meeting}, {item} are a decided case, its household, its meeting and item.
PAGES: list[tuple[str, str]] = [
    ("manager", "/"),
    ("manager", "/dashboard"),
    ("manager", "/cases/pipeline"),
    ("manager", "/cases/pipeline?stage=stage2&type=mainstream"),
    ("manager", "/cases/pipeline?status=at_risk&q=a"),
    ("manager", "/cases/pipeline?page=2"),
    ("manager", "/cases/enquiries"),
    ("manager", "/cases/{case}"),
    ("manager", "/households"),
    ("manager", "/households?status=active&compliance=not_compliant"),
    ("manager", "/households/{household}"),
    ("manager", "/dbs-compliance"),
    ("manager", "/staying-put"),
    ("manager", "/panels"),
    ("manager", "/panels/upcoming"),
    ("manager", "/panels/meetings/{meeting}"),
    ("manager", "/panels/items/{item}"),
    ("manager", "/panels/decisions-awaited"),
    ("manager", "/panels/determinations"),
    ("manager", "/reminders"),
    ("manager", "/audit"),
    ("manager", "/reports"),
    ("worker", "/"),
    ("worker", "/cases/mine"),
    ("worker", "/panels/my-items"),
    ("worker", "/households"),
    ("panel", "/"),
    ("panel", "/panels/members"),
    ("admin", "/admin/users"),
    ("admin", "/admin/outbox"),
    ("viewer", "/"),
] + [
    ("viewer", f"/reports/{name}?{AS_OF}" + (f"&year={date.today().year - 1}" if report.kind == "year" else ""))
    for name, report in REPORTS.items()
]


def page_id(page: tuple[str, str]) -> str:
    """A readable test id: 'manager /cases/pipeline?page=2'."""
    return f"{page[0]} {page[1]}"


def _ids(households: int) -> dict[str, Any]:
    """The ids the detail pages need and the worker to sign in as, chosen from the generated data."""
    # A decided case with its household and agenda item; intake and assessing workers differ, so the
    # case page loads both at every size.
    case_id, household_id, item_id, meeting_id = db.session.execute(
        select(Case.id, Household.id, AgendaItem.id, AgendaItem.meeting_id)
        .join(Household, Household.case_id == Case.id)
        .join(AgendaItem, AgendaItem.case_id == Case.id)
        .where(Case.decision == CaseDecision.APPROVED, Case.intake_worker_id != Case.allocated_worker_id)
        .order_by(Case.id, AgendaItem.id)
        .limit(1)
    ).one()
    # The social worker presenting the most items to coming panels (at 10 records nobody may have
    # any: then the one with the most allocated cases), so the worker's lists have rows where the
    # data gives any.
    coming = func.count(AgendaItem.id).filter(PanelMeeting.meeting_date >= date.today())
    worker = db.session.execute(
        select(User.email)
        .join(Case, Case.allocated_worker_id == User.id)
        .outerjoin(AgendaItem, AgendaItem.case_id == Case.id)
        .outerjoin(PanelMeeting, PanelMeeting.id == AgendaItem.meeting_id)
        .group_by(User.id, User.email)
        .order_by(coming.desc(), func.count(func.distinct(Case.id)).desc(), User.id)
        .limit(1)
    ).scalar_one()
    return {
        "case": case_id,
        "household": household_id,
        "meeting": meeting_id,
        "item": item_id,
        "cases": db.session.scalar(select(func.count()).select_from(Case)),
        "households": households,
        "worker": worker,
    }


def build(app: Any, households: int) -> dict[str, Any]:
    """Empty the tables, generate the data for `households` households and return the ids pages need."""
    empty_tables(app)
    with app.app_context():
        with acting_as("query count test"):
            scale.build_scale(households, date.today())
        ids = _ids(households)
        db.session.remove()
    assert ids["cases"] == SIZES[households], ids
    return ids


def measure(app: Any, ids: dict[str, Any]) -> dict[str, int | str]:
    """Each page's statement count, loaded as its role (or why it did not answer 200)."""
    clients: dict[str, Any] = {}
    counts: dict[str, int | str] = {}
    for who, pattern in PAGES:
        if who not in clients:
            clients[who] = app.test_client()
            email = ids["worker"] if who == "worker" else scale.scale_email(who)
            response = submit(clients[who], "/sign-in", {"email": email, "password": scale.SCALE_PASSWORD})
            assert response.status_code == 302, who
        url = pattern.format(**ids)
        with count_queries(app) as counter:
            response = clients[who].get(url)
        key = page_id((who, pattern))
        counts[key] = counter.count if response.status_code == 200 else f"{url} answered {response.status_code}"
    return counts


@pytest.fixture(scope="module")
def counts(app: Any) -> Iterator[dict[int, dict[str, int | str]]]:
    """{households: {page: statements}} for every size, built and measured once for the module."""
    measured = {households: measure(app, build(app, households)) for households in SIZES}
    empty_tables(app)
    yield measured


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_runs_the_same_statements_at_10_1000_and_10000_records(
    counts: dict[int, dict[str, int | str]], page: tuple[str, str]
) -> None:
    key = page_id(page)
    by_records = {SIZES[households]: measured[key] for households, measured in counts.items()}
    for records, count in by_records.items():
        assert isinstance(count, int), f"{key} at {records:,} records: {count}"
    assert len(set(by_records.values())) == 1, f"statements by records: {by_records}"
