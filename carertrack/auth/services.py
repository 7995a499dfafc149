"""Sign-in rules: credentials, the lock-out derived from recent attempts, and the password policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from zxcvbn import zxcvbn

from carertrack.extensions import db
from carertrack.models.base import utcnow
from carertrack.models.user import LoginAttempt, User
from carertrack.settings import get_setting

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


def normalise_email(email: str) -> str:
    """Email addresses compare case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The user with this email address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def locked_until(email: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this email address ends, or None if it is not locked.

    Derived from the attempts, never stored: N failures (setting) within the window (setting)
    since the last success lock the address for the lock-out length (setting) from the Nth.
    Unknown addresses lock exactly like known ones, so the lock-out reveals nothing.
    """
    now = now or utcnow()
    threshold = int(get_setting("lockout_threshold"))
    window = timedelta(minutes=int(get_setting("lockout_window_minutes")))
    length = timedelta(minutes=int(get_setting("lockout_minutes")))
    email = normalise_email(email)
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
    )
    query = select(LoginAttempt.attempted_at).where(
        LoginAttempt.email == email,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at > now - window - length,
    )
    if last_success is not None:
        query = query.where(LoginAttempt.attempted_at > last_success)
    failures = sorted(_aware(t) for t in db.session.scalars(query))
    # Walk the failures: each run of `threshold` within the window starts a lock.
    lock_end = None
    start = 0
    for end in range(len(failures)):
        if lock_end is not None and failures[end] < lock_end:
            continue  # attempts during a lock are not counted (they are not recorded either)
        while failures[end] - failures[start] > window:
            start += 1
        if end - start + 1 >= threshold:
            lock_end = failures[end] + length
            start = end + 1
    if lock_end is not None and lock_end > now:
        return lock_end
    return None


@dataclass
class SignInResult:
    """The outcome of a sign-in attempt."""

    user: User | None = None
    locked_until: datetime | None = None


def attempt_sign_in(email: str, password: str) -> SignInResult:
    """Check credentials, record the attempt and apply the lock-out. The caller commits."""
    email = normalise_email(email)
    locked = locked_until(email)
    if locked:
        return SignInResult(locked_until=locked)
    user = find_user(email)
    ok = bool(user and user.active and user.check_password(password))
    db.session.add(LoginAttempt(email=email, succeeded=ok))
    if ok:
        user.last_signed_in_at = utcnow()
        return SignInResult(user=user)
    db.session.flush()
    return SignInResult(locked_until=locked_until(email))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a new password is not acceptable, in words a person can act on, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    inputs = [part for part in [email, name, *name.split(), email.split("@")[0], "carertrack", "fostering"] if part]
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] < 3:
        return "Password is too common or easy to guess. Try three or four random words together"
    return None
