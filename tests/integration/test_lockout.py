"""Lock-out: 5 failures within 15 minutes lock an address for 15 minutes (settings), known or not.

Time is controlled by inserting LoginAttempt rows with chosen times and by passing `now` to
locked_until; nothing sleeps and nothing patches the clock globally.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from carertrack.audit.recorder import acting_as
from carertrack.auth.routes import SIGN_IN_FAILED
from carertrack.auth.services import locked_until
from carertrack.extensions import db
from carertrack.formatting import format_time
from carertrack.models.base import utcnow
from carertrack.models.user import LoginAttempt, Role
from carertrack.settings import set_setting
from tests.factories import make_user
from tests.forms import submit
from tests.html import error_messages

LOCKED = "You have tried to sign in too many times. Your account is locked."


def attempt(client, email, password):
    return submit(client, "/sign-in", {"email": email, "password": password})


def add_failures(app, email, minutes_ago, succeeded=False):
    """Record past attempts at these many minutes before now."""
    now = utcnow()
    with app.app_context():
        for minutes in minutes_ago:
            db.session.add(
                LoginAttempt(email=email, succeeded=succeeded, attempted_at=now - timedelta(minutes=minutes))
            )
        db.session.commit()


def attempts_recorded(app, email):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == email))


def lock_message(response) -> str:
    messages = error_messages(response)
    assert len(messages) == 1, messages
    return messages[0]


def test_five_failures_lock_with_a_message_naming_the_time(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    for _ in range(4):
        assert lock_message(attempt(client, user.email, "wrong password")) == SIGN_IN_FAILED
    fifth = attempt(client, user.email, "wrong password")
    with app.app_context():
        last = db.session.scalar(select(func.max(LoginAttempt.attempted_at)).where(LoginAttempt.email == user.email))
        until = locked_until(user.email)
    assert until is not None
    assert lock_message(fifth) == (
        f"{LOCKED} Try again after {format_time(last + timedelta(minutes=15))}, or ask an administrator."
    )
    assert format_time(until) in lock_message(fifth)


def test_locked_account_is_refused_even_with_the_right_password(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, user.email, [5, 4, 3, 2, 1])
    before = attempts_recorded(app, user.email)
    response = attempt(client, user.email, user.password)
    assert response.status_code == 400
    assert lock_message(response).startswith(LOCKED)
    assert client.get("/").status_code == 302
    assert attempts_recorded(app, user.email) == before, "attempts during a lock are not counted"


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, user.email, [16, 12, 8, 4])
    fifth = attempt(client, user.email, "wrong password")
    assert lock_message(fifth) == SIGN_IN_FAILED
    assert attempt(client, user.email, user.password).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, user.email, [20, 19, 18, 17, 16])  # locked from 16 minutes ago until 1 minute ago
    with app.app_context():
        fifth = utcnow() - timedelta(minutes=16)
        assert locked_until(user.email, now=fifth + timedelta(minutes=14)) is not None
        assert locked_until(user.email) is None
    assert attempt(client, user.email, user.password).status_code == 302


def test_lock_timing_is_exact(app_ctx):
    start = utcnow() - timedelta(hours=1)
    for minute in range(5):
        db.session.add(
            LoginAttempt(email="a@example.org", succeeded=False, attempted_at=start + timedelta(minutes=minute))
        )
    db.session.commit()
    fifth = start + timedelta(minutes=4)
    assert locked_until("a@example.org", now=fifth - timedelta(seconds=1)) is None
    assert locked_until("a@example.org", now=fifth) == fifth + timedelta(minutes=15)
    assert locked_until("A@Example.org ", now=fifth + timedelta(minutes=14, seconds=59)) == fifth + timedelta(
        minutes=15
    )
    assert locked_until("a@example.org", now=fifth + timedelta(minutes=15)) is None


def test_a_success_resets_the_count(app, client):
    user = make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, user.email, [10, 9, 8, 7])
    add_failures(app, user.email, [6], succeeded=True)
    assert lock_message(attempt(client, user.email, "wrong password")) == SIGN_IN_FAILED
    assert attempt(client, user.email, user.password).status_code == 302


def test_unknown_email_addresses_lock_the_same_way(client):
    responses = [attempt(client, "nobody@example.org", "wrong password") for _ in range(5)]
    assert [lock_message(r) for r in responses[:4]] == [SIGN_IN_FAILED] * 4
    assert lock_message(responses[4]).startswith(LOCKED)
    assert responses[4].status_code == 400


def test_a_lock_on_one_address_does_not_touch_another(app, client):
    locked, other = make_user(app, Role.SOCIAL_WORKER), make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, locked.email, [5, 4, 3, 2, 1])
    assert attempt(client, other.email, other.password).status_code == 302


def test_settings_change_the_threshold_window_and_length(app, client):
    with app.app_context(), acting_as("test setup"):
        set_setting("lockout_threshold", 3)
        set_setting("lockout_window_minutes", 60)
        set_setting("lockout_minutes", 120)
        db.session.commit()
    user = make_user(app, Role.SOCIAL_WORKER)
    add_failures(app, user.email, [50, 40])  # outside the default window, inside the new one
    third = attempt(client, user.email, "wrong password")
    assert lock_message(third).startswith(LOCKED)
    with app.app_context():
        until = locked_until(user.email)
        assert until is not None
        assert locked_until(user.email, now=until - timedelta(minutes=1)) == until
        assert locked_until(user.email, now=until) is None
        assert until - utcnow() > timedelta(minutes=115)


def test_a_lower_threshold_locks_sooner(app_ctx):
    with acting_as("test setup"):
        set_setting("lockout_threshold", 3)
        db.session.commit()
    now = utcnow()
    for minutes in (3, 2, 1):
        db.session.add(
            LoginAttempt(email="b@example.org", succeeded=False, attempted_at=now - timedelta(minutes=minutes))
        )
    db.session.commit()
    assert locked_until("b@example.org", now=now) == now - timedelta(minutes=1) + timedelta(minutes=15)
