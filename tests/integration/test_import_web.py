"""The web import: who may use it, upload checks and the size limit, preview, confirm, and the stored file."""

from __future__ import annotations

import io
import re
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.imports import storage
from carertrack.models.audit import AuditEvent
from carertrack.models.case import Case
from carertrack.models.import_run import ImportRun
from carertrack.models.user import Role
from tests.access import check_route_access
from tests.conftest import sign_in
from tests.factories import make_user
from tests.forms import page_forms, submit

CLEAN = b"reference,carer_type,applicant_1_name,enquiry_date\nFC-1,mainstream,Jane Smith,1/2/2018\nFC-2,connected,Ann Lee,2019-01-01\n"
BAD = b"reference,carer_type,applicant_1_name,enquiry_date,colour\nFC-1,foster,Jane Smith,1/2/2018,\n"


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_FOLDER", str(folder))
    return folder


def upload(client, content: bytes, name: str = "cases.csv", kind: str = "cases"):  # type: ignore[no-untyped-def]
    return submit(client, "/import", {"kind": kind, "file": (io.BytesIO(content), name)})


def token_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/import/([A-Za-z0-9_-]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def case_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Case))


@pytest.mark.parametrize("method,url", [("GET", "/import"), ("POST", "/import"), ("GET", "/import/runs/1")])
def test_only_managers_and_admins_may_import(app, method, url):
    check_route_access(app, method, url, {Role.MANAGER, Role.ADMIN})


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_preview_and_confirm_are_for_managers_and_admins(app, method):
    check_route_access(app, method, "/import/" + "a" * 43, {Role.MANAGER, Role.ADMIN})


def test_upload_preview_and_confirm_a_clean_file(app, client, manager, upload_folder):
    page = client.get("/import").get_data(as_text=True)
    assert "Import a spreadsheet" in page
    assert "applicant_1_name (required)" in page
    token = token_of(upload(client, CLEAN))
    preview = client.get(f"/import/{token}")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "<title>Check your import" in text
    assert "Importing it will create 2 cases." in text
    assert "Case FC-2: Ann Lee (connected)" in text
    assert case_count(app) == 0  # the preview is a dry run
    confirmed = submit(client, f"/import/{token}", {})
    assert confirmed.status_code == 302
    run_page = client.get(confirmed.headers["Location"])
    run_text = run_page.get_data(as_text=True)
    assert "cases.csv is imported: created 2 cases." in run_text
    assert manager.name in run_text
    assert case_count(app) == 2
    with app.app_context():
        run = db.session.scalar(select(ImportRun))
        assert (run.actor_id, run.actor_label, run.channel, run.file_name) == (
            manager.id,
            manager.name,
            "web",
            "cases.csv",
        )
        # The audit log: who, when, the file's name and the counts.
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "ImportRun"))
        assert (event.action, event.actor_id, event.actor_label) == ("create", manager.id, manager.name)
        assert event.summary == "Import of cases.csv (cases): 2 rows, 2 created"
        assert event.occurred_at is not None
        assert event.changes["created"] == [None, {"cases": 2, "households": 0}]
    assert list(upload_folder.iterdir()) == []  # the stored file goes once imported
    assert client.get(f"/import/{token}").status_code == 404


def test_a_file_with_errors_lists_every_problem_and_offers_no_import(app, client, manager):
    token = token_of(upload(client, BAD))
    response = client.get(f"/import/{token}")
    text = response.get_data(as_text=True)
    assert "There are problems with your spreadsheet" in text
    assert "2 problems" in text
    assert "There is no column called colour in a cases import." in text
    assert "The carer type must be mainstream or connected, not &#39;foster&#39;" in text
    assert not [f for f in page_forms(text) if f["action"].startswith("/import/")]
    assert case_count(app) == 0


def test_confirming_checks_the_file_again(app, client, manager, tmp_path):
    token = token_of(upload(client, CLEAN))
    preview = client.get(f"/import/{token}").get_data(as_text=True)
    (confirm,) = [f for f in page_forms(preview) if f["action"] == f"/import/{token}"]
    # Meanwhile someone imports FC-1 with different details.
    other = tmp_path / "other.csv"
    other.write_bytes(b"reference,carer_type,applicant_1_name\nFC-1,connected,Someone Else\n")
    from tests.importing import run

    with app.app_context():
        assert run("cases", other).written
    response = client.post(confirm["action"], data=dict(confirm["fields"]))
    assert response.status_code == 409
    assert "A case with reference FC-1 is already in CarerTrack with different details" in response.get_data(
        as_text=True
    )
    assert case_count(app) == 1


def test_a_file_already_imported_says_there_is_nothing_new(app, client, manager):
    token = token_of(upload(client, CLEAN))
    assert submit(client, f"/import/{token}", {}).status_code == 302
    again = token_of(upload(client, CLEAN))
    text = client.get(f"/import/{again}").get_data(as_text=True)
    assert "Every row of this file is already in CarerTrack exactly as given." in text
    assert case_count(app) == 2


@pytest.mark.parametrize(
    "data,expected",
    [
        ({"file": (io.BytesIO(CLEAN), "cases.csv")}, "Select what the spreadsheet holds"),
        ({"kind": "cases"}, "Select a spreadsheet to upload"),
        ({"kind": "cases", "file": (io.BytesIO(CLEAN), "cases.txt")}, "The selected file must be a CSV or XLSX"),
        ({"kind": "cases", "file": (io.BytesIO(b""), "cases.csv")}, "The selected file is empty"),
    ],
)
def test_upload_checks(client, manager, data, expected):
    response = submit(client, "/import", data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "<title>Error: Import a spreadsheet" in text
    assert expected in text


def test_a_file_over_the_limit_is_refused_with_the_gov_uk_message(app, client, manager, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    in_form = submit(client, "/import", {"kind": "cases", "file": (io.BytesIO(CLEAN * 2), "cases.csv")})
    assert in_form.status_code == 400
    assert "The selected file must be smaller than 100 bytes" in in_form.get_data(as_text=True)
    huge = submit(client, "/import", {"kind": "cases", "file": (io.BytesIO(b"x" * 200_000), "cases.csv")})
    assert huge.status_code == 413
    text = huge.get_data(as_text=True)
    assert "<title>Error: Import a spreadsheet" in text
    assert "The selected file must be smaller than 100 bytes" in text


def test_the_limit_reads_in_megabytes(app, client, manager):
    from carertrack.imports.forms import size_text

    assert "Smaller than 10 MB." in client.get("/import").get_data(as_text=True)
    assert (size_text(1536 * 1024), size_text(500 * 1024), size_text(100)) == ("1.5 MB", "500 KB", "100 bytes")


def test_an_upload_belongs_to_the_person_who_made_it(app, client, manager):
    token = token_of(upload(client, CLEAN))
    other = app.test_client()
    sign_in(other, make_user(app, Role.MANAGER))
    assert other.get(f"/import/{token}").status_code == 404
    assert client.get("/import/not-a-token").status_code == 404
    assert client.get("/import/" + "../" * 12 + "etc").status_code == 404


def test_uploads_nobody_confirmed_are_removed_after_a_day(app, client, manager, upload_folder):
    token_of(upload(client, CLEAN))
    assert len(list(upload_folder.iterdir())) == 2
    with app.app_context():
        storage.remove_stale(datetime.now(UTC) + timedelta(hours=23))
        assert len(list(upload_folder.iterdir())) == 2
        storage.remove_stale(datetime.now(UTC) + timedelta(days=1, minutes=1))
        assert list(upload_folder.iterdir()) == []


def test_recent_imports_are_listed_with_who_ran_them(app, client, manager):
    token = token_of(upload(client, CLEAN))
    submit(client, f"/import/{token}", {})
    text = client.get("/import").get_data(as_text=True)
    assert "Recent imports" in text
    assert manager.name in text


def test_the_navigation_and_home_page_offer_import_to_managers_only(app, client, signed_in_as):
    signed_in_as(Role.SOCIAL_WORKER)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/import"' not in home
    other = app.test_client()
    sign_in(other, make_user(app, Role.MANAGER))
    manager_home = other.get("/").get_data(as_text=True)
    assert 'class="govuk-service-navigation__link" href="/import"' in manager_home
    assert 'href="/import">Import a spreadsheet</a>' in manager_home


def test_the_upload_form_declares_its_choices_without_deprecated_tuples(client, manager):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        page = client.get("/import")
        invalid = upload(client, CLEAN, kind="nonsense")
    assert page.status_code == 200
    assert 'value="staying-put"' in page.get_data(as_text=True)
    assert invalid.status_code == 400
