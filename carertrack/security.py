"""Sessions, idle expiry and the security headers every response carries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from carertrack.extensions import db, login_manager
from carertrack.models.base import utcnow
from carertrack.models.user import User
from carertrack.settings import get_setting

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Wire Flask-Login, the idle timeout and the response headers."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to use CarerTrack."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    app.before_request(_refuse_nul_bytes)
    app.before_request(_expire_idle_session)
    app.after_request(_security_headers)


def _refuse_nul_bytes() -> None:
    """Refuse (400) a NUL byte anywhere in the address or a form: nobody can type one, and PostgreSQL cannot
    store or compare text holding one, so it would otherwise fail as a server error deep inside a page."""
    texts = [request.path]
    for source in (request.args, request.form):
        for key, values in source.lists():
            texts += [key, *values]
    if any("\x00" in text for text in texts):
        abort(400)


def _load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    return user


def _expire_idle_session() -> Any:
    """Sign a person out after the idle setting; every request they make counts as activity."""
    if request.endpoint == "static":
        return None
    if session.get("_user_id") is None:
        # Only a signed-in session can expire. Anonymous requests (the health check above all) stay off
        # the database, so /health still answers when the database is down, and get no cookie.
        return None
    now = int(utcnow().timestamp())
    last_seen = session.get("last_seen")
    if last_seen is not None and current_user.is_authenticated:
        idle_minutes = int(get_setting("session_idle_minutes"))
        if now - int(last_seen) > timedelta(minutes=idle_minutes).total_seconds():
            logout_user()
            session.clear()
            flash(f"You were signed out because you had not done anything for {idle_minutes} minutes.")
            return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    session["last_seen"] = now
    return None


def _security_headers(response: Any) -> Any:
    from flask import current_app

    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Case records must not linger in shared browser caches.
        response.headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("HSTS"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
