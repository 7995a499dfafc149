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
    STAYING_PUT_SHOWS,
    compliance_of_households,
    dbs_exception_page,
    staying_put_page,
)
from carertrack.models.user import Role

EXCEPTION_STATUSES = (DbsStatus.EXPIRED, DbsStatus.MISSING, DbsStatus.DUE_SOON)


@bp.route("/dbs-compliance")
@roles(Role.MANAGER)
def compliance():
    """Everyone in an approved household whose DBS is not current, most urgent first."""
    as_of = today()
    chosen = request.args.get("status", "")
    statuses = {DbsStatus(chosen)} if chosen in {s.value for s in EXCEPTION_STATUSES} else None
    page, counts = dbs_exception_page(as_of, DbsRules.from_settings(), statuses)
    return render_template(
        "households/compliance.html",
        page=page,
        counts=counts,
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
    which = which if which in STAYING_PUT_SHOWS else ""
    page, counts = staying_put_page(current_user, as_of, which)
    households = {row.arrangement.household_id for row in page.items}
    return render_template(
        "households/staying_put.html",
        compliance=compliance_of_households(sorted(households), as_of, DbsRules.from_settings()),
        page=page,
        counts=counts,
        which=which,
        as_of=as_of,
    )
