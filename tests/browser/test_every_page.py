"""Every page, every role, in a real browser over the demo service: 200 and axe-clean where the role may
go, the 403 page where it may not, no console errors anywhere.

The sweep walks ``app.url_map``: every GET rule is visited for every role, or is listed in ``EXCLUDED``
with the reason. URL parameters are filled with real records from the demo data: the test client
tries the demo's records in turn (the role's own records first) until one gives the page, so a page
that exists only in some states (an open delay, a temporary approval, a determination) still gets an
example. A new page is swept automatically; a new kind of URL parameter fails here until its
candidates are loaded in ``_load_demo``, and a page that reads a record from its query string needs
an entry in ``QUERY_PARAMETERS``. Axe checks the 403 page once per role (it is one template).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from carertrack.access import rule_for
from carertrack.audit.recorder import acting_as
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.imports import storage
from carertrack.imports.engine import run_import
from carertrack.models.audit import AuditEvent
from carertrack.models.case import Case
from carertrack.models.case_records import CaseMember, Delay, Stage1Check
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember, Placement
from carertrack.models.import_run import ImportRun
from carertrack.models.panel import PanelMeeting, PanelMember
from carertrack.models.panel_agenda import AgendaItem, QualifyingDetermination
from carertrack.models.reminder import OutboxMessage
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role, User
from carertrack.reminders import jobs
from carertrack.reports.registry import REPORTS
from carertrack.seed.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from tests.browser.conftest import FAILED_LOAD, axe_violations, describe_violations
from tests.factories import UserInfo

pytestmark = pytest.mark.browser

# GET rules no role visits in this sweep, each with the reason.
EXCLUDED: dict[str, str] = {
    "static": "built CSS, JavaScript, fonts and images, not pages",
    "main.health": "the JSON health check for load balancers, not a page",
    "reports.download_csv": "a CSV download, not HTML",
    "reports.download_json": "a JSON download, not HTML",
}
# Pages that need a record named in the query string: one of these parameters, filled like a URL's.
QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {"panels.choose_meeting": ("case_id", "household_id")}
# Signed in, the sign-in page sends people home; it is checked before signing in instead.
BEFORE_SIGN_IN = "auth.sign_in"

IMPORT_CSV = (
    "reference,carer_type,applicant_1_name,enquiry_date,application_date\nFC-SWEEP-1,mainstream,Jo Bloggs,2019-01-07,\n"
)


@dataclass
class Demo:
    """The demo service's records that URL parameters are filled from, per role."""

    users: dict[Role, UserInfo]
    rows: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    own: dict[Role, dict[tuple[str, ...], list[dict[str, Any]]]] = field(default_factory=dict)
    import_tokens: dict[Role, str] = field(default_factory=dict)


def _demo_user(role: Role) -> UserInfo:
    email, name, _ = next(u for u in DEMO_USERS if u[2] == role)
    user = db.session.scalar(select(User).where(User.email == email))
    return UserInfo(user.id, email, name, role, DEMO_PASSWORD)


def _ids(statement: Any, *names: str) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(statement).all()]


def _keep_a_determination_open() -> None:
    """The determination form exists only while one is open; whether the demo has one depends on the date."""
    if db.session.scalar(select(QualifyingDetermination.id).where(QualifyingDetermination.final_decision.is_(None))):
        return
    newest = db.session.scalars(
        select(QualifyingDetermination).order_by(QualifyingDetermination.letter_date.desc())
    ).first()
    if newest is not None:
        with acting_as("demo data (test)"):
            newest.final_decision = None
            newest.final_decision_date = None
            db.session.commit()


def _load_demo(app: Any, tmp_path: Any, monkeypatch: Any) -> Demo:
    """Build the demo service, queue its reminder emails, record one import and store an upload per importer."""
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_FOLDER", str(tmp_path / "uploads"))
    with app.app_context():
        with acting_as("demo data (test)"):
            build_demo(today())
            db.session.commit()
        jobs.run_daily(today(), send=False)  # the outbox pages need emails in them
        _keep_a_determination_open()
        demo = Demo(users={role: _demo_user(role) for role in Role})
        csv_file = tmp_path / "sweep-cases.csv"
        csv_file.write_text(IMPORT_CSV, encoding="utf-8")
        with acting_as("import (test)"):
            assert run_import("cases", csv_file, csv_file.name, dry_run=False, channel="cli").written
        for role in (Role.MANAGER, Role.ADMIN):
            upload = FileStorage(io.BytesIO(IMPORT_CSV.encode()), filename="sweep-cases.csv")
            demo.import_tokens[role] = storage.save(upload, "cases", demo.users[role].id).token
        case_ids = [c.id for c in db.session.scalars(select(Case).order_by(Case.id))]
        demo.rows = {
            ("case_id",): [{"case_id": i} for i in case_ids],
            ("case_id", "position"): [{"case_id": i, "position": p} for i in case_ids for p in (1, 2)],
            ("case_id", "check_id"): _ids(select(Stage1Check.case_id, Stage1Check.id), "case_id", "check_id"),
            ("case_id", "delay_id"): _ids(select(Delay.case_id, Delay.id), "case_id", "delay_id"),
            ("case_id", "member_id"): _ids(select(CaseMember.case_id, CaseMember.id), "case_id", "member_id"),
            ("household_id",): _ids(select(Household.id), "household_id"),
            ("household_id", "member_id"): _ids(
                select(HouseholdMember.household_id, HouseholdMember.id), "household_id", "member_id"
            ),
            ("check_id", "household_id"): _ids(
                select(DbsCheck.id, HouseholdMember.household_id).join(
                    HouseholdMember, HouseholdMember.id == DbsCheck.member_id
                ),
                "check_id",
                "household_id",
            ),
            ("household_id", "placement_id"): _ids(
                select(Placement.household_id, Placement.id), "household_id", "placement_id"
            ),
            ("household_id", "review_id"): _ids(
                select(AnnualReview.household_id, AnnualReview.id), "household_id", "review_id"
            ),
            ("arrangement_id", "household_id"): _ids(
                select(StayingPut.id, StayingPut.household_id), "arrangement_id", "household_id"
            ),
            ("item_id",): _ids(select(AgendaItem.id), "item_id"),
            ("meeting_id",): _ids(select(PanelMeeting.id), "meeting_id"),
            ("member_id",): _ids(select(PanelMember.id), "member_id"),
            ("determination_id",): _ids(select(QualifyingDetermination.id), "determination_id"),
            ("user_id",): _ids(select(User.id), "user_id"),
            ("message_id",): _ids(select(OutboxMessage.id), "message_id"),
            ("run_id",): _ids(select(ImportRun.id), "run_id"),
            ("entity_id", "entity_type"): _ids(
                select(AuditEvent.entity_id, AuditEvent.entity_type).distinct().limit(20), "entity_id", "entity_type"
            ),
            ("name",): [{"name": name} for name in REPORTS],
        }
        worker = demo.users[Role.SOCIAL_WORKER].id
        own_cases = set(
            db.session.scalars(
                select(Case.id).where(
                    (Case.allocated_worker_id == worker)
                    | (Case.intake_worker_id == worker)
                    | (Case.initial_visit_worker_id == worker)
                )
            )
        )
        own_households = set(db.session.scalars(select(Household.id).where(Household.supervising_worker_id == worker)))
        own_items = set(db.session.scalars(select(AgendaItem.id).where(AgendaItem.presenter_id == worker)))
        # A social worker reaches only their own records: try those first, so the sweep stays quick.
        demo.own[Role.SOCIAL_WORKER] = {
            names: sorted(
                rows,
                key=lambda r: (
                    not (
                        r.get("case_id") in own_cases
                        or r.get("household_id") in own_households
                        or r.get("item_id") in own_items
                    )
                ),
            )
            for names, rows in demo.rows.items()
        }
        db.session.remove()
    return demo


def candidates(demo: Demo, role: Role, rule: Rule) -> Iterator[dict[str, Any]]:
    """Values for the rule's URL parameters, from the demo data (the role's own records first)."""
    names = tuple(sorted(rule.arguments))
    rows = demo.own.get(role, demo.rows)
    if rule.endpoint in QUERY_PARAMETERS:
        for name in QUERY_PARAMETERS[rule.endpoint]:
            yield from ({"?": row} for row in rows[(name,)])
        return
    if not names:
        yield {}
        return
    if names == ("token",):
        if role in demo.import_tokens:
            yield {"token": demo.import_tokens[role]}
        return
    found = rows.get(names)
    if found is None:
        pytest.fail(f"{rule.rule} ({rule.endpoint}): load candidates for its parameters {names} in _load_demo")
    yield from found


def any_values(rule: Rule) -> dict[str, Any]:
    """Placeholder values: access is refused before any record is read."""
    return {name: 1 if isinstance(rule._converters[name], NumberConverter) else "x" for name in rule.arguments}


def get_rules(app: Any) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def example_url(app: Any, client: Any, demo: Demo, role: Role, rule: Rule) -> tuple[str | None, str]:
    """The first URL for this rule that gives the role the page, or None and why (a 500 fails at once)."""
    tried: list[str] = []
    for values in candidates(demo, role, rule):
        query = values.pop("?", None)
        with app.test_request_context():
            url = rule.build(values, append_unknown=False)[1]
        if query:
            url += "?" + urlencode(query)
        response = client.get(url)
        assert response.status_code < 500, f"{role.value}: GET {url} failed with {response.status_code}"
        if response.status_code == 200 and response.mimetype == "text/html":
            return url, ""
        tried.append(f"{url} {response.status_code}")
    return None, f"may use {rule.endpoint} but no demo record gives the page; tried: {', '.join(tried[:10])}"


def sign_in_client(app: Any, user: UserInfo) -> Any:
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, user)
    return client


def test_every_rule_is_swept_or_excluded(app):
    """Exclusions name real GET rules, and every other GET rule declares who may use it."""
    endpoints = {r.endpoint for r in get_rules(app)}
    assert set(EXCLUDED) <= endpoints, f"stale exclusions: {set(EXCLUDED) - endpoints}"
    assert BEFORE_SIGN_IN in endpoints
    with app.app_context():
        undeclared = [e for e in endpoints - set(EXCLUDED) if rule_for(e) is None]
    assert not undeclared, f"GET rules with no access rule: {undeclared}"


class Sweep:
    """One role's browser context and page, reused for every URL; collects every problem found."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.errors: list[str] = []
        self.error_documents: set[str] = set()
        self.forbidden_checked = False
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _on_response(self, response: Any) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self.error_documents.add(response.url)

    def _on_console(self, message: Any) -> None:
        # Chromium logs every 4xx document as an error: expected for the 403 page, never for a sub-resource.
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not (message.text.startswith(FAILED_LOAD) and where in self.error_documents):
            self.errors.append(f"console error: {message.text} (at {where or 'unknown'})")

    def check(self, url: str, expected: int) -> None:
        """Visit the URL: the expected status, no console errors, and axe-clean."""
        self.errors.clear()
        response = self.page.goto(url)
        status = response.status if response is not None else None
        if status != expected:
            self.problems.append(f"GET {url}: {status}, expected {expected}")
            return
        run_axe = True
        if expected == 403:
            if self.page.locator("h1").inner_text() != "You do not have permission to see this page":
                self.problems.append(f"GET {url}: 403 without the permission page")
            # The same template every time: axe checks it once per role.
            run_axe, self.forbidden_checked = not self.forbidden_checked, True
        if run_axe:
            violations = axe_violations(self.page)
            if violations:
                self.problems.append(f"GET {url}: accessibility violations\n{describe_violations(violations)}")
        self.problems.extend(f"GET {url}: {e}" for e in self.errors)

    def sign_in(self, user: UserInfo) -> None:
        self.page.fill("input[name=email]", user.email)
        self.page.fill("input[name=password]", user.password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        if urlsplit(self.page.url).path != "/":
            pytest.fail(f"Signing in as {user.email} did not reach the home page ({self.page.url})", pytrace=False)


def test_every_page_for_every_role(app, browser, live_server, tmp_path, monkeypatch):
    demo = _load_demo(app, tmp_path, monkeypatch)
    with app.app_context():
        rules = [(r, rule_for(r.endpoint)) for r in get_rules(app) if r.endpoint not in EXCLUDED]
    report: list[str] = []
    for role in Role:
        user = demo.users[role]
        client = sign_in_client(app, user)
        sweep = Sweep(browser, live_server.url)
        visited: set[str] = set()
        try:
            sweep.check("/sign-in", 200)
            visited.add(BEFORE_SIGN_IN)
            sweep.sign_in(user)
            for rule, access in rules:
                if rule.endpoint == BEFORE_SIGN_IN:
                    continue
                if access is None:
                    sweep.problems.append(f"{rule.endpoint} declares no access rule")
                    continue
                if access.public or role in access.roles:
                    url, problem = example_url(app, client, demo, role, rule)
                    if url is None:
                        sweep.problems.append(problem)
                    else:
                        sweep.check(url, 200)
                else:
                    with app.test_request_context():
                        sweep.check(rule.build(any_values(rule), append_unknown=False)[1], 403)
                visited.add(rule.endpoint)
        finally:
            sweep.context.close()
        missed = {r.endpoint for r in get_rules(app)} - visited - set(EXCLUDED)
        if missed:
            sweep.problems.append(f"GET rules neither visited nor excluded: {sorted(missed)}")
        report += [f"[{role.value}] {problem}" for problem in sweep.problems]
    assert not report, f"{len(report)} problems:\n" + "\n".join(report)
