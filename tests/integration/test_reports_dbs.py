"""The DBS and staying-put reports on hand-built data; every expected figure worked out by hand."""

from __future__ import annotations

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from tests import report_data as rd
from tests.report_data import d, run_report


def test_dbs_currency_on_a_date(app):
    with app.app_context(), acting_as("test setup"):
        home = rd.household("D1", "mainstream", "2020-01-01")
        rd.dbs_check(rd.member(home, "Alice"), "2023-01-01")  # renews 1 Jan 2026: current
        rd.dbs_check(rd.member(home, "Bob"), "2022-08-01")  # renews 1 Aug 2025, 32 days away: due soon
        rd.dbs_check(rd.member(home, "Cy"), "2022-06-29")  # renewed by 29 June 2025: expired
        # Subscribed to the Update Service: the status check of 1 March 2024 restarts the 3 years.
        rd.dbs_check(
            rd.member(home, "Dan", "adult_member"),
            "2022-01-01",
            update_service=True,
            status_checks=("2024-03-01", "2025-07-01"),
        )
        # Not subscribed: a status check does not count. Renewed by 1 Jan 2025: expired.
        rd.dbs_check(rd.member(home, "Eli", "adult_member"), "2022-01-01", status_checks=("2024-03-01",))
        rd.member(home, "Fay", "child_member", date_of_birth="2007-09-30")  # 18 in exactly 3 months: missing
        rd.member(home, "Gus", "child_member", date_of_birth="2007-10-01")  # 18 in more than 3 months
        rd.member(home, "Hal", "adult_member")  # no certificate: missing, needed now
        rd.member(home, "Ivy", left="2025-06-01")  # has left
        rd.member(home, "Jo", "adult_member", joined="2025-07-01")  # not yet joined
        rd.member(home, "Kit", "child_member", date_of_birth="2007-01-01")  # 18 already: missing, needed now
        rd.dbs_check(rd.member(home, "Lee", "adult_member"), "2025-07-15")  # certificate issued later: missing
        gone = rd.household("D2", "mainstream", "2020-01-01", deregistration_date="2025-06-01")
        rd.member(gone, "Max")
        later = rd.household("D3", "mainstream", "2025-07-01")
        rd.member(later, "Ned")
        db.session.commit()

    document = run_report(app, "dbs", "2025-06-30")
    assert {
        key: document[key] for key in ("as_of", "people_requiring", "current", "due_soon", "expired", "missing")
    } == {
        "as_of": d("2025-06-30"),
        "people_requiring": 9,  # Alice Bob Cy Dan Eli Fay Hal Kit Lee
        "current": 2,  # Alice, Dan
        "due_soon": 1,  # Bob
        "expired": 2,  # Cy, Eli
        "missing": 4,  # Fay, Hal, Kit, Lee
    }
    # Expired and missing first by due date (then as recorded), due soon last.
    assert [(e["household_reference"], e["name"], e["status"], e["due_date"]) for e in document["exceptions"]] == [
        ("D1", "Eli", "expired", d("2025-01-01")),
        ("D1", "Cy", "expired", d("2025-06-29")),
        ("D1", "Hal", "missing", d("2025-06-30")),
        ("D1", "Kit", "missing", d("2025-06-30")),
        ("D1", "Lee", "missing", d("2025-06-30")),
        ("D1", "Fay", "missing", d("2025-09-30")),  # her 18th birthday
        ("D1", "Bob", "due_soon", d("2025-08-01")),
    ]

    # A year earlier every certificate was current (Eli's renews 185 days later); Fay and Kit were more
    # than 3 months from 18; Jo had not joined but Ivy had not left; D2 was still approved (Max).
    earlier = run_report(app, "dbs", "2024-06-30")
    assert (
        earlier["people_requiring"],
        earlier["current"],
        earlier["due_soon"],
        earlier["expired"],
        earlier["missing"],
    ) == (9, 5, 0, 0, 4)
    assert [(e["household_reference"], e["name"]) for e in earlier["exceptions"]] == [
        ("D1", "Hal"),
        ("D1", "Ivy"),
        ("D1", "Lee"),
        ("D2", "Max"),
    ]


def test_staying_put_active_and_ending(app):
    with app.app_context(), acting_as("test setup"):
        home = rd.household("SP", "mainstream", "2015-01-01")
        rd.staying_put(home, "YP1", "2006-01-01", "2024-01-01")  # 21 on 1 Jan 2027
        rd.staying_put(home, "YP2", "2004-06-30", "2023-01-01")  # 21 on the as-of day: ended
        rd.staying_put(home, "YP3", "2004-07-01", "2023-01-01")  # 21 tomorrow: ending
        rd.staying_put(home, "YP4", "2006-01-01", "2024-01-01", "2025-06-30")  # ended on the day
        rd.staying_put(home, "YP5", "2006-01-01", "2025-07-01")  # not started
        rd.staying_put(home, "YP6", "2006-01-01", "2024-01-01", "2025-09-28")  # planned end in 90 days: ending
        rd.staying_put(home, "YP7", "2006-01-01", "2024-01-01", "2025-09-29")  # 91 days: not ending
        db.session.commit()
    document = run_report(app, "staying-put", "2025-06-30")
    assert (document["as_of"], document["active"], document["ending_within_90_days"]) == (d("2025-06-30"), 4, 2)
    assert [
        (r["young_person_reference"], r["ends_on"], r["days_to_end"], r["ending_within_90_days"])
        for r in document["rows"]
    ] == [
        ("YP1", d("2027-01-01"), 550, False),
        ("YP3", d("2025-07-01"), 1, True),
        ("YP6", d("2025-09-28"), 90, True),
        ("YP7", d("2025-09-29"), 91, False),
    ]
    # A year earlier YP2 (21 on 30 June 2025) and YP4 were active too; nobody was within 90 days of the end.
    earlier = run_report(app, "staying-put", "2024-06-30")
    assert (earlier["active"], earlier["ending_within_90_days"]) == (6, 0)
