"""Error pages in the GOV.UK style; a person never sees a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from carertrack.extensions import db

PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
}


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_expired(error: CSRFError):  # type: ignore[no-untyped-def]
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        template = PAGES.get(error.code or 500)
        if template is None:
            return render_template("errors/generic.html", error=error), error.code
        return render_template(template), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_template("errors/500.html"), 500
