"""The breaches report on hand-built data: every clock (8 months, regulation 24, first contact, papers,
ADM decision, IRM window); every deadline worked out by hand (no bank holidays fall in June or July 2025)."""

from __future__ import annotations

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role
from tests import report_data as rd
from tests.factories import make_user
from tests.report_data import d, run_report

AS_OF = "2025-06-30"  # a Monday


def _build(app):
    presenter = make_user(app, Role.SOCIAL_WORKER).id
    with app.app_context(), acting_as("test setup"):
        # 31 Oct + 8 months = 30 June: nothing predicted and the deadline is today: at risk.
        rd.case("B1", application_date="2024-10-31", delays=(("Bereavement", "2025-03-01"),))
        rd.case("B2", application_date="2024-10-15", delay_reason="Waiting for references")  # 15 June: breached
        # Regulation 24 from 15 February ran out on 7 June; the 8 months (1 October) are on track.
        rd.case(
            "B3",
            "connected",
            application_date="2025-02-01",
            placement_date="2025-02-15",
            predicted_panel_date="2025-09-15",
        )
        rd.case("B4", enquiry_date="2025-06-26")  # Thu + 2 working days = Mon 30 June, today: at risk
        rd.case("B5", enquiry_date="2025-06-20")  # Fri + 2 working days = Tue 24 June: breached
        rd.case("B6", enquiry_date="2025-06-20", first_contact_date="2025-06-23")  # contacted
        rd.case("B7", application_date="2024-10-15", closed_date="2025-05-01", closed_reason="AW2")  # closed
        b9 = rd.case("B9", application_date="2025-03-01", predicted_panel_date="2025-07-07")  # on track

        # Papers: 5 working days before Mon 7 July is Mon 30 June (today: at risk); before Thu 3 July, 26 June.
        july7 = rd.meeting("2025-07-07")
        rd.item(july7, presenter, case_id=b9)  # no papers yet: at risk
        rd.item(
            july7, presenter, household_id=rd.household("HH-B", approval_date="2024-01-01"), papers="2025-06-25"
        )  # papers in
        rd.item(
            july7, presenter, household_id=rd.household("HH-C", approval_date="2024-01-01"), withdrawn="2025-06-20"
        )  # taken off the agenda
        july3 = rd.meeting("2025-07-03")
        rd.item(july3, presenter, household_id=rd.household("HH-D", approval_date="2024-01-01"))  # breached
        june20 = rd.meeting("2025-06-20")
        rd.item(june20, presenter, household_id=rd.household("HH-P", approval_date="2024-01-01"))  # meeting past
        cancelled = rd.meeting("2025-07-03", status="cancelled")
        rd.item(cancelled, presenter, household_id=rd.household("HH-X", approval_date="2024-01-01"))

        # ADM: minutes Mon 16 June + 7 working days = Wed 25 June; minutes Fri 20 June -> Tue 1 July.
        june12 = rd.meeting("2025-06-12")
        review = {"recommendation": "approve", "recommended": "2025-06-12", "papers": "2025-06-01"}
        rd.item(
            june12,
            presenter,
            household_id=rd.household("HH-E", approval_date="2024-01-01"),
            minutes="2025-06-16",
            **review,
        )  # no decision: breached
        rd.item(
            june12,
            presenter,
            household_id=rd.household("HH-F", approval_date="2024-01-01"),
            minutes="2025-06-20",
            **review,
        )  # due tomorrow: at risk
        decided = rd.item(
            june12,
            presenter,
            household_id=rd.household("HH-G", approval_date="2024-01-01"),
            minutes="2025-06-16",
            **review,
        )
        rd.decision(decided, "2025-06-20")  # decided in time
        late = rd.item(
            june12,
            presenter,
            household_id=rd.household("HH-H", approval_date="2024-01-01"),
            minutes="2025-06-16",
            **review,
        )
        rd.decision(late, "2025-07-02")  # decided after the as-of date: still waiting on it, breached
        rd.item(
            june12,
            presenter,
            household_id=rd.household("HH-I", approval_date="2024-01-01"),
            recommendation="defer",
            recommended="2025-06-12",
            minutes="2025-06-16",
            papers="2025-06-01",
        )

        # IRM: letter 30 May + 28 days = 27 June, no representations: breached.
        april = rd.meeting("2025-04-20")
        ended = rd.item(
            april,
            presenter,
            household_id=rd.household("HH-J", approval_date="2024-01-01"),
            recommendation="not_approve",
            recommended="2025-04-20",
            minutes="2025-04-22",
            papers="2025-04-01",
        )
        rd.determination(rd.decision(ended, "2025-05-01", "not_approved"), "2025-05-30")
        fresh = rd.item(
            april,
            presenter,
            household_id=rd.household("HH-K", approval_date="2024-01-01"),
            recommendation="not_approve",
            recommended="2025-04-20",
            minutes="2025-04-22",
            papers="2025-04-01",
        )
        rd.determination(rd.decision(fresh, "2025-05-01", "not_approved"), "2025-06-10")  # 8 July: on track
        answered = rd.item(
            april,
            presenter,
            household_id=rd.household("HH-L", approval_date="2024-01-01"),
            recommendation="not_approve",
            recommended="2025-04-20",
            minutes="2025-04-22",
            papers="2025-04-01",
        )
        rd.determination(
            rd.decision(answered, "2025-05-01", "not_approved"), "2025-05-01", representations="2025-05-20"
        )
        db.session.commit()


def test_every_clock_at_risk_or_breached(app):
    _build(app)
    document = run_report(app, "breaches", AS_OF)
    assert [(r["reference"], r["clock"], r["deadline"], r["status"], r["reason"]) for r in document["rows"]] == [
        ("B3", "reg24", d("2025-06-07"), "breached", None),
        ("B2", "eight_month", d("2025-06-15"), "breached", "Waiting for references"),
        ("B5", "first_contact", d("2025-06-24"), "breached", None),
        ("HH-E", "adm", d("2025-06-25"), "breached", None),
        ("HH-H", "adm", d("2025-06-25"), "breached", None),
        ("HH-D", "papers", d("2025-06-26"), "breached", None),
        ("HH-J", "irm", d("2025-06-27"), "breached", None),
        ("B1", "eight_month", d("2025-06-30"), "at_risk", "Bereavement"),
        ("B4", "first_contact", d("2025-06-30"), "at_risk", None),
        ("B9", "papers", d("2025-06-30"), "at_risk", None),
        ("HH-F", "adm", d("2025-07-01"), "at_risk", None),
    ]
    assert (document["breached"], document["at_risk"]) == (7, 4)
    assert document["by_clock"] == {
        "eight_month": {"at_risk": 1, "breached": 1},
        "reg24": {"at_risk": 0, "breached": 1},
        "first_contact": {"at_risk": 1, "breached": 1},
        "papers": {"at_risk": 1, "breached": 1},
        "adm": {"at_risk": 1, "breached": 2},
        "irm": {"at_risk": 0, "breached": 1},
    }


def test_earlier_the_same_clocks_were_fine(app):
    _build(app)
    # 1 June 2025: B2's deadline (15 June) is 14 days off with nothing predicted (at risk); B1's 30 days (at
    # risk); B3's regulation 24 deadline (7 June) 6 days off, predicted panel in September (at risk). No
    # enquiry yet, no minutes yet, the letters: HH-J's was not sent until 30 May (deadline 27 June, on track).
    rows = run_report(app, "breaches", "2025-06-01")["rows"]
    assert [(r["reference"], r["clock"], r["status"]) for r in rows] == [
        ("B3", "reg24", "at_risk"),
        ("B2", "eight_month", "at_risk"),
        ("B1", "eight_month", "at_risk"),
    ]
