"""Every main page runs the same number of SQL statements on 1,000 cases as on 10,000.

The data comes from the bulk generator (`flask seed scale`, carertrack/seed/scale.py): 300 households
bring 1,000 cases, 3,000 bring 10,000, with their people, DBS checks, panels, placements and staying put.
Each page is loaded as the role that uses it; a page whose count grows with the data fails, and so
does any page that does not render (so this is also the proof that every page renders on generated data).
The sizes are a single service (300 households, 1,000 cases) and ten times that: at 10 records
some lists (staying put, decisions awaited, a worker's panel items) are still empty, and an empty
list rightly skips the statements that load its rows' details, which is not growth with the data.
"""

from __future__ import annotations

from datetime import date

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


def build(app, households: int) -> dict[str, int]:
    """Generate the data and return the ids the detail pages need."""
    with app.app_context():
        with acting_as("query count test"):
            scale.build_scale(households, date.today())
        case_id, household_id = db.session.execute(
            select(Case.id, Household.id)
            .join(Household, Household.case_id == Case.id)
            # Intake and assessing workers differ, so the page loads both at either size.
            .where(Case.decision == CaseDecision.APPROVED, Case.intake_worker_id != Case.allocated_worker_id)
            .order_by(Case.id)
            .limit(1)
        ).one()
        item = db.session.scalars(select(AgendaItem).where(AgendaItem.case_id == case_id)).one()
        cases = db.session.scalar(select(func.count()).select_from(Case))
        # The social worker presenting the most items to coming panels, so their home page lists some
        # at either size (an empty list loads less, which is not growth with the data).
        worker = db.session.scalar(
            select(User.email)
            .join(AgendaItem, AgendaItem.presenter_id == User.id)
            .join(PanelMeeting, PanelMeeting.id == AgendaItem.meeting_id)
            .where(PanelMeeting.meeting_date >= date.today())
            .group_by(User.id, User.email)
            .order_by(func.count().desc(), User.id)
            .limit(1)
        )
        db.session.remove()
        return {
            "case": case_id,
            "household": household_id,
            "meeting": item.meeting_id,
            "item": item.id,
            "cases": cases,
            "worker": worker,
        }


def measure(app, ids: dict[str, int]) -> dict[str, int]:
    clients = {}
    counts = {}
    for who, pattern in PAGES:
        if who not in clients:
            clients[who] = app.test_client()
            email = ids["worker"] if who == "worker" else f"scale.{who}@example.org"
            response = submit(clients[who], "/sign-in", {"email": email, "password": scale.SCALE_PASSWORD})
            assert response.status_code == 302, who
        url = pattern.format(**ids)
        with count_queries(app) as counter:
            response = clients[who].get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        counts[f"{who} {pattern}"] = counter.count
    return counts


def test_every_main_page_runs_the_same_queries_on_1000_and_10000_cases(app):
    few_ids = build(app, 300)
    assert few_ids["cases"] == 1000
    few = measure(app, few_ids)
    empty_tables(app)
    many_ids = build(app, 3000)
    assert many_ids["cases"] == 10000
    many = measure(app, many_ids)
    grew = {page: (few[page], many[page]) for page in few if many[page] > few[page]}
    assert not grew, f"statements at 1,000 cases and at 10,000: {grew}"
    # Most pages run exactly the same statements; a home page may run fewer when one of its lists
    # happens to be empty for the person at the larger size (each list costs a fixed few statements).
    same = sum(1 for page in few if many[page] == few[page])
    assert same >= len(few) - 2, {page: (few[page], many[page]) for page in few if many[page] != few[page]}
