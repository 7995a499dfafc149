"""The step forms on a case, through the real pages: each records its piece, moves the stage and is refused when wrong."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.clocks import add_working_days
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.models.audit import AuditEvent
from carertrack.models.case import CarerType, Case, ClosedReason, Stage, Stage1Decision
from carertrack.models.case_records import CheckKind, Stage1Check, StageChange
from carertrack.models.user import Role, User
from tests.case_factories import make_case
from tests.factories import make_user
from tests.forms import page_forms, submit

TODAY = date.today()


def uk(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def days_ago(n: int) -> str:
    return uk(TODAY - timedelta(days=n))


def load(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def stages(app, case_id):
    with app.app_context():
        return [
            c.to_stage
            for c in db.session.scalars(
                select(StageChange).where(StageChange.case_id == case_id).order_by(StageChange.id)
            )
        ]


def test_the_journey_from_enquiry_to_ready_for_panel(app, client, social_worker):
    case_id = make_case(app, intake_worker_id=social_worker.id, enquiry_date=TODAY - timedelta(days=60))
    base = f"/cases/{case_id}"

    assert submit(client, f"{base}/first-contact", {"contact_date": days_ago(59)}).status_code == 302
    response = submit(client, f"{base}/initial-visit", {"visit_date": days_ago(50), "outcome": "invite_to_apply"})
    assert response.status_code == 302
    assert load(app, case_id).stage == Stage.INITIAL_VISIT
    assert load(app, case_id).initial_visit_worker_id == social_worker.id

    assert submit(client, f"{base}/application", {"application_date": days_ago(40)}).status_code == 302
    case = load(app, case_id)
    assert case.stage == Stage.APPLICATION
    with app.app_context():
        checks = db.session.scalars(select(Stage1Check).where(Stage1Check.case_id == case_id)).all()
        kinds = sorted(c.kind.value for c in checks)
        assert kinds.count("personal_reference") == 2 and "dbs" in kinds and "home_safety" in kinds
        check_ids = [c.id for c in checks]

    # A decision to proceed before every check is received is refused.
    response = submit(client, f"{base}/stage1-decision", {"decision": "proceed", "decision_date": days_ago(1)})
    assert response.status_code == 400
    assert "You cannot decide to proceed until every Stage 1 check is received" in response.get_data(as_text=True)

    for check_id in check_ids:
        response = submit(
            client,
            f"{base}/checks/{check_id}",
            {"requested_date": days_ago(35), "received_date": days_ago(20), "outcome": "satisfactory"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    assert load(app, case_id).stage == Stage.STAGE1

    response = submit(client, f"{base}/stage1-decision", {"decision": "proceed", "decision_date": days_ago(10)})
    assert response.status_code == 302
    assert load(app, case_id).stage == Stage.STAGE2

    assert (
        submit(client, f"{base}/sessions/new", {"session_date": days_ago(8), "kind": "home_visit"}).status_code == 302
    )
    response = submit(
        client, f"{base}/stage2", {"preparation_training_date": days_ago(7), "report_completed_date": days_ago(2)}
    )
    assert response.status_code == 302
    predicted = TODAY + timedelta(days=30)
    assert submit(client, f"{base}/predicted-panel-date", {"predicted_panel_date": uk(predicted)}).status_code == 302

    case = load(app, case_id)
    assert case.stage == Stage.READY_FOR_PANEL
    assert case.predicted_panel_date == predicted
    assert stages(app, case_id) == [
        Stage.INITIAL_VISIT,
        Stage.APPLICATION,
        Stage.STAGE1,
        Stage.STAGE2,
        Stage.READY_FOR_PANEL,
    ]

    page = client.get(base).get_data(as_text=True)
    assert "8 months to panel recommendation" in page
    assert "Moved to Ready for panel" in page
    assert "Stage 1 checks added" in page  # the checklist is one timeline entry, not one per check
    assert "On track" in page


def test_the_case_page_shows_clock_tags_with_words_and_days(app, client, manager):
    case_id = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        enquiry_date=TODAY - timedelta(days=300),
        application_date=TODAY - timedelta(days=250),
        placement_date=TODAY - timedelta(days=100),
    )
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Regulation 24 temporary approval" in page
    assert "govuk-tag--red" in page and ">Breached<" in page.replace("\n", "").replace(" ", "")
    assert "days overdue" in page or "days left" in page


def test_application_before_enquiry_is_refused_on_the_page(app, client, social_worker):
    case_id = make_case(app, intake_worker_id=social_worker.id, enquiry_date=TODAY - timedelta(days=10))
    response = submit(client, f"/cases/{case_id}/application", {"application_date": days_ago(11)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The date the application was received must be the same as or after the enquiry date" in page
    assert load(app, case_id).application_date is None


def test_initial_visit_before_enquiry_and_in_the_future_are_refused(app, client, social_worker):
    case_id = make_case(app, intake_worker_id=social_worker.id, enquiry_date=TODAY - timedelta(days=10))
    page = submit(
        client, f"/cases/{case_id}/initial-visit", {"visit_date": days_ago(11), "outcome": "invite_to_apply"}
    ).get_data(as_text=True)
    assert "The initial visit date must be the same as or after the enquiry date" in page
    page = submit(
        client,
        f"/cases/{case_id}/initial-visit",
        {"visit_date": uk(TODAY + timedelta(days=1)), "outcome": "invite_to_apply"},
    ).get_data(as_text=True)
    assert "The initial visit date must be today or in the past" in page


def test_not_progressing_after_the_initial_visit_closes_the_case(app, client, social_worker):
    case_id = make_case(app, intake_worker_id=social_worker.id, enquiry_date=TODAY - timedelta(days=10))
    response = submit(
        client, f"/cases/{case_id}/initial-visit", {"visit_date": days_ago(2), "outcome": "not_progressing"}
    )
    page = response.get_data(as_text=True)
    assert "Enter why the enquiry is not progressing" in page
    assert "Select the reason to record for closing the case" in page
    response = submit(
        client,
        f"/cases/{case_id}/initial-visit",
        {
            "visit_date": days_ago(2),
            "outcome": "not_progressing",
            "reason": "Spare room too small",
            "closed_reason": "counselled_out",
        },
    )
    assert response.status_code == 302
    case = load(app, case_id)
    assert case.closed_date == TODAY - timedelta(days=2)
    assert case.closed_reason == ClosedReason.COUNSELLED_OUT
    # A closed case refuses further steps but still takes notes.
    follow = client.get(f"/cases/{case_id}/application")
    assert follow.status_code == 302
    assert submit(client, f"/cases/{case_id}/notes/new", {"text": "Sent a letter."}).status_code == 302


def test_stage1_not_proceeding_needs_reasons_and_closes_the_case(app, client, social_worker):
    case_id = make_case(
        app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=20), checklist=True
    )
    page = submit(
        client, f"/cases/{case_id}/stage1-decision", {"decision": "not_proceed", "decision_date": days_ago(1)}
    ).get_data(as_text=True)
    assert "Enter the reasons for not proceeding" in page
    submit(
        client,
        f"/cases/{case_id}/stage1-decision",
        {"decision": "not_proceed", "decision_date": days_ago(1), "reasons": "Unsafe home."},
    )
    case = load(app, case_id)
    assert case.stage1_decision == Stage1Decision.NOT_PROCEED
    assert case.closed_reason == ClosedReason.UNSUITABLE_STAGE1


def test_adding_a_member_updates_the_checklist(app, client, social_worker):
    case_id = make_case(
        app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=20), checklist=True
    )
    adult_born = date(TODAY.year - 30, 1, 1)
    child_born = date(TODAY.year - 9, 1, 1)
    submit(
        client,
        f"/cases/{case_id}/members/new",
        {"name": "Lee Lodger", "date_of_birth": uk(adult_born), "relation": "lodger", "lives_there": "yes"},
    )
    submit(
        client,
        f"/cases/{case_id}/members/new",
        {"name": "Kit Child", "date_of_birth": uk(child_born), "relation": "child", "lives_there": "yes"},
    )
    with app.app_context():
        checks = db.session.scalars(select(Stage1Check).where(Stage1Check.case_id == case_id)).all()
        about = {(c.kind, c.subject) for c in checks}
        assert (CheckKind.DBS, "Lee Lodger") in about
        assert (CheckKind.SCHOOL, "Kit Child") in about
        assert (CheckKind.DBS, "Kit Child") not in about
        lodger_dbs = next(c for c in checks if c.kind == CheckKind.DBS and c.subject == "Lee Lodger")
        lodger_la = next(c for c in checks if c.kind == CheckKind.LA_CHECKS and c.subject == "Lee Lodger")
        member_id = lodger_dbs.member_id
        dbs_id, la_id = lodger_dbs.id, lodger_la.id
    submit(
        client,
        f"/cases/{case_id}/checks/{dbs_id}",
        {"requested_date": days_ago(3), "received_date": days_ago(1), "outcome": "satisfactory"},
    )
    # Removing the lodger keeps their received DBS and drops the untouched check.
    response = submit(client, f"/cases/{case_id}/members/{member_id}", {}, form_index=1)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Stage1Check, la_id) is None
        kept = db.session.get(Stage1Check, dbs_id)
        assert kept is not None and kept.member_id is None and "no longer in the household" in kept.subject


def test_temporary_approval_and_one_extension(app, client, social_worker):
    mainstream = make_case(app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=20))
    response = submit(
        client, f"/cases/{mainstream}/placement", {"child_reference": "C1", "placement_date": days_ago(5)}
    )
    assert "A temporary approval can only be recorded on a connected person case" in response.get_data(as_text=True)

    connected = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        allocated_worker_id=social_worker.id,
        application_date=TODAY - timedelta(days=100),
    )
    assert (
        submit(
            client, f"/cases/{connected}/placement", {"child_reference": "C-77", "placement_date": days_ago(100)}
        ).status_code
        == 302
    )
    extension = {
        "granted_date": days_ago(1),
        "weeks": "9",
        "nominated_officer": "Director of Children's Services",
        "panel_views_date": days_ago(3),
        "iro_informed_date": days_ago(2),
    }
    response = submit(client, f"/cases/{connected}/extension", extension)
    assert "The extension must be between 1 and 8 weeks" in response.get_data(as_text=True)
    extension["weeks"] = "8"
    assert submit(client, f"/cases/{connected}/extension", extension).status_code == 302
    case = load(app, connected)
    assert case.extension_weeks == 8
    assert case.reg24_deadline == case.placement_date + timedelta(weeks=24)
    # A second extension is refused (on the page and if posted anyway).
    assert client.get(f"/cases/{connected}/extension").status_code == 302
    page = client.get(f"/cases/{connected}").get_data(as_text=True)
    assert "8 weeks, granted on" in page


def test_second_extension_post_is_refused(app, client, manager):
    connected = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        application_date=TODAY - timedelta(days=100),
        placement_date=TODAY - timedelta(days=100),
        extension_granted_date=TODAY - timedelta(days=5),
        extension_weeks=4,
    )
    # Build the form from a fresh connected case's page, then post it at the extended one.
    other = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        application_date=TODAY - timedelta(days=50),
        placement_date=TODAY - timedelta(days=50),
    )
    html = client.get(f"/cases/{other}/extension").get_data(as_text=True)
    fields = dict(next(f for f in page_forms(html) if f["method"] == "post" and "weeks" in dict(f["fields"]))["fields"])
    fields.update({"granted_date": days_ago(1), "weeks": "2", "nominated_officer": "N. Officer", "version": "1"})
    response = client.post(f"/cases/{connected}/extension", data=fields)
    assert response.status_code == 400
    assert "Regulation 25 allows only one extension" in response.get_data(as_text=True)
    assert load(app, connected).extension_weeks == 4


def test_delays_notes_and_closure(app, client, social_worker):
    case_id = make_case(app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=40))
    submit(client, f"/cases/{case_id}/delays/new", {"reason": "Bereavement", "start_date": days_ago(10)})
    case = load(app, case_id)
    assert case.delay_reason == "Bereavement"
    with app.app_context():
        delay_id = db.session.get(Case, case_id).delays[0].id
    response = submit(client, f"/cases/{case_id}/delays/{delay_id}/end", {"end_date": days_ago(12)})
    assert "The date the delay ended must be the same as or after the date it started" in response.get_data(
        as_text=True
    )
    assert submit(client, f"/cases/{case_id}/delays/{delay_id}/end", {"end_date": days_ago(2)}).status_code == 302
    response = submit(client, f"/cases/{case_id}", {"text": "Spoke to both applicants."})
    assert response.status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Spoke to both applicants." in page
    assert "Delay recorded" in page
    response = submit(
        client, f"/cases/{case_id}/close", {"closed_date": days_ago(1), "closed_reason": "AW3", "note": "Moving abroad"}
    )
    assert response.status_code == 302
    case = load(app, case_id)
    assert case.closed_reason == ClosedReason.AW3
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Closed on" in page and "AW3: household circumstances changed" in page


def test_an_edit_conflict_keeps_what_was_typed(app, client, social_worker):
    case_id = make_case(app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=40))
    html = client.get(f"/cases/{case_id}/predicted-panel-date").get_data(as_text=True)
    fields = dict(next(f for f in page_forms(html) if "predicted_panel_date" in dict(f["fields"]))["fields"])
    # Someone else changes the case in between.
    other = make_user(app, Role.MANAGER)
    with app.app_context():
        person = db.session.get(User, other.id)
        with acting_as(person):
            db.session.get(Case, case_id).predicted_panel_date = TODAY + timedelta(days=10)
            db.session.commit()
    typed = uk(TODAY + timedelta(days=60))
    fields["predicted_panel_date"] = typed
    response = client.post(f"/cases/{case_id}/predicted-panel-date", data=fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"This record was changed by {other.name}" in page
    assert f'value="{typed}"' in page
    assert load(app, case_id).predicted_panel_date == TODAY + timedelta(days=10)


def test_every_change_is_audited_against_the_case(app, client, social_worker):
    case_id = make_case(
        app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=40), checklist=True
    )
    with app.app_context():
        check_id = db.session.scalars(select(Stage1Check.id).where(Stage1Check.case_id == case_id)).first()
    submit(client, f"/cases/{case_id}/checks/{check_id}", {"requested_date": days_ago(3)})
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "Stage1Check", AuditEvent.action == "update")
        ).all()
        assert events and events[-1].parent_type == "Case" and events[-1].parent_id == str(case_id)
        assert events[-1].actor_id == social_worker.id


def test_the_brief_report_route(app, client, social_worker):
    case_id = make_case(app, allocated_worker_id=social_worker.id, application_date=TODAY - timedelta(days=60))
    base = f"/cases/{case_id}"
    # Shared before the application, or in the future: refused, and nothing is saved.
    response = submit(client, f"{base}/brief-report", {"brief": "yes", "shared_date": days_ago(61)})
    assert response.status_code == 400
    assert "The date the brief report was shared must be the same as or after" in response.get_data(as_text=True)
    response = submit(client, f"{base}/brief-report", {"brief": "yes", "shared_date": uk(TODAY + timedelta(days=1))})
    assert response.status_code == 400
    assert "must be today or in the past" in response.get_data(as_text=True)
    assert load(app, case_id).brief_report is False

    shared = TODAY - timedelta(days=3)
    assert submit(client, f"{base}/brief-report", {"brief": "yes", "shared_date": uk(shared)}).status_code == 302
    case = load(app, case_id)
    assert case.brief_report is True and case.brief_report_shared_date == shared
    page = client.get(base).get_data(as_text=True)
    due = add_working_days(shared, 10)
    assert f"shared with the applicant on {format_date(shared)}. Comments due by {format_date(due)}" in page

    # Going back to a full assessment clears the shared date.
    assert submit(client, f"{base}/brief-report", {"brief": "no"}).status_code == 302
    case = load(app, case_id)
    assert case.brief_report is False and case.brief_report_shared_date is None


def test_an_extension_pending_an_irm_outcome(app, client, manager):
    unplaced = make_case(app, carer_type=CarerType.CONNECTED, application_date=TODAY - timedelta(days=30))
    response = submit(client, f"/cases/{unplaced}/irm", {"pending": "yes"})
    assert response.status_code == 400
    assert "Record the date the child was placed first" in response.get_data(as_text=True)
    assert load(app, unplaced).extension_pending_irm is False

    placed = make_case(
        app,
        carer_type=CarerType.CONNECTED,
        application_date=TODAY - timedelta(days=120),
        placement_date=TODAY - timedelta(days=115),
    )
    assert submit(client, f"/cases/{placed}/irm", {"pending": "yes"}).status_code == 302
    assert load(app, placed).extension_pending_irm is True
    page = client.get(f"/cases/{placed}").get_data(as_text=True)
    assert "extended until the Independent Review Mechanism outcome is known" in page
