"""The assessment rules, once: a case's clocks and statuses, who is in assessment, its stage, its checklist.

Plain functions of a case (or its values) and an as-of date: no request, no writes. Pages, reports,
reminders and the import all call these, so they can never disagree. Settings are passed in as a
``ClockSettings``; :meth:`ClockSettings.current` reads them for callers that have an app context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from carertrack.clocks import (
    Clock,
    ClockStatus,
    add_working_days,
    eight_month_deadline,
    first_contact_deadline,
    make_clock,
    worst,
)
from carertrack.dates import today  # noqa: F401 - callers use rules.today(), the service's day
from carertrack.models.case import (
    STOPPING_RECOMMENDATIONS,
    CarerType,
    Case,
    Stage,
    Stage1Decision,
    compute_deadlines,
)
from carertrack.models.case_records import CheckKind, MemberRelation, Stage1Check

EIGHT_MONTH = "eight_month"
REG24 = "reg24"
FIRST_CONTACT = "first_contact"
CLOCK_NAMES = {
    EIGHT_MONTH: "8 months to panel recommendation",
    REG24: "Regulation 24 temporary approval",
    FIRST_CONTACT: "First contact",
}
# The clocks that make up a case's timescale status (CONTRACTS 3): first contact is not one of them.
TIMESCALE_CLOCKS = (EIGHT_MONTH, REG24)
BRIEF_REPORT_COMMENT_WORKING_DAYS = 10  # the applicant's 10 working days to comment (DOMAIN.md)
MINIMUM_PERSONAL_REFERENCES = 2  # FSR 2011 reg 26(1A)(c)


@dataclass(frozen=True)
class ClockSettings:
    """The local-practice figures the clocks use."""

    lead_days: int = 42
    short_lead_days: int = 2
    first_contact_days: int = 2

    @classmethod
    def current(cls) -> ClockSettings:
        """The values an administrator has set (needs an app context)."""
        from carertrack.settings import get_setting

        return cls(
            lead_days=int(get_setting("at_risk_lead_days")),
            short_lead_days=int(get_setting("short_clock_at_risk_days")),
            first_contact_days=int(get_setting("first_contact_working_days")),
        )


def _happened(day: date | None, as_of: date) -> date | None:
    """The date if it is on or before as_of; an event dated later has not happened yet."""
    return day if day is not None and day <= as_of else None


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def planned_panel_date(case: Case) -> date | None:
    """The panel date the case is heading for: the later of the predicted and the booked panel date."""
    known = [d for d in (case.predicted_panel_date, case.panel_date) if d is not None]
    return max(known) if known else None


def recommendation_stop_date(case: Case) -> date | None:
    """When an approve / not-approve recommendation was made (its date, else the panel date); else None."""
    if case.panel_recommendation not in STOPPING_RECOMMENDATIONS:
        return None
    return case.recommendation_date or case.panel_date


def reg24_deadline_of(case: Case) -> date | None:
    """The regulation 24 deadline from the case's own dates (the same value the case stores for SQL)."""
    return compute_deadlines(case.carer_type, case.application_date, case.placement_date, case.extension_weeks)[1]


def eight_month_clock(case: Case, as_of: date, settings: ClockSettings) -> Clock | None:
    """Application to panel recommendation: stopped by approve / not approve or closure. None before the application."""
    if case.application_date is None or case.application_date > as_of:
        return None
    stopped = _earliest(_happened(recommendation_stop_date(case), as_of), _happened(case.closed_date, as_of))
    return make_clock(
        CLOCK_NAMES[EIGHT_MONTH],
        EIGHT_MONTH,
        eight_month_deadline(case.application_date),
        as_of,
        stopped_on=stopped,
        planned=planned_panel_date(case),
        lead_days=settings.lead_days,
    )


def reg24_clock(case: Case, as_of: date, settings: ClockSettings) -> Clock | None:
    """A connected case's temporary approval: stopped by the ADM decision or closure. None without a placement."""
    if case.carer_type != CarerType.CONNECTED or case.placement_date is None or case.placement_date > as_of:
        return None
    deadline = reg24_deadline_of(case)
    if deadline is None:
        return None
    stopped = _earliest(_happened(case.decision_date, as_of), _happened(case.closed_date, as_of))
    return make_clock(
        CLOCK_NAMES[REG24],
        REG24,
        deadline,
        as_of,
        stopped_on=stopped,
        planned=planned_panel_date(case),
        lead_days=settings.lead_days,
    )


def first_contact_clock(case: Case, as_of: date, settings: ClockSettings) -> Clock | None:
    """First contact after an enquiry, in working days.

    Stopped by the first contact; an initial visit or an application is contact too (imported cases
    carry no first-contact date), and a closure ends it.
    """
    if case.enquiry_date is None or case.enquiry_date > as_of:
        return None
    stopped = _earliest(
        *(
            _happened(day, as_of)
            for day in (case.first_contact_date, case.initial_visit_date, case.application_date, case.closed_date)
        )
    )
    return make_clock(
        CLOCK_NAMES[FIRST_CONTACT],
        FIRST_CONTACT,
        first_contact_deadline(case.enquiry_date, settings.first_contact_days),
        as_of,
        stopped_on=stopped,
        lead_days=settings.short_lead_days,
    )


def case_clocks(case: Case, as_of: date, settings: ClockSettings | None = None) -> list[Clock]:
    """Every clock that has started for the case by as_of: 8 months, regulation 24, first contact."""
    settings = settings or ClockSettings.current()
    clocks = [
        eight_month_clock(case, as_of, settings),
        reg24_clock(case, as_of, settings),
        first_contact_clock(case, as_of, settings),
    ]
    return [clock for clock in clocks if clock is not None]


def timescale_status(case: Case, as_of: date, settings: ClockSettings | None = None) -> ClockStatus | None:
    """The worse of the running 8-month and regulation 24 clocks (CONTRACTS 3); None when neither runs."""
    settings = settings or ClockSettings.current()
    return worst(
        clock.status
        for clock in (eight_month_clock(case, as_of, settings), reg24_clock(case, as_of, settings))
        if clock is not None
    )


def nearest_deadline(clocks: Iterable[Clock]) -> date | None:
    """The earliest deadline among the running clocks."""
    return _earliest(*(clock.deadline for clock in clocks if clock.status is not None))


def urgency_key(status: ClockStatus | None, deadline: date | None) -> tuple[int, date]:
    """Sort key for 'most urgent first': breached, at risk, on track, no clock; then the nearest deadline."""
    rank = 2 - status.rank if status is not None else 3
    return rank, deadline or date.max


def is_closed_by(case: Case, as_of: date) -> bool:
    """True when the case had closed by as_of."""
    return _happened(case.closed_date, as_of) is not None


def in_assessment(case: Case, as_of: date) -> bool:
    """Application received by as_of, not closed by then, and no approve / not-approve recommendation by then."""
    if _happened(case.application_date, as_of) is None or is_closed_by(case, as_of):
        return False
    return _happened(recommendation_stop_date(case), as_of) is None


def enquiry_open(case: Case, as_of: date) -> bool:
    """An enquiry received by as_of, not closed by then, with no application yet (CONTRACTS 3)."""
    if _happened(case.enquiry_date, as_of) is None or is_closed_by(case, as_of):
        return False
    return _happened(case.application_date, as_of) is None


def applicant_display(case: Case) -> str:
    """Applicant 1's name, or 'NAME1 and NAME2' when there are two."""
    names = [a.name for a in sorted(case.applicants, key=lambda a: a.position) if a.name]
    return " and ".join(names[:2])


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on a day."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def brief_report_comments_due(case: Case) -> date | None:
    """The end of the applicant's 10 working days to comment on a brief report shared with them."""
    if not case.brief_report or case.brief_report_shared_date is None:
        return None
    return add_working_days(case.brief_report_shared_date, BRIEF_REPORT_COMMENT_WORKING_DAYS)


# --- Stage ---------------------------------------------------------------------------------------


def derived_stage(case: Case, has_sessions: bool | None = None, checks_started: bool | None = None) -> Stage:
    """The furthest stage the recorded facts reach. The stored stage never moves back automatically."""
    if has_sessions is None:
        has_sessions = bool(case.sessions)
    if checks_started is None:
        checks_started = any(c.requested_date or c.received_date for c in case.checks)
    if case.decision is not None:
        return Stage.DECIDED
    if case.panel_date is not None or case.panel_recommendation is not None:
        return Stage.PANEL
    if case.report_completed_date is not None:
        return Stage.READY_FOR_PANEL
    if case.stage1_decision == Stage1Decision.PROCEED or has_sessions:
        return Stage.STAGE2
    if checks_started:
        return Stage.STAGE1
    if case.allocated_worker_id is not None and case.application_date is not None:
        return Stage.ALLOCATED
    if case.application_date is not None:
        return Stage.APPLICATION
    if case.initial_visit_date is not None:
        return Stage.INITIAL_VISIT
    return Stage.ENQUIRY


# --- Stage 1 checklist ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckSpec:
    """A check the household needs: its kind and who it is about."""

    kind: CheckKind
    subject: str
    applicant_id: int | None = None
    member_id: int | None = None

    @property
    def about_person(self) -> bool:
        """True for a check about one applicant or member (the others are about the household)."""
        return self.applicant_id is not None or self.member_id is not None


APPLICANT_CHECKS = (
    CheckKind.DBS,
    CheckKind.LA_CHECKS,
    CheckKind.MEDICAL,
    CheckKind.EMPLOYER,
    CheckKind.EX_PARTNER,
    CheckKind.PREVIOUS_FOSTERING,
)
HEALTH_VISITOR_UNDER = 5  # health visitors see children under 5; school checks cover the rest


def required_checks(case: Case, on: date) -> list[CheckSpec]:
    """The Stage 1 checklist the household needs on a date (DOMAIN.md Stage 1)."""
    specs: list[CheckSpec] = []
    for applicant in sorted(case.applicants, key=lambda a: a.position):
        specs += [CheckSpec(kind, applicant.name, applicant_id=applicant.id) for kind in APPLICANT_CHECKS]
    for member in case.members:
        age = age_on(member.date_of_birth, on) if member.date_of_birth else None
        adult = age is None or age >= 18
        if adult and member.lives_there:
            specs.append(CheckSpec(CheckKind.DBS, member.name, member_id=member.id))
            specs.append(CheckSpec(CheckKind.LA_CHECKS, member.name, member_id=member.id))
        if member.relation == MemberRelation.CHILD and age is not None and age < 18:
            kind = CheckKind.HEALTH_VISITOR if age < HEALTH_VISITOR_UNDER else CheckKind.SCHOOL
            specs.append(CheckSpec(kind, member.name, member_id=member.id))
    specs += [
        CheckSpec(CheckKind.PERSONAL_REFERENCE, f"Referee {n}") for n in range(1, MINIMUM_PERSONAL_REFERENCES + 1)
    ]
    specs.append(CheckSpec(CheckKind.HOME_SAFETY, "Household"))
    return specs


@dataclass
class ChecklistPlan:
    """What syncing a checklist does: checks to add, to rename, and untouched ones no longer needed."""

    add: list[CheckSpec]
    rename: list[tuple[Any, str]]
    remove: list[Any]


def plan_checklist(existing: list[Stage1Check], required: list[CheckSpec]) -> ChecklistPlan:
    """Match the checks a case has to the ones it needs. Checks with anything recorded are never removed."""
    unmatched = list(existing)
    plan = ChecklistPlan(add=[], rename=[], remove=[])
    for spec in required:
        match = next(
            (
                check
                for check in unmatched
                if check.kind == spec.kind
                and check.applicant_id == spec.applicant_id
                and check.member_id == spec.member_id
            ),
            None,
        )
        if match is None:
            plan.add.append(spec)
            continue
        unmatched.remove(match)
        if spec.about_person and match.subject != spec.subject:
            plan.rename.append((match, spec.subject))
    # Only person checks fall away (a member moved out or is not yet 18); extra references and
    # checks added by hand stay.
    plan.remove = [check for check in unmatched if (check.applicant_id or check.member_id) and not check.touched]
    return plan


def outstanding_checks(checks: Iterable[Stage1Check]) -> list[Stage1Check]:
    """Checks not yet received (and not marked not applicable)."""
    return [check for check in checks if not check.done]


def references_received(checks: Iterable[Stage1Check]) -> int:
    """How many personal references have been received."""
    return sum(1 for c in checks if c.kind == CheckKind.PERSONAL_REFERENCE and c.received_date is not None)
