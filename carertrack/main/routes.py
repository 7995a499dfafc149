"""Home and health."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from carertrack.access import public, signed_in
from carertrack.extensions import db
from carertrack.main.home import actions_for, panels_for

bp = Blueprint("main", __name__)


@bp.route("/")
@signed_in
def home():
    """Each person's home page: what they can do next, and live panels from each area."""
    return render_template("main/home.html", actions=actions_for(current_user), panels=panels_for(current_user))


@bp.route("/health")
@public
def health():
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
