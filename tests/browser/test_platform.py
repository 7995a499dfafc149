"""The platform in a real browser: sign-in, lock-out, navigation by role, user administration, passwords,
settings, the audit log and the error pages, each checked with axe-core and under the real CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from carertrack.access import rule_for
from carertrack.extensions import db
from carertrack.models.user import ROLE_LABELS, Role, User
from carertrack.navigation import ENTRIES
from tests.factories import make_user

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-meadow-tractor-plum-92"


def nav_texts(page) -> list[str]:
    """The service navigation's links, in order ("Your account" comes last; "Sign out" is a button)."""
    return [text.strip() for text in page.locator(".govuk-service-navigation__list a").all_inner_texts()]


def expected_nav(app, role: Role) -> list[str]:
    """What the navigation should hold for a role: every entry whose route that role may use."""
    user = make_user(app, role)
    with app.app_context():
        person = db.session.get(User, user.id)
        return [e.text for e in ENTRIES if (rule := rule_for(e.endpoint)) is not None and rule.allows(person)]


def test_sign_in_page_and_successful_sign_in(app, page, browser_sign_in, assert_accessible):
    user = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.locator("h1")).to_have_text("Sign in to CarerTrack")
    expect(page).to_have_title(re.compile(r"^Sign in – CarerTrack"))
    assert_accessible(page)

    browser_sign_in(page, user)
    expect(page.locator("h1")).to_have_text("Hello, Sam")
    expect(page.locator(".govuk-footer")).to_contain_text("Signed in as Sam Okafor (Social worker)")
    assert_accessible(page)


def test_sign_in_goes_back_to_the_page_asked_for(app, page):
    user = make_user(app, Role.ADMIN)
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator("h1")).to_have_text("Users")


def test_failed_sign_in_says_so_without_saying_why(app, page, assert_accessible):
    user = make_user(app, Role.MANAGER)
    for email in (user.email, "nobody-with-this-address@example.org"):
        page.goto("/sign-in")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", "not the password at all")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_title(re.compile(r"^Error: Sign in"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter a correct email address and password")
        expect(page.locator("input[name=password]")).to_have_value("")
        expect(page.locator("input[name=email]")).to_have_value(email)
    assert_accessible(page)


def test_empty_sign_in_form_shows_each_error(page, assert_accessible):
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.locator("input[name=email]")).to_be_focused()
    assert_accessible(page)


def test_sign_out(app, page, browser_sign_in, assert_accessible):
    user = make_user(app, Role.MANAGER)
    browser_sign_in(page, user)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_lock_out_after_five_failures(app, page, assert_accessible):
    user = make_user(app, Role.SOCIAL_WORKER)
    for attempt in range(1, 6):
        page.goto("/sign-in")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", f"wrong password {attempt}")
        page.get_by_role("button", name="Sign in").click()
        summary = page.locator(".govuk-error-summary")
        if attempt < 5:
            expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_contain_text("You have tried to sign in too many times. Your account is locked.")
    expect(summary).to_contain_text("Try again after")
    assert_accessible(page)

    # While locked, even the right password is refused with the same message.
    page.goto("/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your account is locked")
    expect(page).to_have_url(re.compile(r"/sign-in$"))


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_navigation_by_role(app, page, browser_sign_in, assert_accessible, role):
    expected = expected_nav(app, role)
    user = make_user(app, role)
    browser_sign_in(page, user)
    assert nav_texts(page) == [*expected, "Your account"]
    # The platform's own entries, stated outright so the test does not just mirror the code.
    assert expected[0] == "Home"
    assert ("Users" in expected) == (role is Role.ADMIN)
    assert ("Settings" in expected) == (role is Role.ADMIN)
    assert ("Audit log" in expected) == (role in (Role.MANAGER, Role.ADMIN))
    expect(page.locator(".govuk-service-navigation__item--active")).to_have_text("Home")
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_have_text(ROLE_LABELS[role])
    assert_accessible(page)


def test_wrong_role_gets_the_403_page(app, page, browser_sign_in, assert_accessible):
    user = make_user(app, Role.VIEWER)
    browser_sign_in(page, user)
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have permission to see this page")
    expect(page).to_have_title(re.compile(r"^You do not have permission"))
    assert_accessible(page)


def test_missing_page_gets_the_404_page(app, page, browser_sign_in, assert_accessible):
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)

    browser_sign_in(page, make_user(app, Role.ADMIN))
    response = page.goto("/admin/users/999999")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)


def test_expired_form_gets_the_csrf_page(app, page, assert_accessible):
    user = make_user(app, Role.SOCIAL_WORKER)
    page.goto("/sign-in")
    page.context.clear_cookies()  # the session holding the CSRF token is gone, as after a long wait
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    with page.expect_response(lambda r: r.url.endswith("/sign-in") and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Sign in").click()
    assert posted.value.status == 400
    expect(page.locator("h1")).to_have_text("This page has expired")
    assert_accessible(page)


def test_user_administration_journey(app, page, browser_sign_in, assert_accessible):
    admin = make_user(app, Role.ADMIN, name="Alex Morgan")
    browser_sign_in(page, admin)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.locator("h1")).to_have_text("Users")
    expect(page.get_by_role("row", name=re.compile("Alex Morgan"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Create an account").click()
    expect(page.locator("h1")).to_have_text("Create an account")
    assert_accessible(page)

    # A first attempt with problems shows the error summary and keeps what was typed.
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya.shah@example.org")
    page.get_by_label("First password", exact=True).fill("short")
    page.get_by_label("Confirm first password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the person's role")
    expect(summary).to_contain_text("Password must be 12 characters or more")
    expect(page.get_by_label("Full name")).to_have_value("Priya Shah")
    assert_accessible(page)

    page.get_by_label("Panel administrator").check()
    page.get_by_label("First password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm first password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Account created for Priya Shah")
    row = page.get_by_role("row", name=re.compile("Priya Shah"))
    expect(row).to_contain_text("Panel administrator")
    expect(row).to_contain_text("Active")

    row.get_by_role("link", name="Priya Shah").click()
    expect(page.locator("h1")).to_contain_text("Priya Shah")
    assert_accessible(page)

    page.get_by_label("Recruitment team manager").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Priya Shah's details have been saved.")
    expect(page.get_by_label("Recruitment team manager")).to_be_checked()

    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Priya Shah has been deactivated.")
    expect(page.locator("h1")).to_contain_text("Deactivated")
    assert_accessible(page)
    with app.app_context():
        priya = db.session.scalars(select(User).where(User.email == "priya.shah@example.org")).one()
        assert (priya.role, priya.active) == (Role.MANAGER, False)

    page.get_by_role("button", name="Reactivate account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Priya Shah has been reactivated.")
    expect(page.locator("h1")).to_contain_text("Active")
    with app.app_context():
        priya = db.session.scalars(select(User).where(User.email == "priya.shah@example.org")).one()
        assert priya.active is True

    page.get_by_role("link", name="View the history of this account").click()
    expect(page.locator("main")).to_contain_text("Priya Shah")
    assert_accessible(page)


def test_deactivated_person_cannot_sign_in(app, page):
    user = make_user(app, Role.SOCIAL_WORKER, active=False)
    page.goto("/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")


def test_change_your_own_password(app, page, browser_sign_in, assert_accessible):
    user = make_user(app, Role.PANEL_ADMIN)
    browser_sign_in(page, user)
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("h1")).to_have_text("Change your password")
    assert_accessible(page)

    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("Confirm new password").fill("password1234")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Your current password is not correct")
    expect(summary).to_contain_text("Password is too common or easy to guess")
    assert_accessible(page)

    page.get_by_label("Current password").fill(user.password)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed.")

    page.get_by_role("button", name="Sign out").click()
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Hello"))


def test_settings_page(app, page, browser_sign_in, assert_accessible):
    browser_sign_in(page, make_user(app, Role.ADMIN))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Settings").click()
    expect(page.locator("h1")).to_have_text(re.compile("Settings"))
    assert_accessible(page)

    field = page.locator("input[name=net_growth_target]")
    field.fill("not a number")
    page.get_by_role("button", name="Save settings").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.locator("input[name=net_growth_target]").fill("25")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Settings saved.")
    expect(page.locator("input[name=net_growth_target]")).to_have_value("25")


def test_audit_log_page(app, page, browser_sign_in, assert_accessible):
    make_user(app, Role.SOCIAL_WORKER, name="Jo Bloggs")
    browser_sign_in(page, make_user(app, Role.MANAGER))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.locator("main")).to_contain_text("Jo Bloggs")
    assert_accessible(page)

    page.get_by_label("From date").fill("31/2/2026")
    page.get_by_role("button", name="Search the log").click()
    expect(page).to_have_title(re.compile(r"^Error: Audit log"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("From date")
    assert_accessible(page)


def test_content_security_policy_blocks_inline_script(app, browser, live_server):
    """An injected inline script is refused by the browser, and the refusal is a console error
    (which is how the `page` fixture fails any test whose page breaks the policy)."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))

        def inject(route):
            response = route.fetch()
            body = response.text().replace("</body>", "<script>window.injected = true;</script></body>")
            route.fulfill(response=response, body=body)

        page.route(f"{live_server.url}/sign-in", inject)
        page.goto("/sign-in")
        expect(page.locator("h1")).to_have_text("Sign in to CarerTrack")
        assert page.evaluate("window.injected === undefined")
        assert any("Content Security Policy" in text for text in errors), errors
    finally:
        context.close()
