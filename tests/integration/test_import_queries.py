"""Checking an import file runs the same number of SQL statements whatever its length: the records rows
refer to are loaded once, up front, never a query per row (CONTRACTS.md section 1, 20,000-row files)."""

from __future__ import annotations

from carertrack.models.user import Role
from tests.factories import make_user
from tests.importing import run, write_csv
from tests.queries import count_queries

HOUSEHOLDS = ["reference", "carer_1_name", "carer_2_name", "approval_date"]
PEOPLE = ["household_reference", "name", "date_of_birth", "role", "dbs_issue_date", "dbs_update_service"]
STAYING_PUT = ["household_reference", "young_person_reference", "date_of_birth", "start_date"]
CASES = [
    "reference",
    "carer_type",
    "applicant_1_name",
    "enquiry_date",
    "application_date",
    "allocated_date",
    "allocated_worker",
    "panel_date",
    "panel_recommendation",
    "decision_date",
    "decision",
]


def _household(n: int) -> list[object]:
    return [f"FH-{n:03d}", f"Carer {n}", f"Partner {n}", "2016-05-04"]


def _person(n: int) -> list[object]:
    # Completes the carer the households import created, with a certificate.
    return [f"FH-{n:03d}", f"Carer {n}", "1970-01-01", "carer", "2022-01-10", "yes"]


def _staying_put(n: int) -> list[object]:
    return [f"FH-{n:03d}", f"YP-{n:03d}", "2004-01-01", "2022-01-01"]


def _case(n: int, email: str) -> list[object]:
    approved = n % 2 == 0
    return [
        f"FC-{n:03d}",
        "mainstream",
        f"Applicant {n}",
        "2018-02-01",
        "2018-03-01",
        "2018-03-05",
        email,
        "2018-10-01" if approved else None,
        "approve" if approved else None,
        "2018-10-08" if approved else None,
        "approved" if approved else None,
    ]


def _dry_run_statements(app, tmp_path, kind: str, header: list[str], rows: list[list[object]]) -> int:
    path = write_csv(tmp_path, f"{kind}-{len(rows)}.csv", [header, *rows])
    with count_queries(app) as queries:
        result = run(kind, path, dry_run=True)
    assert result.ok, result.problems
    return queries.count


def test_checking_a_file_does_not_query_row_by_row(app_ctx, tmp_path):
    app = app_ctx
    worker = make_user(app, Role.SOCIAL_WORKER)
    # Existing records for half of each file's rows: rows that match them are compared, not created.
    assert run("households", write_csv(tmp_path, "h.csv", [HOUSEHOLDS, *(_household(n) for n in range(0, 80))])).written
    assert run("cases", write_csv(tmp_path, "c.csv", [CASES, *(_case(n, worker.email) for n in range(0, 40))])).written
    assert run("people", write_csv(tmp_path, "p.csv", [PEOPLE, *(_person(n) for n in range(0, 40))])).written
    assert run(
        "staying-put", write_csv(tmp_path, "s.csv", [STAYING_PUT, *(_staying_put(n) for n in range(0, 40))])
    ).written

    cases = {
        # kind: (header, row maker, a few rows, many rows): each half already held, half new.
        "households": (HOUSEHOLDS, _household, [*range(0, 2), *range(100, 102)], [*range(0, 40), *range(100, 140)]),
        "cases": (
            CASES,
            lambda n: _case(n, worker.email),
            [*range(0, 2), *range(100, 102)],
            [*range(0, 40), *range(100, 140)],
        ),
        "people": (PEOPLE, _person, [*range(0, 2), *range(40, 42)], [*range(0, 40), *range(40, 80)]),
        "staying-put": (STAYING_PUT, _staying_put, [*range(0, 2), *range(40, 42)], [*range(0, 40), *range(40, 80)]),
    }
    for kind, (header, make, few, many) in cases.items():
        small = _dry_run_statements(app, tmp_path, kind, header, [make(n) for n in few])
        large = _dry_run_statements(app, tmp_path, kind, header, [make(n) for n in many])
        assert large == small, (kind, small, large)
