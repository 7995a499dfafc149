"""What each person's home page offers. Later areas append their actions and panels here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_login import current_user

from carertrack.access import rule_for


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
    HomeAction(
        "Manage user accounts", "Create accounts, change roles, deactivate and reactivate people.", "admin.users"
    ),
    HomeAction(
        "Change settings", "Lead times, targets and lock-out rules your service sets for itself.", "admin.settings"
    ),
    HomeAction("Read the audit log", "Who changed what and when, for every record.", "audit.search"),
    HomeAction("Change your password", "Keep your account secure.", "auth.change_password"),
]

PANELS: list[HomePanel] = []


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
