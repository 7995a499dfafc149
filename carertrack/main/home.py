"""What each person's home page offers. Later areas append their actions and panels here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_login import current_user

from carertrack.access import rule_for
from carertrack.cases import home as cases_home
from carertrack.households import home as households_home
from carertrack.panels import home as panels_home
from carertrack.reminders import home as reminders_home
from carertrack.reports import home as reports_home


@dataclass(frozen=True)
class HomeAction:
    """A thing a person can do next, shown when the target route's access rule lets them."""

    title: str
    description: str
    endpoint: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class HomePanel:
    """A block of live information on the home page, rendered from a template with a context."""

    template: str
    context: Callable[[Any], dict]
    applies: Callable[[Any], bool]


ACTIONS: list[HomeAction] = [
    HomeAction("Record a new enquiry", "Someone has asked about fostering: take their details.", "cases.new_enquiry"),
    HomeAction("See your cases", "Your allocated assessments, most urgent first.", "cases.my_cases"),
    HomeAction(
        "See the pipeline", "Every open case by stage, with breaches and risks, filters and search.", "cases.pipeline"
    ),
    HomeAction("See open enquiries", "Enquiries waiting for first contact or an initial visit.", "cases.enquiries"),
    HomeAction(
        "Manage user accounts", "Create accounts, change roles, deactivate and reactivate people.", "admin.users"
    ),
    HomeAction(
        "Change settings", "Lead times, targets and lock-out rules your service sets for itself.", "admin.settings"
    ),
    HomeAction("Read the audit log", "Who changed what and when, for every record.", "audit.search"),
    HomeAction("Change your password", "Keep your account secure.", "auth.change_password"),
    HomeAction("Choose your reminder emails", "Turn your daily reminder email on or off.", "reminders.preferences"),
    HomeAction("See the outbox", "Every email CarerTrack has written, sent or is retrying.", "reminders.outbox_list"),
    HomeAction(
        "Find a household", "Approved households: people, DBS checks, reviews and placements.", "households.index"
    ),
    HomeAction(
        "Check DBS compliance", "Everyone in an approved household whose DBS is not current.", "households.compliance"
    ),
    HomeAction(
        "Staying put", "Young people staying with their former foster carers until 21.", "households.staying_put"
    ),
    HomeAction(
        "See the panel calendar", "Panel meetings, agendas, papers, attendance and outcomes.", "panels.calendar"
    ),
    HomeAction("Schedule a panel meeting", "Add a date to the panel calendar.", "panels.new_meeting"),
    HomeAction(
        "See ADM decisions awaited",
        "Recommendations waiting for the agency decision maker.",
        "panels.decisions_awaited",
    ),
    HomeAction("See your panel items", "Items you present and your cases' panel bookings.", "panels.my_items"),
    HomeAction("Open the dashboard", "The quarterly report at a glance, as of any date.", "reports.dashboard"),
    HomeAction("Run a report", "Every figure with CSV and JSON downloads, and the annual return.", "reports.index"),
    HomeAction(
        "Import a spreadsheet",
        "Bring cases, households, people and staying put in from your tracker.",
        "imports.upload",
    ),
]

PANELS: list[HomePanel] = [
    HomePanel("reminders/_home_panel.html", reminders_home.context, reminders_home.applies),
    HomePanel("cases/_home_worker.html", cases_home.worker_context, cases_home.worker_applies),
    HomePanel("cases/_home_manager.html", cases_home.manager_context, cases_home.manager_applies),
    HomePanel("households/_home_panel.html", households_home.context, households_home.applies),
    HomePanel("panels/_home_panel.html", panels_home.context, panels_home.applies),
    HomePanel("reports/_home_panel.html", reports_home.context, reports_home.applies),
]


def actions_for(user: Any) -> list[tuple[HomeAction, str]]:
    """The actions this person may take, with their links."""
    result = []
    for action in ACTIONS:
        rule = rule_for(action.endpoint)
        if rule is not None and rule.allows(user):
            result.append((action, url_for(action.endpoint, **action.values)))
    return result


def panels_for(user: Any) -> list[tuple[str, dict]]:
    """The live panels that apply to this person, each with its template and context."""
    return [(panel.template, panel.context(user)) for panel in PANELS if panel.applies(user)]


def current_actions() -> list[tuple[HomeAction, str]]:
    """actions_for the signed-in person."""
    return actions_for(current_user)
