"""A manager reads the dashboard in a real browser, changes the as-of date, opens a report and downloads
its CSV; every page checked with axe-core and under the real Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role
from tests import report_data as rd
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def service(app):
    with app.app_context(), acting_as("test setup"):
        first = rd.household("BR-1", "mainstream", "2024-05-01", approved_places=2)
        rd.household("BR-2", "connected", "2024-11-15")
        rd.household(
            "BR-3", "mainstream", "2018-01-01", deregistration_date="2024-12-01", deregistration_reason="retired"
        )
        rd.placement(first, "CH-1", "2024-06-01")
        rd.dbs_check(rd.member(first, "Pat Carer"), "2024-01-01")
        rd.case(
            "BR-A1",
            applicants=("Ann Smith",),
            application_date="2024-06-01",
            allocated_date="2024-06-10",
            predicted_panel_date="2025-03-01",
            delay_reason="Bereavement",
        )
        rd.case("BR-A2", application_date="2024-12-01", predicted_panel_date="2025-06-01")
        db.session.commit()


def test_manager_reads_the_dashboard_changes_the_date_and_downloads_a_csv(
    app, page, browser_sign_in, assert_accessible, service
):
    browser_sign_in(page, make_user(app, Role.MANAGER, name="Maria Jones"))
    expect(page.locator("#reports-home-heading")).to_have_text("The service today")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("svg.app-chart")).to_be_visible()
    assert_accessible(page)

    # As of 31 December 2024: BR-1 and BR-2 approved, BR-3 gone: net growth 1.
    page.get_by_label("As of").fill("31/12/2024")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(r"/dashboard\?as_of=31%2F12%2F2024"))
    expect(page.locator(".govuk-caption-l")).to_have_text("As of 31 December 2024")
    expect(page.locator("#growth-heading")).to_have_text("Net growth against the target, 2024/25")
    expect(page.get_by_text("Net growth so far: 1 against a target of 20 for the year.")).to_be_visible()
    expect(page.locator("svg.app-chart desc")).to_contain_text("Net growth in 2024/25: 1 by 31 December 2024")
    assert_accessible(page)

    # A date that does not exist is explained, not a traceback.
    page.get_by_label("As of").fill("30/2/2025")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_title(re.compile(r"^Error: Dashboard"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The as-of date must be a real date")
    assert_accessible(page)

    # From the dashboard to the applicants in assessment, and its CSV.
    page.get_by_label("As of").fill("31/12/2024")
    page.get_by_role("button", name="Show figures").click()
    page.get_by_role("link", name="Applicants in assessment").click()
    expect(page.locator("h1")).to_have_text("Applicants in assessment")
    expect(page.locator("table").first).to_contain_text("Ann Smith")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download as CSV")).click()
    download = download_info.value
    assert download.suggested_filename == "in-assessment-as-of-2024-12-31.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0][:3] == ["reference", "carer_type", "applicant"]
    # BR-A1's deadline (1 Feb 2025) is before its predicted panel: at risk; BR-A2 on track.
    assert [(r[0], r[7]) for r in rows[1:]] == [("BR-A1", "at_risk"), ("BR-A2", "on_track")]


def test_viewer_reads_the_reports_index_and_a_year_report(app, page, browser_sign_in, assert_accessible, service):
    browser_sign_in(page, make_user(app, Role.VIEWER))
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Reports")
    assert_accessible(page)
    page.get_by_role("link", name="Net household growth").click()
    page.get_by_label("As of").fill("2025-03-31")
    page.get_by_label("Reporting year").fill("2024")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#report-period")).to_contain_text("Reporting year 2024/25: 1 April 2024 to 31 March 2025.")
    expect(page.locator("svg.app-chart")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reporting year").fill("2025")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("reporting year starts")
    assert_accessible(page)


def test_every_report_page_is_accessible(app, page, browser_sign_in, assert_accessible, service):
    from carertrack.reports import REPORTS

    browser_sign_in(page, make_user(app, Role.ADMIN))
    for name, report in REPORTS.items():
        query = "as_of=2025-03-31" + ("&year=2024" if report.kind == "year" else "")
        page.goto(f"/reports/{name}?{query}")
        expect(page.locator("h1")).to_have_text(report.title)
        assert_accessible(page)
