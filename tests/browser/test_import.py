"""The web import in a real browser: upload a file with errors, then a clean one, preview, confirm; axe clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.user import Role
from tests.factories import make_user
from tests.importing import write_csv

pytestmark = pytest.mark.browser

HEADER = ["reference", "carer_type", "applicant_1_name", "enquiry_date", "application_date"]


def test_upload_preview_and_confirm(app, page, browser_sign_in, assert_accessible, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_FOLDER", str(tmp_path / "uploads"))
    bad = write_csv(tmp_path, "bad-cases.csv", [HEADER, ["FC-1", "foster", "Jane Smith", "1/2/2018", "2018-01-01"]])
    good = write_csv(
        tmp_path,
        "cases.csv",
        [
            HEADER,
            ["FC-1", "mainstream", "Jane Smith", "1/2/2018", "2018-03-01"],
            ["FC-2", "connected", "Ann Lee", "2019-01-01", None],
        ],
    )
    manager = make_user(app, Role.MANAGER, name="Maria Jones")
    browser_sign_in(page, manager)

    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.locator("h1")).to_have_text("Import a spreadsheet")
    assert_accessible(page)

    # Nothing chosen: the error summary and messages, still accessible.
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_title(re.compile(r"^Error: Import a spreadsheet"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the spreadsheet holds")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a spreadsheet to upload")
    assert_accessible(page)

    page.get_by_label("Cases: prospective carers, at whatever stage they reached").check()
    page.get_by_label("Upload a spreadsheet").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_have_text("There are problems with your spreadsheet")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("2 problems")
    expect(problems).to_contain_text("The carer type must be mainstream or connected, not 'foster'")
    expect(problems).to_contain_text(
        "The date the application was received must be the same as or after the enquiry date (1 February 2018)"
    )
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Upload a different file").first.click()
    page.get_by_label("Cases: prospective carers, at whatever stage they reached").check()
    page.get_by_label("Upload a spreadsheet").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_have_text("Check your import")
    expect(page.locator("main")).to_contain_text("Importing it will create 2 cases.")
    expect(page.locator("#rows")).to_contain_text("Case FC-2: Ann Lee (connected)")
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("cases.csv is imported: created 2 cases.")
    expect(page.locator("h1")).to_have_text("cases.csv")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Maria Jones (web)")
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 2

    page.get_by_role("link", name="See this import in the audit log").click()
    expect(page.locator("main")).to_contain_text("Import of cases.csv (cases): 2 rows, 2 created")
