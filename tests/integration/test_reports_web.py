"""Report pages, downloads, the dashboard and the home panel: who may use them, what they show, and that
the page, the CSV, the JSON and the command give the same figures."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role
from carertrack.reports import REPORTS
from carertrack.reports.labels import cell
from tests import report_data as rd
from tests.access import check_route_access

READERS = {Role.MANAGER, Role.ADMIN, Role.VIEWER}
AS_OF = "2025-03-31"


@pytest.mark.parametrize(
    "url",
    [
        "/reports",
        "/reports/summary",
        "/reports/net-growth?year=2024&as_of=2025-03-31",
        "/reports/annual-return",
        "/reports/breaches.csv",
        "/reports/timeliness.json?year=2024",
        "/dashboard",
        "/dashboard?as_of=2025-03-31",
    ],
)
def test_only_managers_admins_and_viewers_read_reports(app, url):
    check_route_access(app, "GET", url, READERS)


@pytest.fixture
def service(app):
    """A little of everything, around the end of the 2024/25 year."""
    with app.app_context(), acting_as("test setup"):
        home = rd.household("H1", "mainstream", "2024-05-01", approved_places=3)
        rd.household("H2", "connected", "2024-09-01")
        rd.household(
            "H3", "mainstream", "2019-01-01", deregistration_date="2024-12-01", deregistration_reason="retired"
        )
        rd.placement(home, "C1", "2024-06-01")
        rd.dbs_check(rd.member(home, "Pat Carer"), "2022-01-01")  # expired
        rd.member(home, "Sam Adult", "adult_member")  # missing
        rd.staying_put(home, "YP1", "2006-01-01", "2024-06-01")
        rd.case(
            "A1",
            applicants=("Ann", "Bob"),
            enquiry_date="2024-04-10",
            enquiry_source="website",
            application_date="2024-06-01",
            allocated_date="2024-06-10",
            predicted_panel_date="2025-03-01",
            delay_reason="Bereavement",
        )  # deadline 1 Feb 2025: breached
        rd.case(
            "A2",
            "connected",
            application_date="2024-08-01",
            panel_recommendation="approve",
            recommendation_date="2025-02-01",
        )  # within (deadline 1 April)
        rd.case("A3", application_date="2025-01-01", predicted_panel_date="2025-06-01")  # projection
        rd.case("E1", enquiry_date="2025-03-20", enquiry_source="phone")
        db.session.commit()


class _Tables(HTMLParser):
    """The rows of every table on a page, as the text of their cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None


def _text(html: str) -> str:
    """The page's words without tags, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _query(name: str) -> str:
    return f"as_of={AS_OF}" + ("&year=2024" if REPORTS[name].kind == "year" else "")


def _args(name: str) -> list[str]:
    return ["--as-of", AS_OF] + (["--year", "2024"] if REPORTS[name].kind == "year" else [])


@pytest.mark.parametrize("name", list(REPORTS))
def test_page_csv_json_and_command_give_the_same_figures(app, client, runner, service, viewer, name):
    command_json = runner.invoke(args=["report", name, "--format", "json", *_args(name)])
    command_csv = runner.invoke(args=["report", name, "--format", "csv", *_args(name)])
    assert command_json.exit_code == 0, command_json.output
    assert command_csv.exit_code == 0, command_csv.output

    web_json = client.get(f"/reports/{name}.json?{_query(name)}")
    web_csv = client.get(f"/reports/{name}.csv?{_query(name)}")
    assert web_json.status_code == 200 and web_json.mimetype == "application/json"
    assert web_csv.status_code == 200 and web_csv.mimetype == "text/csv"
    assert "attachment" in web_csv.headers["Content-Disposition"]
    assert json.loads(web_json.get_data(as_text=True)) == json.loads(command_json.output)
    assert web_csv.get_data(as_text=True) == command_csv.output

    # The page's first table shows the same rows, each value as pages show them.
    rows = list(csv.reader(io.StringIO(command_csv.output)))
    page = client.get(f"/reports/{name}?{_query(name)}")
    assert page.status_code == 200
    shown = _tables(page.get_data(as_text=True))[0][1:]
    if name == "annual-return":  # the page turns the one-row CSV on its side
        assert shown == [[column, cell(column, _typed(value))] for column, value in zip(*rows, strict=True)]
    elif len(rows) == 1:
        assert len(shown) == 1  # the "nothing to show" row
    else:
        assert shown == [[cell(h, _typed(v), row[0]) for h, v in zip(rows[0], row, strict=True)] for row in rows[1:]]


def _typed(value: str):
    """A CSV cell back to the value the page formatted (numbers and dates; blank is None)."""
    from datetime import date

    if value == "":
        return None
    for convert in (int, float, date.fromisoformat):
        try:
            return convert(value)
        except ValueError:
            continue
    return value


def test_summary_figures_everywhere(client, runner, service, manager):
    # 31 March 2025: H1 and H2 (H3 deregistered in December); A1 and A3 in assessment (A2 recommended);
    # E1 an open enquiry; YP1 staying put.
    expected = {
        "as_of": AS_OF,
        "households": {"mainstream": 1, "connected": 1, "total": 2},
        "temporary_approvals": 0,
        "staying_put": 1,
        "in_assessment": 2,
        "enquiries_open": 1,
    }
    assert (
        json.loads(runner.invoke(args=["report", "summary", "--as-of", AS_OF, "--format", "json"]).output) == expected
    )
    assert json.loads(client.get(f"/reports/summary.json?as_of={AS_OF}").get_data(as_text=True)) == expected
    assert client.get(f"/reports/summary.csv?as_of={AS_OF}").get_data(as_text=True) == (
        "figure,value\nhouseholds_mainstream,1\nhouseholds_connected,1\nhouseholds_total,2\n"
        "temporary_approvals,0\nstaying_put,1\nin_assessment,2\nenquiries_open,1\n"
    )
    rows = _tables(client.get(f"/reports/summary?as_of={AS_OF}").get_data(as_text=True))[0]
    assert rows[1:] == [
        ["Households: mainstream", "1"],
        ["Households: connected", "1"],
        ["Households: total", "2"],
        ["Temporary approvals (regulation 24)", "0"],
        ["Staying-put arrangements", "1"],
        ["In assessment", "2"],
        ["Open enquiries", "1"],
    ]


def test_timeliness_page_shows_percentages_and_nulls(client, service, manager):
    page = client.get("/reports/timeliness?year=2024&as_of=2025-03-31").get_data(as_text=True)
    rows = _tables(page)[0]
    # A2 (connected) recommended 1 Feb 2025 within its deadline of 1 April; no mainstream completions.
    assert rows[1:] == [
        ["Assessments completed", "0", "1", "1"],
        ["Within 8 months", "0", "1", "1"],
        ["Percentage within 8 months", "None", "100.0%", "100.0%"],
        ["Median days", "None", "184.0", "184.0"],  # 1 Aug 2024 to 1 Feb 2025
    ]
    assert "Reporting year 2024/25: 1 April 2024 to 31 March 2025." in " ".join(page.split())


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/reports/summary?as_of=31/2/2025", "as_of", "The as-of date must be a real date"),
        ("/reports/summary?as_of=yesterday", "as_of", "Enter the as-of date as a date, like 31/3/2026"),
        ("/reports/net-growth?year=20x5", "year", "Enter the reporting year as 4 digits, like 2025"),
        ("/reports/net-growth?year=25", "year", "Enter the reporting year as 4 digits, like 2025"),
        (
            "/reports/net-growth?year=2025&as_of=2025-03-31",
            "as_of",
            "The as-of date must be the same as or after 1 April 2025, when the 2025/26 reporting year starts",
        ),
        ("/dashboard?as_of=2025-02-30", "as_of", "The as-of date must be a real date"),
    ],
)
def test_bad_options_are_explained(client, manager, url, field, message):
    response = client.get(url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    assert message in html
    assert "Traceback" not in html


def test_bad_options_on_a_download_are_explained_in_words(client, manager):
    response = client.get("/reports/net-growth.csv?year=2025&as_of=2025-03-31")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "reporting year starts" in response.get_data(as_text=True)
    assert client.get("/reports/dbs.json?as_of=2025-13-01").status_code == 400


def test_uk_dates_and_defaults(client, manager):
    page = client.get("/reports/staying-put?as_of=31/3/2025").get_data(as_text=True)
    assert "Figures as they stood on 31 March 2025." in page
    assert 'href="/reports/staying-put.csv?as_of=2025-03-31"' in page
    year_page = client.get("/reports/funnel?as_of=2025-06-01").get_data(as_text=True)
    assert "Reporting year 2025/26" in year_page  # the year containing the as-of date


def test_unknown_report_is_not_found(client, manager):
    assert client.get("/reports/nothing").status_code == 404
    assert client.get("/reports/nothing.csv").status_code == 404


def test_dashboard_answers_the_quarterly_report(client, service, manager):
    html = client.get(f"/dashboard?as_of={AS_OF}").get_data(as_text=True)
    text = _text(html)
    assert "As of 31 March 2025" in text
    for phrase in (
        "Approved households 2",
        "Temporary approvals (regulation 24) 0",
        "Children placed in approved households 1",
        "Staying-put arrangements 1 0 ending within 90 days",
        "In assessment 2 1 breached, 0 at risk, 1 on track",
        "Open enquiries 1",
        "Assessments completed: 1 (0 mainstream, 1 connected). Within 8 months: 1 (100.0%).",
        "People who need a DBS check 2 Current 0 Due soon 0 Expired 1 Missing 1",
        # H1 (May) and H2 (September) approved, H3 deregistered in December: net 1 against 20.
        "Net growth so far: 1 against a target of 20 for the year.",
    ):
        assert phrase in text, phrase
    # The chart: an accessible image with a title and description, and a table of the same numbers.
    assert 'role="img"' in html and '<title id="dashboard-growth-chart-title">' in html
    assert "Net growth in 2024/25: 1 by 31 March 2025, against a target to date of 20.0" in text
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    months = [t for t in _tables(html) if t and t[0][:2] == ["Month", "Approved"]][0]
    assert months[1] == ["April 2024", "0", "0", "0", "0", "1.7"]
    assert months[2] == ["May 2024", "1", "0", "1", "1", "3.3"]
    assert months[-1] == ["March 2025", "0", "0", "0", "1", "20.0"]


def test_dashboard_mid_year_shows_months_not_reached_and_the_projection(client, service, manager):
    html = client.get("/dashboard?as_of=2024-10-15").get_data(as_text=True)
    text = _text(html)
    # H1 and H2 approved by then; A1 predicted for 1 March 2025 (projected), A3 had not applied.
    assert "Net growth so far: 2 against a target of 20 for the year. Projected by 31 March: 3." in text
    assert "Not reached yet" in text
    assert 'class="app-chart__projection"' in html


def test_manager_home_panel_and_navigation(client, service, manager):
    html = client.get("/").get_data(as_text=True)
    assert "The service today" in html
    assert 'href="/dashboard"' in html and 'href="/reports"' in html


def test_social_workers_see_no_reports(client, service, social_worker):
    html = client.get("/").get_data(as_text=True)
    assert "The service today" not in html
    assert 'href="/dashboard"' not in html and 'href="/reports"' not in html


def test_a_paged_report_says_which_rows_it_shows(app, client, manager, monkeypatch):
    """'Showing x to y of n' counts the rows of the page shown, on every page (not 0 to 0)."""
    from carertrack.reports import routes

    with app.app_context(), acting_as("test setup"):
        home = rd.household("H1", "mainstream", "2024-05-01")
        for name in ("Ann Carer", "Bo Carer", "Cy Carer"):
            rd.member(home, name)  # no certificate: each is a DBS exception row
        db.session.commit()
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    first = client.get(f"/reports/dbs?as_of={AS_OF}").get_data(as_text=True)
    second = client.get(f"/reports/dbs?as_of={AS_OF}&page=2").get_data(as_text=True)
    assert "Showing 1 to 2 of 3." in first
    assert "Showing 3 to 3 of 3." in second
