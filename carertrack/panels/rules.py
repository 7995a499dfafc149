"""The panel's rules, in one place: quorum, capacity, papers, the ADM and IRM clocks, what needs a decision.

Pages, reports, reminders and the demo all call these; nothing here writes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from carertrack import clocks, compliance
from carertrack.models.panel import CHAIRING_ROLES, MeetingStatus, PanelMeeting, PanelMember, PanelRole
from carertrack.models.panel_agenda import (
    AgendaItem,
    Decision,
    DeterminationKind,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.settings import get_setting

APPROVAL_KINDS = frozenset({ItemKind.NEW_APPROVAL, ItemKind.CONNECTED_APPROVAL})
# Items whose "approve" recommendation carries terms of approval (places, ages, placement types).
TERMS_KINDS = frozenset(
    {
        ItemKind.NEW_APPROVAL,
        ItemKind.CONNECTED_APPROVAL,
        ItemKind.FIRST_ANNUAL_REVIEW,
        ItemKind.OTHER_REVIEW,
        ItemKind.CHANGE_OF_TERMS,
    }
)
REVIEW_KINDS = frozenset({ItemKind.FIRST_ANNUAL_REVIEW, ItemKind.OTHER_REVIEW})

# ---------------------------------------------------------------------------------------------------
# Quorum


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def quorum_problems(
    members: Iterable[PanelMember],
    *,
    chair_id: int | None = None,
    minimum: int | None = None,
    social_worker_years: int | None = None,
) -> list[str]:
    """What stops these members making a quorum, in words; an empty list means quorate.

    The quorum (a setting, default 5) must include the chair or a vice-chair and a social worker with
    enough post-qualifying experience (a setting, default 3 years). The meeting's own chair counts as
    chairing whatever their role on the central list.
    """
    members = list(members)
    minimum = int(get_setting("quorum_minimum")) if minimum is None else minimum
    years = int(get_setting("quorum_social_worker_years")) if social_worker_years is None else social_worker_years
    problems = []
    if len(members) < minimum:
        problems.append(f"{_plural(len(members), 'member')}, fewer than the quorum of {minimum}")
    if not any(m.role in CHAIRING_ROLES or (chair_id is not None and m.id == chair_id) for m in members):
        problems.append("No chair or vice-chair")
    if not any(m.role is PanelRole.SOCIAL_WORKER and (m.experience_years or 0) >= years for m in members):
        problems.append(f"No social worker with at least {_plural(years, 'year')}' post-qualifying experience")
    return problems


@dataclass(frozen=True)
class QuorumView:
    """The quorum as a page shows it: recorded at the meeting, or forecast from expected attendance."""

    recorded: bool
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when quorate (or expected to be)."""
        return not self.problems

    @property
    def text(self) -> str:
        """Short words for a tag."""
        if self.recorded:
            return "Quorate" if self.ok else "Not quorate"
        return "Quorum expected" if self.ok else "Quorum at risk"

    @property
    def colour(self) -> str:
        """The tag colour."""
        return "green" if self.ok else "red"


def meeting_quorum(meeting: PanelMeeting) -> QuorumView | None:
    """The recorded quorum when attendance is recorded; else the forecast from who is expected.

    None for a cancelled meeting. Uses the meeting's loaded attendance (no query of its own).
    """
    if meeting.status is MeetingStatus.CANCELLED:
        return None
    if meeting.quorate is not None:
        problems = [line for line in (meeting.quorum_problems or "").splitlines() if line.strip()]
        return QuorumView(True, problems)
    expected = [row.member for row in meeting.attendance if row.expected]
    return QuorumView(False, quorum_problems(expected, chair_id=meeting.chair_id))


# ---------------------------------------------------------------------------------------------------
# Meetings, capacity and papers


def papers_deadline_for(meeting_date: date) -> date:
    """The day papers must reach members: N working days before the meeting (NMS 14.3; setting, 5)."""
    return clocks.papers_deadline(meeting_date, int(get_setting("papers_working_days")))


def takes_bookings(meeting: PanelMeeting) -> bool:
    """Only scheduled meetings take new or moved items (never cancelled or held ones)."""
    return meeting.status is MeetingStatus.SCHEDULED


def is_full(meeting: PanelMeeting, booked: int) -> bool:
    """True when the meeting already has as many items as its capacity."""
    return booked >= meeting.capacity


def case_can_go_to_panel(case: Any) -> bool:
    """A case can be booked once its application is in, while it is open and has no ADM decision yet."""
    return case.application_date is not None and case.closed_date is None and case.decision is None


def household_can_go_to_panel(household: Any, as_of: date) -> bool:
    """A household can be booked (a review, change of terms or termination) while it is approved."""
    return compliance.is_approved_on(household, as_of)


class PapersStatus(enum.StrEnum):
    """Where an item's papers stand against the meeting's deadline."""

    RECEIVED = "received"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """Words for a tag."""
        return {"received": "Papers received", "late": "Papers late", "due": "Papers due"}.get(
            self.value, "Papers overdue"
        )

    @property
    def colour(self) -> str:
        """The tag colour."""
        return {"received": "green", "late": "orange", "due": "blue"}.get(self.value, "red")


def papers_status(received_on: date | None, deadline: date, as_of: date) -> PapersStatus:
    """Received (in time), late (received after the deadline), due, or overdue (deadline passed, none)."""
    if received_on is not None:
        return PapersStatus.LATE if received_on > deadline else PapersStatus.RECEIVED
    return PapersStatus.OVERDUE if as_of > deadline else PapersStatus.DUE


def papers_clock(item: AgendaItem, deadline: date, as_of: date) -> clocks.Clock:
    """The papers-to-panel clock of one item: stopped when the papers arrive."""
    return clocks.make_clock(
        "Papers to panel",
        "papers",
        deadline,
        as_of,
        stopped_on=item.papers_received_on,
        lead_days=int(get_setting("short_clock_at_risk_days")),
    )


# ---------------------------------------------------------------------------------------------------
# Outcomes and the ADM decision


def needs_decision(item: AgendaItem) -> bool:
    """A recommendation to approve or not approve waits for the agency decision maker's decision."""
    return item.active and item.recommendation in (Recommendation.APPROVE, Recommendation.NOT_APPROVE)


def adm_trigger(item: AgendaItem) -> date | None:
    """The later of the recommendation and the final minutes; None until both are known."""
    if item.recommendation_date is None or item.minutes_received_on is None:
        return None
    return max(item.recommendation_date, item.minutes_received_on)


def adm_clock(item: AgendaItem, as_of: date) -> clocks.Clock | None:
    """The ADM decision clock (NMS 14; setting, 7 working days); None until the minutes arrive."""
    trigger = adm_trigger(item)
    if trigger is None or not (needs_decision(item) or item.decision is not None):
        return None
    deadline = clocks.adm_deadline(trigger, int(get_setting("adm_working_days")))
    return clocks.make_clock(
        "ADM decision",
        "adm",
        deadline,
        as_of,
        stopped_on=item.decision.decided_on if item.decision is not None else None,
        lead_days=int(get_setting("short_clock_at_risk_days")),
    )


def determination_kind(item: AgendaItem, decision: Decision) -> DeterminationKind | None:
    """Whether a decision is a qualifying determination, and which.

    Refusing an applicant is a refusal; ending a household's approval (at a review or a termination
    item) is a termination; approving a change of terms is a change of terms. Refusing a proposed
    change of terms keeps the current ones, and a regulation 25 extension is not a determination.
    """
    if decision is Decision.NOT_APPROVED:
        if item.kind in APPROVAL_KINDS or item.kind is ItemKind.BRIEF_REPORT:
            return DeterminationKind.REFUSAL
        if item.kind in REVIEW_KINDS or item.kind is ItemKind.TERMINATION:
            return DeterminationKind.TERMINATION
        return None
    if item.kind is ItemKind.CHANGE_OF_TERMS:
        return DeterminationKind.CHANGE_OF_TERMS
    return None


def irm_stopped_on(determination: QualifyingDetermination) -> date | None:
    """The window stops at representations, an IRM application or the final decision, whichever is first."""
    dates = [
        d
        for d in (
            determination.representations_received_on,
            determination.irm_applied_on,
            determination.final_decision_date,
        )
        if d is not None
    ]
    return min(dates) if dates else None


def irm_clock(determination: QualifyingDetermination, as_of: date) -> clocks.Clock | None:
    """The 28 calendar days for representations or an IRM application; None until the letter is sent."""
    if determination.letter_date is None:
        return None
    return clocks.make_clock(
        "IRM window",
        "irm",
        clocks.irm_deadline(determination.letter_date),
        as_of,
        stopped_on=irm_stopped_on(determination),
        lead_days=int(get_setting("short_clock_at_risk_days")),
    )


# ---------------------------------------------------------------------------------------------------
# Words


RECOMMENDATION_LABELS: dict[ItemKind | None, dict[Recommendation, str]] = {
    None: {
        Recommendation.APPROVE: "Approve",
        Recommendation.NOT_APPROVE: "Do not approve",
        Recommendation.DEFER: "Defer",
    },
    ItemKind.FIRST_ANNUAL_REVIEW: {
        Recommendation.APPROVE: "Approval continues",
        Recommendation.NOT_APPROVE: "Approval ends",
        Recommendation.DEFER: "Defer",
    },
    ItemKind.TERMINATION: {
        Recommendation.APPROVE: "Approval continues (do not terminate)",
        Recommendation.NOT_APPROVE: "Terminate approval",
        Recommendation.DEFER: "Defer",
    },
    ItemKind.BRIEF_REPORT: {
        Recommendation.APPROVE: "Assessment to continue",
        Recommendation.NOT_APPROVE: "Do not approve",
        Recommendation.DEFER: "Defer",
    },
    ItemKind.REG25_EXTENSION: {
        Recommendation.APPROVE: "Supports the extension",
        Recommendation.NOT_APPROVE: "Does not support the extension",
        Recommendation.DEFER: "Defer",
    },
}
RECOMMENDATION_LABELS[ItemKind.OTHER_REVIEW] = RECOMMENDATION_LABELS[ItemKind.FIRST_ANNUAL_REVIEW]
RECOMMENDATION_LABELS[ItemKind.CHANGE_OF_TERMS] = {
    Recommendation.APPROVE: "Approve the new terms",
    Recommendation.NOT_APPROVE: "Keep the current terms",
    Recommendation.DEFER: "Defer",
}

DECISION_LABELS: dict[ItemKind | None, dict[Decision, str]] = {
    None: {Decision.APPROVED: "Approved", Decision.NOT_APPROVED: "Not approved"},
    ItemKind.FIRST_ANNUAL_REVIEW: {Decision.APPROVED: "Approval continues", Decision.NOT_APPROVED: "Approval ends"},
    ItemKind.TERMINATION: {Decision.APPROVED: "Approval continues", Decision.NOT_APPROVED: "Approval terminated"},
    ItemKind.CHANGE_OF_TERMS: {Decision.APPROVED: "New terms approved", Decision.NOT_APPROVED: "Current terms kept"},
    ItemKind.BRIEF_REPORT: {Decision.APPROVED: "Assessment continues", Decision.NOT_APPROVED: "Not approved"},
    ItemKind.REG25_EXTENSION: {Decision.APPROVED: "Extension agreed", Decision.NOT_APPROVED: "Extension refused"},
}
DECISION_LABELS[ItemKind.OTHER_REVIEW] = DECISION_LABELS[ItemKind.FIRST_ANNUAL_REVIEW]


def recommendation_label(kind: ItemKind, recommendation: Recommendation | None) -> str:
    """The recommendation in the words that fit the item's kind."""
    if recommendation is None:
        return ""
    return RECOMMENDATION_LABELS.get(kind, RECOMMENDATION_LABELS[None])[recommendation]


def decision_label(kind: ItemKind, decision: Decision | None) -> str:
    """The decision in the words that fit the item's kind."""
    if decision is None:
        return ""
    return DECISION_LABELS.get(kind, DECISION_LABELS[None])[decision]
