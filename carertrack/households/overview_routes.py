"""Service-wide pages: DBS compliance (managers) and staying-put arrangements."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from carertrack.access import roles
from carertrack.compliance import DbsRules, DbsStatus
from carertrack.dates import today
from carertrack.households.blueprint import bp
from carertrack.households.permissions import READERS
from carertrack.households.queries import (
    ListPagination,
    compliance_for,
    dbs_counts,
    dbs_exceptions,
    dbs_people,
    only,
    staying_put_counts,
    staying_put_rows,
)
from carertrack.models.user import Role

EXCEPTION_STATUSES = (DbsStatus.EXPIRED, DbsStatus.MISSING, DbsStatus.DUE_SOON)


@bp.route("/dbs-compliance")
@roles(Role.MANAGER)
def compliance():
    """Everyone in an approved household whose DBS is not current, most urgent first."""
    as_of = today()
    rows = dbs_people(as_of, DbsRules.from_settings())
    chosen = request.args.get("status", "")
    statuses = {DbsStatus(chosen)} if chosen in {s.value for s in EXCEPTION_STATUSES} else None
    page = ListPagination(dbs_exceptions(rows, statuses))
    return render_template(
        "households/compliance.html",
        page=page,
        counts=dbs_counts(rows),
        chosen=chosen if statuses else "",
        statuses=EXCEPTION_STATUSES,
        as_of=as_of,
    )


@bp.route("/staying-put")
@roles(*READERS)
def staying_put():
    """Staying-put arrangements, active and ended, with those ending within 90 days marked."""
    as_of = today()
    which = request.args.get("show", "")
    which = which if which in ("active", "ended") else ""
    every = staying_put_rows(current_user, as_of)
    rows = only(every, which)
    households = list({row.arrangement.household_id: row.arrangement.household for row in every}.values())
    return render_template(
        "households/staying_put.html",
        compliance=compliance_for(households, as_of, DbsRules.from_settings()),
        page=ListPagination(rows),
        counts=staying_put_counts(every),
        which=which,
        as_of=as_of,
    )
