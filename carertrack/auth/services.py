"""Sign-in rules: credentials, the lock-out derived from recent attempts, and the password policy."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
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
    # Only attempts up to `now` count, so the answer for a past moment is what it was then.
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True), LoginAttempt.attempted_at <= now
        )
    )
    query = select(LoginAttempt.attempted_at).where(
        LoginAttempt.email == email,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at > now - window - length,
        LoginAttempt.attempted_at <= now,
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


_DUMMY_HASHES: dict[str, str] = {}  # by hashing method, made on first use


def _check_dummy_hash(password: str) -> bool:
    """Spend the same effort as checking a real password; never matches anything."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


def attempt_sign_in(email: str, password: str) -> SignInResult:
    """Check credentials, record the attempt and apply the lock-out. The caller commits."""
    email = normalise_email(email)
    locked = locked_until(email)
    if locked:
        return SignInResult(locked_until=locked)
    user = find_user(email)
    # Always check one hash, so an unknown or deactivated address answers no faster than a known one.
    matches = user.check_password(password) if user is not None else _check_dummy_hash(password)
    ok = bool(user is not None and user.active and matches)
    db.session.add(LoginAttempt(email=email, succeeded=ok))
    if ok:
        # Set without an ORM change to the row, so signing in does not move the record's version: an
        # administrator editing this person meanwhile must not be told someone changed the record.
        db.session.execute(update(User).where(User.id == user.id).values(last_signed_in_at=utcnow()))
        return SignInResult(user=user)
    db.session.flush()
    return SignInResult(locked_until=locked_until(email))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a new password is not acceptable, in words a person can act on, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    # zxcvbn scores a name run together ("priyashah2024") as strong, so refuse names outright. Parts
    # shorter than 4 letters are left to zxcvbn, or "Ann" would refuse "planning".
    local_part = email.split("@")[0]
    parts = {part.lower() for part in re.split(r"[^\w]+", f"{name} {local_part}") if len(part) >= 4}
    if any(part in password.lower() for part in parts):
        return "Password must not include the person's name or email address"
    inputs = [part for part in [email, name, *name.split(), local_part, "carertrack", "fostering"] if part]
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] < 3:
        return "Password is too common or easy to guess. Try three or four random words together"
    return None
