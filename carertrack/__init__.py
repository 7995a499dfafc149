"""CarerTrack: the case tracker a local authority fostering service runs its recruitment on."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

import config as app_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type | None = None) -> Flask:
    """Build the application. Never starts a scheduler and never migrates the database."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(app_config.resolve(config, Path(app.instance_path)))
    from carertrack.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids a database cannot hold answer 404
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from carertrack import sql_timing

    sql_timing.init_app(app)
    return app


def register_templates(app: Flask) -> None:
    """Our templates first, then the GOV.UK macros under their package prefixes."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    from carertrack import templating

    templating.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons and the request hooks that every page relies on."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    import carertrack.audit.recorder  # noqa: F401 - registers the audit listeners
    from carertrack import security
    from carertrack.access import enforce_access
    from carertrack.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    WTFormsHelpers(app)
    # Order matters: idle expiry, then access rules, then CSRF, so a stranger is sent to sign in
    # (or refused) before anything looks at what they posted.
    security.init_app(app)
    app.before_request(enforce_access)
    csrf.init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of the service."""
    from carertrack.admin.routes import bp as admin_bp
    from carertrack.audit.routes import bp as audit_bp
    from carertrack.auth.routes import bp as auth_bp
    from carertrack.cases.routes import bp as cases_bp
    from carertrack.households.routes import bp as households_bp
    from carertrack.imports.routes import bp as imports_bp
    from carertrack.main.routes import bp as main_bp
    from carertrack.panels.routes import bp as panels_bp
    from carertrack.reminders.routes import bp as reminders_bp
    from carertrack.reports.routes import bp as reports_bp

    blueprints = [
        main_bp,
        auth_bp,
        admin_bp,
        audit_bp,
        households_bp,
        cases_bp,
        panels_bp,
        reports_bp,
        reminders_bp,
        imports_bp,
    ]
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """GOV.UK-style pages for 400 (expired form), 403, 404, 405 and 500: never a traceback."""
    from carertrack import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask users`, `flask seed` and `flask settings` command groups."""
    from carertrack.commands import init_app

    init_app(app)
