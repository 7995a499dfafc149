"""The SQL forms the reports count and page with agree with the Python rules, and a report's page
(its `page` hook) gives the same figures and the same rows, in the same order, as its compute."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.cases import queries, rules
from carertrack.cases.rules import ClockSettings
from carertrack.clocks import ClockStatus
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, ClosedReason, Stage
from carertrack.reports import REPORTS
from carertrack.reports.assessment import status_counts
from carertrack.reports.breaches import flagged_case_clocks
from carertrack.reports.periods import year_containing
from carertrack.reports.registry import ReportParams
from carertrack.reports.summary import on_temporary_approval
from carertrack.reports.timeliness import recommendation_within, recommendation_within_sql
from tests import report_data as rd
from tests.integration.test_cases_status_sql import AS_OF, build_cases

# Edge dates: a leap day, month ends, a bank holiday Monday and the weekend before it, and AS_OF.
EDGE_DATES = (
    AS_OF,
    AS_OF + timedelta(days=1),
    date(2024, 2, 29),
    date(2025, 2, 28),
    date(2025, 8, 31),
    date(2025, 12, 25),
    date(2026, 4, 4),
    date(2026, 4, 6),
)


def _maybe(rng: random.Random, value, chance: float = 0.5):
    return value if rng.random() < chance else None


def build_enquiries(app, as_of_dates=EDGE_DATES, per_date: int = 40) -> None:
    """Enquiries a few days either side of each date, some contacted, visited, applied or closed."""
    rng = random.Random(77)
    with app.app_context(), acting_as("test setup"):
        for i, day in enumerate(as_of_dates):
            for j in range(per_date):
                enquiry = day - timedelta(days=rng.randint(-2, 12))
                db.session.add(
                    Case(
                        reference=f"ENQ-{i:02d}-{j:03d}",
                        carer_type=CarerType.MAINSTREAM,
                        stage=Stage.ENQUIRY,
                        enquiry_date=enquiry,
                        first_contact_date=_maybe(rng, enquiry + timedelta(days=rng.randint(0, 6)), 0.3),
                        initial_visit_date=_maybe(rng, enquiry + timedelta(days=rng.randint(1, 9)), 0.15),
                        application_date=_maybe(rng, enquiry + timedelta(days=rng.randint(2, 12)), 0.15),
                        closed_date=_maybe(rng, enquiry + timedelta(days=rng.randint(0, 8)), 0.1),
                        closed_reason=ClosedReason.AW0,
                    )
                )
        db.session.commit()


def _ids(condition) -> set[int]:
    return set(db.session.scalars(select(Case.id).where(condition)))


@pytest.mark.parametrize("as_of", [*EDGE_DATES, AS_OF - timedelta(days=40)])
def test_case_sql_forms_agree_with_the_python_rules(app, as_of):
    build_cases(app)
    build_enquiries(app)
    settings = ClockSettings(lead_days=42)
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        pairs = [
            (queries.in_assessment_sql(as_of), lambda c: rules.in_assessment(c, as_of)),
            (queries.enquiry_open_sql(as_of), lambda c: rules.enquiry_open(c, as_of)),
            (
                queries.on_temporary_approval_sql(as_of, settings),
                lambda c: on_temporary_approval(c, as_of, settings),
            ),
        ]
        for condition, rule in pairs:
            assert _ids(condition) == {c.id for c in cases if rule(c)}


@pytest.mark.parametrize("as_of", EDGE_DATES)
@pytest.mark.parametrize("settings", [ClockSettings(), ClockSettings(short_lead_days=0, first_contact_days=5)])
def test_first_contact_sql_agrees_with_the_python_clock(app, as_of, settings):
    build_enquiries(app)
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        sql = queries.first_contact_sql(as_of, settings)
        expected: dict[ClockStatus | None, set[int]] = {}
        for case in cases:
            clock = rules.first_contact_clock(case, as_of, settings)
            expected.setdefault(clock.status if clock else None, set()).add(case.id)
        assert _ids(sql.breached) == expected.get(ClockStatus.BREACHED, set())
        assert _ids(sql.at_risk) == expected.get(ClockStatus.AT_RISK, set())
        running = expected.get(ClockStatus.ON_TRACK, set()) | expected.get(ClockStatus.AT_RISK, set())
        assert _ids(sql.running) == running | expected.get(ClockStatus.BREACHED, set())


@pytest.mark.parametrize("as_of", [AS_OF, AS_OF - timedelta(days=40), date(2026, 4, 6)])
def test_flagged_case_clocks_are_the_python_clocks_at_risk_or_breached(app, as_of):
    build_cases(app)
    build_enquiries(app)
    settings = ClockSettings()
    with app.app_context():
        expected = set()
        for case in db.session.scalars(select(Case)):
            if rules.is_closed_by(case, as_of) or (case.decision_date and case.decision_date <= as_of):
                continue
            for clock in rules.case_clocks(case, as_of, settings):
                if clock.status in (ClockStatus.AT_RISK, ClockStatus.BREACHED):
                    expected.add((case.reference, clock.key, clock.deadline, clock.status.value, clock.days_left))
        got = {
            (r["reference"], r["clock"], r["deadline"], r["status"], r["days_left"])
            for _, r in flagged_case_clocks(as_of, settings)
        }
        assert got == expected
        assert {key for _, key, *_ in expected} == {"eight_month", "reg24", "first_contact"}


def build_people(app) -> None:
    """Approved households with people whose DBS is current, due soon, expired or missing."""
    rng = random.Random(5)
    with app.app_context(), acting_as("test setup"):
        for i in range(12):
            home = rd.household(f"HH{i:02d}", "mainstream", "2020-01-01")
            for j in range(rng.randint(1, 3)):
                person = rd.member(home, f"Person {i}-{j}")
                if rng.random() < 0.8:
                    rd.dbs_check(person, (AS_OF - timedelta(days=rng.randint(10, 1500))).isoformat())
            rd.staying_put(home, f"YP{i:02d}", "2006-01-01", "2024-06-01")
        db.session.commit()


PAGED = [name for name, report in REPORTS.items() if report.page is not None]


def test_the_row_reports_have_pages():
    assert set(PAGED) >= {"in-assessment", "breaches", "dbs", "staying-put"}


@pytest.mark.parametrize("name", PAGED)
def test_pages_give_compute_figures_and_rows(app, name):
    build_cases(app, 120)
    build_enquiries(app, (AS_OF,), 30)
    build_people(app)
    with app.app_context():
        report = REPORTS[name]
        params = ReportParams(as_of=AS_OF, year=year_containing(AS_OF) if report.kind == "year" else None)
        whole = report.compute(params)
        key = "exceptions" if name == "dbs" else "rows"
        rows = whole[key]
        assert len(rows) > 5, "the data should give this report rows"
        assert figures_only_matches(report, params, whole, key, rows)
        figures_only = report.page(params, 0, 0)
        assert figures_only[key] == [] and figures_only["row_count"] == len(rows)
        if "status_counts" in figures_only:  # in-assessment: what status_counts counts from every row
            assert figures_only.pop("status_counts") == status_counts(whole)
        assert {k: v for k, v in figures_only.items() if k not in (key, "row_count")} == {
            k: v for k, v in whole.items() if k != key
        }
        paged = []
        for offset in range(0, len(rows) + 7, 7):
            paged += report.page(params, offset, 7)[key]
        assert paged == rows


def figures_only_matches(report, params, whole, key, rows) -> bool:
    """Every page size gives compute's rows, in order (page boundaries anywhere)."""
    for size in (1, 2, 3, 50):
        paged = []
        for offset in range(0, len(rows) + size, size):
            paged += report.page(params, offset, size)[key]
        assert paged == rows, size
    return True


def test_recommendation_within_sql_agrees_with_the_python_rule(app):
    build_cases(app)
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        assert _ids(recommendation_within_sql()) == {c.id for c in cases if recommendation_within(c)}
        assert any(recommendation_within(c) is False for c in cases)


@pytest.mark.parametrize("settings", [ClockSettings(), ClockSettings(first_contact_days=5)])
def test_first_contact_deadline_sql_is_the_python_deadline(app, settings):
    from carertrack.clocks import first_contact_deadline

    build_enquiries(app)
    with app.app_context():
        days = set(db.session.scalars(select(Case.enquiry_date)))
        deadline = queries.first_contact_deadline_sql(days, settings)
        for enquiry, got in db.session.execute(select(Case.enquiry_date, deadline)):
            assert got == first_contact_deadline(enquiry, settings.first_contact_days)
        assert db.session.scalar(select(queries.first_contact_deadline_sql([], settings))) is None


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-07-02"])
def test_breaches_pages_merge_case_and_panel_clocks_in_order(app, as_of):
    from tests.integration.test_reports_breaches import _build

    _build(app)
    build_cases(app, 80)
    build_enquiries(app, (date(2025, 6, 30),), 30)
    with app.app_context():
        params = ReportParams(as_of=date.fromisoformat(as_of))
        report = REPORTS["breaches"]
        whole = report.compute(params)
        rows = whole["rows"]
        assert {row["clock"] for row in rows} >= {"eight_month", "first_contact", "papers", "adm"}
        figures = report.page(params, 0, 0)
        assert figures["row_count"] == len(rows)
        assert {k: v for k, v in figures.items() if k not in ("rows", "row_count")} == {
            k: v for k, v in whole.items() if k != "rows"
        }
        assert figures_only_matches(report, params, whole, "rows", rows)


def test_funnel_sql_counts_agree_with_the_python_stage_dates(app):
    """The funnel's SQL counts are stage_events' dates counted in Python, on varied cases."""
    from carertrack.reports.funnel import NOT_RECORDED, STAGES, stage_dates_sql, stage_events

    build_cases(app)
    build_enquiries(app)
    with app.app_context():
        params = ReportParams(as_of=AS_OF - timedelta(days=3), year=year_containing(AS_OF))
        start, upto = params.period_start, min(params.as_of, params.period_end)
        cases = db.session.scalars(select(Case)).all()
        stage_sql = stage_dates_sql()
        for stage in STAGES:
            got = dict(db.session.execute(select(Case.id, stage_sql[stage])).all())
            assert got == {c.id: stage_events(c)[stage] for c in cases}
        document = REPORTS["funnel"].compute(params)
        within = [c for c in cases if c.enquiry_date and start <= c.enquiry_date <= upto]
        for stage in STAGES:
            days = [stage_events(c)[stage] for c in cases]
            assert document[stage] == sum(1 for day in days if day and start <= day <= upto) > 0
            assert document["cohort"][stage] == sum(
                1 for c in within if stage_events(c)[stage] and stage_events(c)[stage] <= params.as_of
            )
        by_source = {entry["source"]: entry for entry in document["by_source"]}
        assert by_source[NOT_RECORDED]["enquiries"] == len(within)
        closed = [c for c in cases if c.closed_date and start <= c.closed_date <= upto and c.closed_reason]
        after = sum(1 for c in closed if c.application_date and c.application_date <= c.closed_date)
        assert sum(entry["after_application"] for entry in document["closures"]) == after
        assert sum(entry["total"] for entry in document["closures"]) == len(closed) > 0


def test_recommendation_stop_sql_and_funnel_stage_days_agree_with_python(app):
    from carertrack.reports.funnel import _stage_days, stage_days_sql

    build_cases(app)
    build_enquiries(app)
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        got = dict(db.session.execute(select(Case.id, queries.recommendation_stop_sql())).all())
        assert got == {c.id: rules.recommendation_stop_date(c) for c in cases}
        for start, end in ((date(2025, 4, 1), AS_OF), (AS_OF - timedelta(days=30), AS_OF + timedelta(days=60))):
            expected = _stage_days(cases, start, end)
            assert stage_days_sql(start, end) == expected
            assert all(value is not None for value in expected.values())
