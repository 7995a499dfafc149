"""The summary and households reports on hand-built data; every expected figure worked out by hand."""

from __future__ import annotations

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from tests import report_data as rd
from tests.report_data import d, run_report


@pytest.fixture
def snapshot(app):
    """A service as it stood around 30 June 2025 (comments say why each record counts or not)."""
    with app.app_context(), acting_as("test setup"):
        # Households on 30 June 2025.
        h1 = rd.household("H1", "mainstream", "2020-01-01", approved_places=3)  # counts
        h2 = rd.household("H2", "short_breaks", "2021-05-05", approved_places=1)  # counts, as mainstream
        h3 = rd.household("H3", "connected", "2024-02-02")  # counts, connected, no terms
        h4 = rd.household("H4", "mainstream", "2019-01-01", deregistration_date="2025-06-30")  # ended that day
        h5 = rd.household(  # deregistered later: still approved on 30 June
            "H5",
            "mainstream",
            "2018-01-01",
            deregistration_date="2025-07-01",
            approved_places=2,
            on_hold_reason="Carer unwell",
            on_hold_since="2025-06-01",
        )
        rd.household("H6", "parent_and_child", "2025-07-01", approved_places=2)  # approved later
        rd.placement(h1, "C-1", "2024-01-01")  # placed
        rd.placement(h1, "C-2", "2024-01-01", "2025-06-30")  # left that day
        rd.placement(h1, "C-3", "2025-07-01")  # not yet
        rd.placement(h2, "C-4", "2025-01-01")
        rd.placement(h2, "C-5", "2025-02-01")  # H2 is over its one place
        rd.placement(h3, "C-6", "2024-03-01")
        rd.placement(h4, "C-7", "2024-03-01")  # H4 no longer approved

        # Temporary approvals (connected, regulation 24: 16 weeks, + an 8-week extension).
        rd.case("C1", "connected", placement_date="2025-05-01")  # deadline 21 Aug: counts
        rd.case("C2", "connected", placement_date="2025-01-01")  # deadline 23 Apr: expired, a breach
        rd.case("C3", "connected", placement_date="2025-03-10")  # deadline 30 Jun, the as-of day: counts
        rd.case("C4", "connected", placement_date="2025-05-01", decision_date="2025-06-15", decision="approved")
        rd.case(
            "C5", "connected", placement_date="2025-05-01", decision_date="2025-07-15", decision="approved"
        )  # counts
        rd.case("C6", "connected", placement_date="2025-05-01", closed_date="2025-06-01", closed_reason="AW3")
        rd.case("C7", "connected", placement_date="2025-07-05")  # placed later
        rd.case("C8", "connected", placement_date="2025-03-09")  # deadline 29 Jun: expired
        # 1 Feb + 16 weeks = 24 May (expired) but the 8-week extension makes it 19 July: counts.
        rd.case("C9", "connected", placement_date="2025-02-01", extension_weeks=8, extension_granted_date="2025-05-01")

        # In assessment.
        rd.case("A1", application_date="2025-01-10")  # counts
        rd.case("A2", application_date="2025-07-01")  # applied later
        rd.case("A3", application_date="2024-10-01", panel_recommendation="approve", recommendation_date="2025-06-30")
        rd.case("A4", application_date="2024-10-01", panel_recommendation="approve", recommendation_date="2025-07-02")
        rd.case("A5", application_date="2024-11-01", panel_recommendation="defer", recommendation_date="2025-05-01")
        rd.case("A6", application_date="2025-01-01", closed_date="2025-06-01", closed_reason="AW1")
        rd.case("A7", application_date="2025-01-01", closed_date="2025-08-01", closed_reason="AW1")  # counts

        # Open enquiries.
        rd.case("E1", enquiry_date="2025-06-01")  # counts
        rd.case("E2", enquiry_date="2025-06-30")  # counts
        rd.case("E3", enquiry_date="2025-07-01")
        rd.case("E4", enquiry_date="2025-05-01", application_date="2025-06-15")  # now an application (in assessment)
        rd.case("E5", enquiry_date="2025-05-01", application_date="2025-07-15")  # counts: applied later
        rd.case("E6", enquiry_date="2025-05-01", closed_date="2025-06-10", closed_reason="no_response")

        # Staying put (active until 21; an end date on or before the day ends it).
        rd.staying_put(h1, "YP1", "2006-01-01", "2024-01-01")  # counts
        rd.staying_put(h1, "YP2", "2004-06-30", "2023-01-01")  # 21 on 30 June: ended
        rd.staying_put(h2, "YP3", "2004-07-01", "2023-01-01")  # 21 tomorrow: counts, ending
        rd.staying_put(h2, "YP4", "2006-01-01", "2024-01-01", "2025-06-30")  # ended that day
        rd.staying_put(h3, "YP5", "2006-01-01", "2025-07-01")  # not started
        rd.staying_put(h3, "YP6", "2006-01-01", "2024-01-01", "2025-09-28")  # ends in 90 days: ending
        rd.staying_put(h5, "YP7", "2006-01-01", "2024-01-01", "2025-09-29")  # ends in 91 days
        db.session.commit()


def test_summary_counts_as_of_the_date(app, snapshot):
    document = run_report(app, "summary", "2025-06-30")
    assert document == {
        "as_of": d("2025-06-30"),
        # H1, H2 (short breaks count as mainstream) and H5 (deregistered the next day); H3 connected.
        "households": {"mainstream": 3, "connected": 1, "total": 4},
        "temporary_approvals": 4,  # C1, C3, C5, C9
        "staying_put": 4,  # YP1, YP3, YP6, YP7
        "in_assessment": 5,  # A1, A4, A5, A7, and E4 (applied 15 June)
        "enquiries_open": 3,  # E1, E2, E5
    }


def test_summary_in_the_past_ignores_later_events(app, snapshot):
    document = run_report(app, "summary", "2024-12-31")
    # H4 (deregistered 30 June 2025) and H5 still approved; H3 approved in February 2024.
    assert document["households"] == {"mainstream": 4, "connected": 1, "total": 5}
    assert document["temporary_approvals"] == 0  # no regulation 24 placement had started
    assert document["in_assessment"] == 3  # A3 and A4 (recommended in 2025), A5 (applied 1 Nov 2024)
    assert document["enquiries_open"] == 0  # every enquiry came in 2025
    assert document["staying_put"] == 6  # all but YP5: YP2 turned 21 and YP4 ended only in June 2025


def test_temporary_approvals_earlier_in_the_year(app, snapshot):
    # 1 May 2025: C1, C4, C5, C6 placed that day (decision and closure still to come); C3 and C8 in March;
    # C9 in February. C2's 16 weeks ran out on 23 April: a breach, not a temporary approval.
    assert run_report(app, "summary", "2025-05-01")["temporary_approvals"] == 7


def test_summary_in_assessment_equals_the_in_assessment_rows(app, snapshot):
    for as_of in ("2024-12-31", "2025-06-30", "2025-07-20"):
        summary = run_report(app, "summary", as_of)
        rows = run_report(app, "in-assessment", as_of)["rows"]
        assert summary["in_assessment"] == len(rows)


def test_households_places_children_and_vacancies(app, snapshot):
    document = run_report(app, "households", "2025-06-30")
    zero = {
        "households": 0,
        "on_hold": 0,
        "approved_places": 0,
        "children_placed": 0,
        "vacancies": 0,
        "households_with_vacancy": 0,
    }
    assert document["by_type"] == [
        # H1 (3 places, 1 child: 2 free) and H5 (on hold, 2 places, no child: 2 free).
        {
            "carer_type": "mainstream",
            "households": 2,
            "on_hold": 1,
            "approved_places": 5,
            "children_placed": 1,
            "vacancies": 4,
            "households_with_vacancy": 2,
        },
        # H2: 1 place, 2 children. Being over its approval makes no vacancy anywhere.
        {
            "carer_type": "short_breaks",
            "households": 1,
            "on_hold": 0,
            "approved_places": 1,
            "children_placed": 2,
            "vacancies": 0,
            "households_with_vacancy": 0,
        },
        {"carer_type": "parent_and_child", **zero},  # H6 is approved later
        # H3: no terms recorded, one child placed.
        {
            "carer_type": "connected",
            "households": 1,
            "on_hold": 0,
            "approved_places": 0,
            "children_placed": 1,
            "vacancies": 0,
            "households_with_vacancy": 0,
        },
    ]
    assert document["households"] == {"mainstream": 3, "connected": 1, "total": 4}
    assert document["children_placed"] == {"mainstream": 3, "connected": 1, "total": 4}
    assert document["vacancies"] == {"mainstream": 4, "connected": 0, "total": 4}
    assert document["approved_places"] == {"mainstream": 6, "connected": 0, "total": 6}
    assert document["on_hold"] == {"mainstream": 1, "connected": 0, "total": 1}


def test_households_table_has_a_row_per_type_and_a_total(app, snapshot):
    from carertrack.reports import REPORTS

    table = REPORTS["households"].table(run_report(app, "households", "2025-06-30"))
    assert table.headers == [
        "carer_type",
        "households",
        "on_hold",
        "approved_places",
        "children_placed",
        "vacancies",
        "households_with_vacancy",
    ]
    assert table.rows[-1] == ["total", 4, 1, 6, 4, 4, 2]
