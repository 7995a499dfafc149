"""The funnel and the annual return on hand-built data; every expected figure worked out by hand."""

from __future__ import annotations

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.reports.annual_return import COLUMNS
from tests import report_data as rd
from tests.report_data import d, run_report


@pytest.fixture
def journeys(app):
    """Cases moving through the 2024/25 year (1 April 2024 to 31 March 2025)."""
    with app.app_context(), acting_as("test setup"):
        rd.case(
            "F1",
            enquiry_source="website",
            enquiry_date="2024-04-01",
            initial_visit_date="2024-04-20",
            application_date="2024-05-10",
            panel_recommendation="approve",
            recommendation_date="2024-12-10",
            decision="approved",
            decision_date="2024-12-20",
        )
        rd.case(
            "F2",
            enquiry_source="website",
            enquiry_date="2024-05-01",
            initial_visit_date="2024-05-21",
            closed_date="2024-06-01",
            closed_reason="AW1",
        )  # withdrew before applying
        rd.case(
            "F3",
            enquiry_source="phone",
            enquiry_date="2024-03-20",
            initial_visit_date="2024-04-10",
            application_date="2024-06-01",
            closed_date="2024-09-01",
            closed_reason="AW3",
        )  # withdrew after
        rd.case("F4", enquiry_source="event", enquiry_date="2025-03-31")
        rd.case("F5", enquiry_source="event", enquiry_date="2025-04-01")  # next year
        rd.case(
            "F6",
            "connected",
            enquiry_date="2024-10-01",
            initial_visit_date="2024-10-15",
            application_date="2024-11-01",
            panel_recommendation="not_approve",
            recommendation_date="2025-03-01",
            decision="not_approved",
            decision_date="2025-03-10",
        )  # source not recorded
        rd.case(
            "F7",
            enquiry_source="existing_carer",
            enquiry_date="2023-11-01",
            initial_visit_date="2023-11-10",
            application_date="2024-01-05",
            panel_recommendation="approve",
            recommendation_date="2025-03-20",
            decision="approved",
            decision_date="2025-04-02",
        )  # decided in the next year
        rd.case(
            "F8",
            enquiry_source="phone",
            enquiry_date="2024-07-01",
            closed_date="2024-07-05",
            closed_reason="counselled_out",
        )
        db.session.commit()


def test_funnel_counts_conversions_sources_times_and_closures(app, journeys):
    document = run_report(app, "funnel", "2025-06-01", 2024)
    assert (document["enquiries"], document["initial_visits"], document["applications"], document["approvals"]) == (
        5,  # F1 F2 F4 F6 F8
        4,  # F1 F2 F3 F6
        3,  # F1 F3 F6
        1,  # F1 (F7 was approved in April 2025)
    )
    # What became of the year's five enquiries by 1 June 2025: F1, F2 and F6 had a visit; F1 and F6 applied;
    # F1 was approved.
    assert document["cohort"] == {"enquiries": 5, "initial_visits": 3, "applications": 2, "approvals": 1}
    assert document["conversion_percent"] == {
        "enquiry_to_initial_visit": 60.0,  # 3/5
        "initial_visit_to_application": 66.7,  # 2/3
        "application_to_approval": 50.0,  # 1/2
        "enquiry_to_application": 40.0,  # 2/5
        "enquiry_to_approval": 20.0,  # 1/5
    }
    by_source = {s["source"]: s for s in document["by_source"]}
    assert list(by_source) == [
        "website",
        "phone",
        "email",
        "event",
        "existing_carer",
        "social_media",
        "ifa_transfer",
        "other",
        "not_recorded",
    ]
    assert by_source["website"] == {
        "source": "website",
        "enquiries": 2,
        "initial_visits": 2,
        "applications": 1,
        "approvals": 1,
        "enquiries_applied": 1,  # F1 (F2 withdrew)
        "enquiry_to_application_percent": 50.0,
    }
    # F8's enquiry (counselled out); F3's visit and application in the year (its enquiry came the year before).
    assert by_source["phone"] == {
        "source": "phone",
        "enquiries": 1,
        "initial_visits": 1,
        "applications": 1,
        "approvals": 0,
        "enquiries_applied": 0,
        "enquiry_to_application_percent": 0.0,
    }
    assert by_source["event"]["enquiries"] == 1 and by_source["event"]["enquiry_to_application_percent"] == 0.0
    assert by_source["email"]["enquiry_to_application_percent"] is None
    assert by_source["not_recorded"]["enquiries_applied"] == 1
    assert by_source["not_recorded"]["enquiry_to_application_percent"] == 100.0
    assert document["median_days"] == {
        "enquiry_to_initial_visit": 19.5,  # F6 14, F1 19, F2 20, F3 21
        "initial_visit_to_application": 20.0,  # F6 17, F1 20, F3 52
        "application_to_recommendation": 214.0,  # F6 120, F1 214, F7 440
        "recommendation_to_decision": 9.5,  # F6 9, F1 10
    }
    closures = {
        c["reason"]: (c["before_application"], c["after_application"], c["total"]) for c in document["closures"]
    }
    assert closures["AW1"] == (1, 0, 1)
    assert closures["AW3"] == (0, 1, 1)
    assert closures["counselled_out"] == (1, 0, 1)
    assert sum(c[2] for c in closures.values()) == 3


def test_funnel_part_way_through_the_year(app, journeys):
    # 15 December 2024: F4's enquiry had not come; F1's approval (20 December) had not happened.
    document = run_report(app, "funnel", "2024-12-15", 2024)
    assert document["cohort"] == {"enquiries": 4, "initial_visits": 3, "applications": 2, "approvals": 0}
    assert document["conversion_percent"]["application_to_approval"] == 0.0
    assert document["approvals"] == 0


def test_annual_return(app, journeys):
    with app.app_context(), acting_as("test setup"):
        rd.case("F9", application_date="2024-08-01", closed_date="2024-10-01", closed_reason="counselled_out")
        rd.case("F10", "connected", application_date="2025-03-31")  # in progress at 31 March
        rd.case("F11", "connected", placement_date="2025-03-01")  # regulation 24 until 21 June
        rd.case("F12", "connected", placement_date="2024-11-01")  # ran out on 21 February: not counted
        g1 = rd.household("G1", "mainstream", "2024-04-01", approved_places=2)
        rd.household("G2", "mainstream", "2024-03-31")
        g3 = rd.household("G3", "connected", "2025-03-31")
        rd.household("G4", "connected", "2025-04-01")
        rd.household(
            "G5", "short_breaks", "2024-06-15", deregistration_date="2025-01-10", deregistration_reason="resigned"
        )
        rd.household(
            "G6", "mainstream", "2020-01-01", deregistration_date="2024-04-01", deregistration_reason="retired"
        )
        rd.household("G7", "connected", "2021-01-01", deregistration_date="2025-03-31", deregistration_reason="sgo")
        rd.household("G8", "mainstream", "2019-01-01", deregistration_date="2025-04-01")
        rd.household("G9", "parent_and_child", "2024-10-01")
        rd.placement(g1, "C-1", "2024-05-01")
        rd.placement(g3, "C-2", "2025-03-31")
        rd.placement(g1, "C-3", "2024-05-01", "2025-03-31")  # left on 31 March
        rd.staying_put(g1, "YP1", "2006-01-01", "2024-06-01")
        rd.staying_put(g1, "YP2", "2003-05-01", "2023-01-01")  # turned 21 on 1 May 2024
        db.session.commit()
    document = run_report(app, "annual-return", "2025-06-01", 2024)
    assert list(document) == COLUMNS
    expected = {
        "year": "2024/25",
        "period_start": d("2024-04-01"),
        "period_end": d("2025-03-31"),
        "as_of": d("2025-06-01"),
        "snapshot_date": d("2025-03-31"),
        "enquiries": 5,
        "applications_received_mainstream": 3,  # F1 F3 F9
        "applications_received_connected": 2,  # F6 F10
        "applications_received_total": 5,
        "applications_approved_mainstream": 1,  # F1 (F7 was decided in April)
        "applications_approved_connected": 0,
        "applications_approved_total": 1,
        "applications_not_approved_mainstream": 0,
        "applications_not_approved_connected": 1,  # F6
        "applications_not_approved_total": 1,
        "applications_withdrawn_aw1": 0,  # F2 withdrew before applying: not an application
        "applications_withdrawn_aw2": 0,
        "applications_withdrawn_aw3": 1,  # F3
        "applications_withdrawn_aw4": 0,
        "applications_withdrawn_aw5": 0,
        "applications_withdrawn_aw0": 0,
        "applications_withdrawn_total": 1,
        "applications_closed_counselled_out": 1,  # F9 (F8 was counselled out before applying)
        "applications_closed_unsuitable_stage1": 0,
        "applications_closed_moved_away": 0,
        "applications_closed_chose_ifa": 0,
        "applications_closed_no_response": 0,
        "applications_closed_other": 0,
        "applications_closed_by_service_total": 1,
        "applications_in_progress_mainstream": 1,  # F7, decided in April
        "applications_in_progress_connected": 1,  # F10
        "applications_in_progress_total": 2,
        "households_approved_mainstream": 3,  # G1 G5 G9
        "households_approved_connected": 1,  # G3
        "households_approved_total": 4,
        "households_deregistered_mainstream": 2,  # G5 G6
        "households_deregistered_connected": 1,  # G7
        "households_deregistered_total": 3,
        "deregistered_resigned": 1,
        "deregistered_retired": 1,
        "deregistered_transferred_ifa": 0,
        "deregistered_transferred_la": 0,
        "deregistered_sgo": 1,
        "deregistered_adoption": 0,
        "deregistered_terminated": 0,
        "deregistered_placement_ended": 0,
        "deregistered_moved_away": 0,
        "deregistered_death": 0,
        "deregistered_other": 0,
        "deregistered_reason_not_recorded": 0,
        "households_at_31_march_mainstream": 4,  # G1 G2 G8 G9
        "households_at_31_march_connected": 1,  # G3
        "households_at_31_march_total": 5,
        "households_at_31_march_short_breaks": 0,  # G5 had gone
        "households_at_31_march_parent_and_child": 1,  # G9
        "approved_places_31_march": 2,  # G1's terms; the others have none recorded
        "filled_places_31_march": 2,  # C-1 with G1, C-2 with G3
        "vacant_places_31_march": 1,  # G1: 2 places, 1 child
        "temporary_approvals_31_march": 1,  # F11
        "staying_put_31_march": 1,  # YP1
        "staying_put_started_in_year": 1,  # YP1
    }
    assert document == expected


def test_annual_return_before_the_year_ends(app, journeys):
    # On 30 September 2024 the counts run to that day and the "31 March" figures are taken on it.
    document = run_report(app, "annual-return", "2024-09-30", 2024)
    assert document["snapshot_date"] == d("2024-09-30")
    assert document["enquiries"] == 3  # F1 F2 F8 (F6 enquired in October)
    assert document["applications_received_total"] == 2  # F1 F3
    assert document["applications_approved_total"] == 0  # F1 was approved in December
    assert document["applications_withdrawn_aw3"] == 1  # F3, on 1 September
    assert document["applications_in_progress_mainstream"] == 2  # F1 and F7
