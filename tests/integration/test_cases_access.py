"""Who may use every case route: by role (anonymous, each role) and by record (404 missing, 403 not theirs)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.cases import services
from carertrack.cases.access import can_view_case
from carertrack.cases.queries import visible_condition
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case
from carertrack.models.case_records import MemberRelation
from carertrack.models.user import Role, User
from tests.access import check_route_access
from tests.case_factories import make_case
from tests.conftest import sign_in
from tests.factories import make_user

TODAY = date.today()
MANAGER_ONLY = {Role.MANAGER}
READERS = {Role.MANAGER, Role.PANEL_ADMIN}

# A POST without its CSRF token is refused (400) before the record check runs, so POST rows list the
# roles the route admits; the record check on POSTs is tested below with real forms.
EDITORS = {Role.SOCIAL_WORKER, Role.MANAGER}

# (method, url template, roles that get past the role and record checks for a case nobody owns)
ROUTES = [
    ("GET", "/cases/enquiries", {Role.SOCIAL_WORKER, Role.MANAGER}),
    ("GET", "/cases/mine", {Role.SOCIAL_WORKER}),
    ("GET", "/cases/pipeline", {Role.MANAGER, Role.PANEL_ADMIN, Role.VIEWER}),
    ("GET", "/cases/new", {Role.SOCIAL_WORKER, Role.MANAGER}),
    ("POST", "/cases/new", {Role.SOCIAL_WORKER, Role.MANAGER}),
    ("GET", "/cases/{case}", READERS),
    ("GET", "/cases/{case}/details", MANAGER_ONLY),
    ("GET", "/cases/{case}/applicants/1", MANAGER_ONLY),
    ("GET", "/cases/{case}/members/new", MANAGER_ONLY),
    ("GET", "/cases/{case}/members/{member}", MANAGER_ONLY),
    ("POST", "/cases/{case}/members/{member}/remove", EDITORS),
    ("GET", "/cases/{case}/first-contact", MANAGER_ONLY),
    ("GET", "/cases/{case}/initial-visit", MANAGER_ONLY),
    ("GET", "/cases/{case}/application", MANAGER_ONLY),
    ("GET", "/cases/{case}/checks/{check}", MANAGER_ONLY),
    ("GET", "/cases/{case}/checks/new", MANAGER_ONLY),
    ("GET", "/cases/{case}/stage1-decision", MANAGER_ONLY),
    ("GET", "/cases/{case}/sessions/new", MANAGER_ONLY),
    ("GET", "/cases/{case}/stage2", MANAGER_ONLY),
    ("GET", "/cases/{case}/brief-report", MANAGER_ONLY),
    ("GET", "/cases/{case}/predicted-panel-date", MANAGER_ONLY),
    ("GET", "/cases/{case}/delays/new", MANAGER_ONLY),
    ("GET", "/cases/{case}/delays/{delay}/end", MANAGER_ONLY),
    ("GET", "/cases/{case}/notes/new", MANAGER_ONLY),
    ("POST", "/cases/{case}/notes/new", EDITORS),
    ("GET", "/cases/{case}/close", MANAGER_ONLY),
    ("GET", "/cases/{case}/placement", MANAGER_ONLY),
    ("GET", "/cases/{case}/extension", MANAGER_ONLY),
    ("GET", "/cases/{case}/irm", MANAGER_ONLY),
    ("GET", "/cases/{case}/allocate", MANAGER_ONLY),
    ("POST", "/cases/{case}/allocate", MANAGER_ONLY),
]


def make_full_case(app, **fields):
    """A connected case with a checklist, a member and a delay; returns the ids the URLs need."""
    case_id = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        application_date=TODAY - timedelta(days=30),
        placement_date=TODAY - timedelta(days=20),
        checklist=True,
        **fields,
    )
    with app.app_context(), acting_as("test setup"):
        case = db.session.get(Case, case_id)
        member = services.save_member(
            case, services.MemberValues("Member", date(1980, 1, 1), MemberRelation.OTHER_RELATIVE)
        )
        delay = services.add_delay(case, "Holiday", TODAY - timedelta(days=5), None)
        db.session.commit()
        return {"case": case_id, "member": member.id, "check": case.checks[0].id, "delay": delay.id}


@pytest.mark.parametrize(("method", "template", "allowed"), ROUTES)
def test_route_access_by_role(app, method, template, allowed):
    ids = make_full_case(app)
    check_route_access(app, method, template.format(**ids), allowed)


def test_every_case_route_is_in_the_access_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("cases.")}
    tested = set()
    for _method, template, _allowed in ROUTES:
        path = template.format(case=1, member=1, check=1, delay=1)
        adapter = app.url_map.bind("localhost")
        tested.add(adapter.match(path, method=_method)[0])
    assert endpoints == tested


def _client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_a_social_worker_cannot_open_a_case_allocated_to_someone_else(app):
    mine = make_user(app, Role.SOCIAL_WORKER)
    theirs = make_user(app, Role.SOCIAL_WORKER)
    ids = make_full_case(app, allocated_worker_id=theirs.id, allocated_date=TODAY)
    client = _client_for(app, mine)
    assert client.get(f"/cases/{ids['case']}").status_code == 403
    assert client.get(f"/cases/{ids['case']}/stage2").status_code == 403
    assert client.get(f"/cases/{ids['case']}/checks/{ids['check']}").status_code == 403
    owner = _client_for(app, theirs)
    assert owner.get(f"/cases/{ids['case']}").status_code == 200
    assert owner.get(f"/cases/{ids['case']}/stage2").status_code == 200
    assert owner.get(f"/cases/{ids['case']}/allocate").status_code == 403


def test_a_social_worker_cannot_post_to_someone_elses_case(app):
    theirs = make_user(app, Role.SOCIAL_WORKER)
    ids = make_full_case(app, allocated_worker_id=theirs.id, allocated_date=TODAY)
    other = make_full_case(app, allocated_worker_id=(me := make_user(app, Role.SOCIAL_WORKER)).id, allocated_date=TODAY)
    client = _client_for(app, me)
    # A real token, taken from the person's own case page.
    html = client.get(f"/cases/{other['case']}").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(f"/cases/{ids['case']}/notes/new", data={"csrf_token": token, "text": "Not mine"})
    assert response.status_code == 403
    response = client.post(f"/cases/{ids['case']}/members/{ids['member']}/remove", data={"csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert not db.session.get(Case, ids["case"]).notes


def test_before_allocation_the_intake_worker_reaches_the_enquiry_and_after_it_only_the_allocated_worker(app):
    intake = make_user(app, Role.SOCIAL_WORKER)
    assessor = make_user(app, Role.SOCIAL_WORKER)
    case_id = make_case(app, intake_worker_id=intake.id)
    client = _client_for(app, intake)
    assert client.get(f"/cases/{case_id}").status_code == 200
    assert client.get(f"/cases/{case_id}/first-contact").status_code == 200
    with app.app_context(), acting_as("test setup"):
        case = db.session.get(Case, case_id)
        case.application_date = TODAY
        case.allocated_worker_id = assessor.id
        db.session.commit()
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert _client_for(app, assessor).get(f"/cases/{case_id}").status_code == 200


def test_missing_records_are_404(app):
    client = _client_for(app, make_user(app, Role.MANAGER))
    assert client.get("/cases/999999").status_code == 404
    ids = make_full_case(app)
    assert client.get(f"/cases/{ids['case']}/checks/999999").status_code == 404
    assert client.get(f"/cases/{ids['case']}/members/999999").status_code == 404
    other = make_full_case(app)
    # A check that belongs to another case is not found through this one.
    assert client.get(f"/cases/{ids['case']}/checks/{other['check']}").status_code == 404


def test_panel_admin_reads_but_sees_no_change_links(app):
    ids = make_full_case(app)
    page = _client_for(app, make_user(app, Role.PANEL_ADMIN)).get(f"/cases/{ids['case']}").get_data(as_text=True)
    assert "Record a delay" not in page
    assert "Close the case" not in page
    assert 'action="/cases/' not in page


def test_viewer_sees_the_pipeline_without_links_to_case_files(app):
    ids = make_full_case(app)
    page = _client_for(app, make_user(app, Role.VIEWER)).get("/cases/pipeline").get_data(as_text=True)
    assert "Alex Applicant" in page
    assert f'href="/cases/{ids["case"]}"' not in page
    manager_page = _client_for(app, make_user(app, Role.MANAGER)).get("/cases/pipeline").get_data(as_text=True)
    assert f'href="/cases/{ids["case"]}"' in manager_page


def test_sql_visibility_matches_the_record_rule(app):
    one = make_user(app, Role.SOCIAL_WORKER)
    two = make_user(app, Role.SOCIAL_WORKER)
    ids = [
        make_case(app),
        make_case(app, intake_worker_id=one.id),
        make_case(app, initial_visit_worker_id=one.id),
        make_case(app, intake_worker_id=one.id, application_date=TODAY, allocated_worker_id=two.id),
        make_case(app, application_date=TODAY, allocated_worker_id=one.id),
    ]
    people = [one, two, make_user(app, Role.MANAGER), make_user(app, Role.PANEL_ADMIN), make_user(app, Role.VIEWER)]
    people.append(make_user(app, Role.ADMIN))
    with app.app_context():
        for info in people:
            user = db.session.get(User, info.id)
            in_sql = set(db.session.scalars(db.select(Case.id).where(visible_condition(user))))
            in_python = {i for i in ids if can_view_case(user, db.session.get(Case, i))}
            assert in_sql == in_python, info.role
