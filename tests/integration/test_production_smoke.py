"""The production command, for real: gunicorn with 2 workers serving wsgi:app, and the one scheduler.

Against its own scratch database (tests/processes.py) built with `flask db upgrade` and loaded with the
demo service plus accounts made by `flask users create`, the server runs with
CARERTRACK_CONFIG=production exactly as docs/production.md says. Requests go over HTTP as the TLS
proxy sends them (X-Forwarded-Proto: https, which gunicorn trusts from loopback), so Secure cookies
and Flask-WTF's strict Referer check behave as in production. The tests sign in, load every main page,
and re-check the lock-out, idle expiry, CSRF and security headers under gunicorn, check /health, start
and stop the scheduler, and stop gunicorn with SIGTERM. Nothing skips: if gunicorn cannot start, the
tests fail.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.engine import make_url

from carertrack import gunicorn_conf
from carertrack.auth.routes import SIGN_IN_FAILED
from carertrack.reports import REPORTS
from tests.forms import page_forms
from tests.html import banners, error_messages, page_text
from tests.processes import FLASK, GUNICORN, ROOT, environment, flask, free_port, scratch_database, suite_uses_postgres

LOCKED = "You have tried to sign in too many times. Your account is locked."
PASSWORD = "tidal-harbour-" + secrets.token_hex(12)
MANAGER = "smoke.manager@example.org"
ADMIN = "smoke.admin@example.org"
LOCKED_OUT = "smoke.lockout@example.org"
DEMO_WORKER = "sam.okafor@example.org"
DEMO_PASSWORD = "carertrack-demo-2026"
START_SECONDS = 60
# gunicorn gives requests in flight graceful_timeout seconds, then kills its workers and exits: an idle
# server stops in a second or two, but a busy CI machine can take several to finish the workers' exit.
STOP_SECONDS = gunicorn_conf.graceful_timeout + 10
SCHEDULER_STOP_SECONDS = 60

MANAGER_PAGES = [
    "/",
    "/cases/pipeline",
    "/cases/enquiries",
    "/households",
    "/dbs-compliance",
    "/staying-put",
    "/panels",
    "/dashboard",
    "/reports",
    "/reminders",
    "/audit",
]
ADMIN_PAGES = ["/", "/admin/users", "/audit", "/admin/settings", "/admin/outbox", "/reminders"]
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=",
    "Cache-Control": "no-store",
}


@dataclass
class Page:
    """One HTTP response, readable by tests/html.py's helpers."""

    status: int
    headers: http.client.HTTPMessage
    text: str
    path: str

    def get_data(self, as_text: bool = True) -> str:
        return self.text

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """A person's browser behind the TLS proxy: keeps cookies, sends the Referer, follows no redirect."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)
    last_url: str | None = None

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Page:
        headers = {"User-Agent": "carertrack-smoke-test", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.last_url:
            headers["Referer"] = self.last_url
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(raw)
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if value == "" or "max-age=0" in raw.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if method == "GET":
            self.last_url = f"https://127.0.0.1:{self.port}{path}"
        return Page(response.status, response.headers, text, path)

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def submit(self, path: str, data: dict[str, str]) -> Page:
        """Fill the page's POST form that has these fields (CSRF token and all) and post it."""
        page = self.get(path)
        assert page.status == 200, f"GET {path} gave {page.status}"
        forms = [f for f in page_forms(page.text) if f["method"] == "post" and not f["action"].endswith("/sign-out")]
        matching = [f for f in forms if set(data) <= {name for name, _ in f["fields"]}]
        assert matching, f"no form on {path} has the fields {sorted(data)}"
        fields = [(name, data.get(name, value)) for name, value in matching[0]["fields"]]
        return self.request("POST", matching[0]["action"] or path, fields)

    def sign_in(self, email: str, password: str) -> Page:
        return self.submit("/sign-in", {"email": email, "password": password})


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path
    env: dict[str, str]
    database_url: str

    def browser(self) -> Browser:
        return Browser(self.port)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> tuple[subprocess.Popen, int]:
    """The documented production command on a free port; waits until /health answers (fails, never skips)."""
    assert GUNICORN.exists(), f"gunicorn is not installed at {GUNICORN} (it is pinned in requirements.txt)"
    port = free_port()
    command = [
        str(GUNICORN),
        "-c",
        "carertrack/gunicorn_conf.py",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "wsgi:app",
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode} while starting:\n{log.read_text(errors='replace')}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            conn.getresponse().read()
            conn.close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"gunicorn did not answer within {START_SECONDS} s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen, seconds: int = STOP_SECONDS, log: Path | None = None) -> int:
    """SIGTERM, and the exit code; kills it (and fails, with its log) if it takes longer than `seconds`."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        output = log.read_text(errors="replace") if log else ""
        pytest.fail(f"the process did not stop within {seconds} s of SIGTERM:\n{output}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("production-smoke")
    with scratch_database("smoke", folder) as database_url:
        env = environment(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(free_port()))
        flask(env, "db", "upgrade")
        flask(environment(database_url, "development"), "seed", "demo")
        for email, name, role in (
            (MANAGER, "Smoke Manager", "manager"),
            (ADMIN, "Smoke Admin", "admin"),
            (LOCKED_OUT, "Smoke Lockout", "social_worker"),
        ):
            created = flask(
                env, "users", "create", "--email", email, "--name", name, "--role", role, "--password", PASSWORD
            )
            assert f"<{email}>" in created.stdout
        log = folder / "gunicorn.log"
        process, port = start_gunicorn(env, log)
        running = Server(port, process, log, env, database_url)
        try:
            yield running
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def assert_security_headers(page: Page) -> None:
    for name, expected in SECURITY_HEADERS.items():
        assert expected in page.headers.get(name, ""), f"{page.path}: {name} is {page.headers.get(name)!r}"


def signed_in(server: Server, email: str, password: str = PASSWORD) -> Browser:
    browser = server.browser()
    response = browser.sign_in(email, password)
    assert response.status == 302, f"signing in as {email} gave {response.status}: {error_messages(response)}"
    return browser


def test_gunicorn_runs_two_workers_and_health_checks_the_database(server: Server) -> None:
    for _ in range(6):  # enough requests to reach both workers
        page = server.browser().get("/health")
        assert page.status == 200
        assert json.loads(page.text) == {"status": "ok", "database": "ok"}
        assert_security_headers(page)
        assert "Set-Cookie" not in page.headers, "the health check starts no session"
    booted = re.findall(r"Booting worker with pid: (\d+)", server.log_text())
    assert len(set(booted)) == 2, server.log_text()


def test_every_main_page_loads_for_the_people_who_use_it(server: Server) -> None:
    manager = signed_in(server, MANAGER)
    index = manager.get("/reports")
    linked = set(re.findall(r'href="/reports/([a-z0-9-]+)[?"]', index.text))
    assert linked == set(REPORTS), "the reports index links every report"
    pages = [(manager, path) for path in MANAGER_PAGES + [f"/reports/{name}" for name in sorted(REPORTS)]]
    admin = signed_in(server, ADMIN)
    pages += [(admin, path) for path in ADMIN_PAGES]
    worker = signed_in(server, DEMO_WORKER, DEMO_PASSWORD)
    pages += [(worker, path) for path in ("/", "/cases/mine", "/households", "/panels", "/reminders")]
    for browser, path in pages:
        page = browser.get(path)
        assert page.status == 200, f"{path} gave {page.status}"
        assert page.headers.get_content_type() == "text/html", path
        assert "<h1" in page.text, f"{path} has no heading"
        assert "Traceback" not in page.text, path
        assert_security_headers(page)
    assert "Smoke Manager" in page_text(manager.get("/"))
    assert "smoke.lockout@example.org" in page_text(admin.get("/admin/users")), "the accounts made on the command line"


def test_session_cookie_is_secure_http_only_and_same_site(server: Server) -> None:
    browser = signed_in(server, MANAGER)
    sessions = [raw for raw in browser.set_cookies if raw.startswith("session=") and "Max-Age=0" not in raw]
    assert sessions
    for raw in sessions:
        flags = {part.strip().lower() for part in raw.split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= flags, raw


def test_csrf_refuses_a_post_without_its_token(server: Server) -> None:
    browser = signed_in(server, MANAGER)
    refused = browser.request("POST", "/sign-out", [])
    assert refused.status == 400
    assert "This page has expired" in refused.text
    assert browser.get("/").status == 200, "still signed in: the sign-out was not carried out"
    wrong = browser.request("POST", "/sign-out", [("csrf_token", "not-the-token")])
    assert wrong.status == 400
    assert browser.get("/").status == 200
    anonymous = server.browser()
    assert anonymous.request("POST", "/sign-in", [("email", MANAGER), ("password", PASSWORD)]).status == 400
    assert anonymous.get("/").status == 302, "no session from a sign-in without its token"


def test_five_failed_sign_ins_lock_the_account_across_workers(server: Server) -> None:
    browser = server.browser()
    for attempt in range(1, 5):
        page = browser.sign_in(LOCKED_OUT, "wrong-password-" + str(attempt))
        assert page.status == 400
        assert error_messages(page) == [SIGN_IN_FAILED], f"attempt {attempt}"
    fifth = browser.sign_in(LOCKED_OUT, "wrong-password-5")
    assert fifth.status == 400
    assert error_messages(fifth)[0].startswith(LOCKED)
    right = browser.sign_in(LOCKED_OUT, PASSWORD)
    assert right.status == 400, "the right password is refused while locked"
    assert error_messages(right)[0].startswith(LOCKED)
    assert browser.get("/").status == 302
    assert signed_in(server, MANAGER).get("/").status == 200, "other accounts are not locked"


def _with_last_seen(browser: Browser, seconds_ago: int) -> None:
    """Move the session's last activity back in time, signing the cookie with the server's secret key."""
    signer = Flask("smoke")
    signer.secret_key = environment("")["SECRET_KEY"]
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    data: dict[str, Any] = serializer.loads(browser.cookies["session"])
    assert "_user_id" in data and "last_seen" in data
    data["last_seen"] = int(time.time()) - seconds_ago
    browser.cookies["session"] = serializer.dumps(data)


def test_idle_sessions_expire_at_the_setting(server: Server) -> None:
    admin = signed_in(server, ADMIN)
    saved = admin.submit("/admin/settings", {"session_idle_minutes": "5"})
    assert saved.status == 302, error_messages(saved)
    person = signed_in(server, MANAGER)
    assert person.get("/").status == 200, "the first signed-in request starts the idle clock"
    _with_last_seen(person, 4 * 60)
    assert person.get("/").status == 200, "4 idle minutes of 5: still signed in"
    _with_last_seen(person, 6 * 60)
    expired = person.get("/audit")
    assert expired.status == 302
    assert expired.location.startswith("/sign-in?next=/audit")
    sign_in_page = person.get(expired.location)
    assert "You were signed out because you had not done anything for 5 minutes." in banners(sign_in_page)
    assert person.get("/").status == 302


def test_the_scheduler_process_starts_and_stops_cleanly(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "scheduler.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(FLASK), "scheduler", "run"],
            cwd=ROOT,
            env=server.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        # APScheduler logs this once its loop runs, after the SIGTERM handler is in place.
        while "apscheduler.scheduler: Scheduler started" not in log.read_text(errors="replace"):
            assert process.poll() is None, f"the scheduler exited with {process.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the scheduler did not start:\n{log.read_text()}"
            time.sleep(0.2)
        time.sleep(1)
        assert process.poll() is None, f"the scheduler stopped by itself:\n{log.read_text()}"
        # A daily run caught up at start (after the reminder time) is let finish: allow it a minute.
        assert stop(process, SCHEDULER_STOP_SECONDS, log) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text(errors="replace")
    assert "Scheduler stopped." in output
    assert "Traceback" not in output, output


def test_health_is_unavailable_when_the_database_is_unreachable(tmp_path: Path) -> None:
    if suite_uses_postgres():
        url = make_url(os.environ["TEST_DATABASE_URL"])
        missing = url.set(database=f"{url.database}_absent_{secrets.token_hex(4)}").render_as_string(
            hide_password=False
        )
    else:
        missing = f"sqlite:///{tmp_path / 'no-such-folder' / 'carertrack.db'}"
    process, port = start_gunicorn(environment(missing), tmp_path / "gunicorn.log", workers=1)
    try:
        page = Browser(port).get("/health")
        assert page.status == 503
        assert json.loads(page.text) == {"status": "unavailable", "database": "unreachable"}
    finally:
        assert stop(process) == 0


def test_gunicorn_stops_cleanly_on_sigterm(server: Server) -> None:
    assert server.browser().get("/health").status == 200
    started = time.monotonic()
    assert stop(server.process, log=server.log) == 0, server.log_text()
    assert time.monotonic() - started < STOP_SECONDS
    log = server.log_text()
    assert "Handling signal: term" in log
    assert "Traceback" not in log, log
    assert not re.search(r'" 5\d\d ', log), "no request failed with a server error"
