"""Browser test fixtures: a live server for the test app, Debian's Chromium driven by Playwright, sign-in and axe.

Browser tests never skip: if Chromium or axe-core is missing the test fails with a message saying how to
install it. Playwright is started once per session (its sync API cannot run inside an asyncio loop, so it
must not be started and stopped around tests that use one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.factories import UserInfo

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Chromium reports every 4xx/5xx document as a console error. Error pages are meant to be 403/404/400,
# so such a message is ignored only when it is about a page's own document, never about a sub-resource.
FAILED_LOAD = "Failed to load resource: the server responded with a status of"


@dataclass
class LiveServer:
    """The running test server."""

    url: str
    server: Any = field(repr=False)
    thread: threading.Thread = field(repr=False)


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[LiveServer]:
    """Serve the session's test app (same database as the tests) on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", server=server, thread=thread)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium launched once for the whole run."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is required: apt-get install chromium ({CHROMIUM} not found)", pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context and page; the test fails if the page logs errors (CSP violations included)."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    error_documents: set[str] = set()

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            error_documents.add(response.url)

    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if message.text.startswith(FAILED_LOAD) and where in error_documents:
            return
        errors.append(f"console error: {message.text} (at {where or 'unknown'})")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    try:
        yield page
    finally:
        context.close()
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def browser_sign_in() -> Callable[[Any, UserInfo], None]:
    """browser_sign_in(page, user) signs in through the real form and waits for the home page."""

    def _sign_in(page: Any, user: UserInfo) -> None:
        page.goto("/sign-in")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", user.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if urlsplit(page.url).path != "/":
            problem = page.locator(".govuk-error-summary").all_inner_texts()
            pytest.fail(f"Signing in as {user.email} did not reach the home page ({page.url}): {problem}")

    return _sign_in


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page (injected by evaluation because the CSP forbids inline script)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is required: run `npm ci` ({AXE} not found)", pytrace=False)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(ruleSets) => axe.run(document, {runOnly: {type: 'tag', values: ruleSets}})",
        AXE_RULE_SETS,
    )
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One readable block per violation: id, impact, help and the offending selectors."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    """assert_accessible(page) fails the test listing every axe-core violation on the current page."""

    def _assert(page: Any) -> None:
        violations = axe_violations(page)
        if violations:
            pytest.fail(f"Accessibility violations on {page.url}:\n{describe_violations(violations)}", pytrace=False)

    return _assert
