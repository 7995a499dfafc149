"""Every report runs the same number of SQL statements whatever the amount of data."""

from __future__ import annotations

import time as _time

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role
from carertrack.reports import REPORTS
from carertrack.reports.registry import ReportParams
from tests import report_data as rd
from tests.factories import make_user
from tests.queries import count_queries
from tests.report_data import d

AS_OF = d("2025-06-30")


def _add(app, start: int, stop: int, presenter: int) -> None:
    """Records that every report reads: cases at each stage, households with people, DBS, placements,
    staying put, and panel items with decisions and determinations."""
    with app.app_context(), acting_as("test setup"):
        for n in range(start, stop):
            rd.case(
                f"A{n:04d}",
                applicants=("One", "Two"),
                enquiry_date="2024-10-01",
                enquiry_source="website",
                initial_visit_date="2024-10-10",
                application_date="2024-11-01",
                allocated_date="2024-11-10",
                predicted_panel_date="2025-08-01",
                delays=(("Waiting", "2025-01-01"),),
            )
            rd.case(f"E{n:04d}", enquiry_date="2025-06-20")
            rd.case(f"C{n:04d}", "connected", application_date="2025-02-01", placement_date="2025-02-15")
            done = rd.case(
                f"D{n:04d}",
                application_date="2024-06-01",
                panel_recommendation="approve",
                recommendation_date="2025-01-15",
                decision="approved",
                decision_date="2025-01-20",
            )
            home = rd.household(
                f"H{n:04d}", "mainstream" if n % 2 else "connected", "2025-01-20", case_id=done, approved_places=2
            )
            carer = rd.member(home, f"Carer {n}")
            rd.dbs_check(carer, "2023-01-01", update_service=True, status_checks=("2024-01-01",))
            rd.member(home, f"Child {n}", "child_member", date_of_birth="2007-08-01")
            rd.placement(home, f"CH{n}", "2025-02-01")
            rd.staying_put(home, f"YP{n}", "2005-01-01", "2023-01-01")
            meeting = rd.meeting("2025-07-03")
            rd.item(meeting, presenter, household_id=home)
            past = rd.meeting("2025-06-12")
            awaited = rd.item(
                past,
                presenter,
                household_id=home,
                recommendation="not_approve",
                recommended="2025-06-12",
                minutes="2025-06-16",
                papers="2025-06-01",
            )
            rd.determination(rd.decision(awaited, "2025-06-18", "not_approved"), "2025-05-30")
        db.session.commit()


def _counts(app) -> dict[str, int]:
    counts = {"home panel": _home_panel_count(app)}
    for name, report in REPORTS.items():
        params = ReportParams(as_of=AS_OF, year=2024 if report.kind == "year" else None)
        with app.app_context():
            db.session.execute(db.select(1))  # settings and connection set-up happen outside the count
            with count_queries(app) as queries:
                document = report.compute(params)
                report.table(document)
            counts[name] = queries.count
    return counts


def _home_panel_count(app) -> int:
    from carertrack.reports import home

    with app.app_context():
        db.session.execute(db.select(1))
        with count_queries(app) as queries:
            home.context(None)
        return queries.count


def _page_counts(app, client) -> dict[str, int]:
    counts = {}
    urls = (
        ["/dashboard?as_of=2025-06-30"]
        + [
            f"/reports/{name}.csv?as_of=2025-06-30" + ("&year=2024" if report.kind == "year" else "")
            for name, report in REPORTS.items()
        ]
        + ["/reports/net-growth?as_of=2025-06-30&year=2024", "/reports/in-assessment?as_of=2025-06-30"]
    )
    for url in urls:
        with count_queries(app) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = queries.count
    return counts


def test_query_counts_do_not_grow_with_the_data(app, client, manager):
    presenter = make_user(app, Role.SOCIAL_WORKER).id
    _add(app, 0, 10, presenter)
    few, few_pages = _counts(app), _page_counts(app, client)
    started = _time.monotonic()
    _add(app, 10, 500, presenter)
    print(f"built 490 more in {_time.monotonic() - started:.1f}s; statements: {few} {few_pages}")
    many, many_pages = _counts(app), _page_counts(app, client)
    assert many == few
    assert many_pages == few_pages
    with app.app_context():
        # The data really is there: 500 of each.
        assert REPORTS["summary"].compute(ReportParams(as_of=AS_OF))["households"]["total"] == 500
        assert len(REPORTS["in-assessment"].compute(ReportParams(as_of=AS_OF))["rows"]) == 1000
