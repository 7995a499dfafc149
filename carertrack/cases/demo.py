"""Demo cases for `flask seed demo`: a realistic pipeline, closed cases, and three years of completed assessments.

About 60 open cases across every stage and both types (some on track, some at risk, some breached with
their delay reasons; connected cases under temporary approval, one with an extension), a dozen closed
cases with Ofsted withdrawal codes and service reasons, and about 40 historic cases that reached a panel
recommendation and an agency decision (the households builder turns the approved ones into households).
Every predicted, booked and held panel date is one of the panel's monthly meeting days (the panels
builder's ``monthly_dates``), so the demo's cases and panel meetings agree. Every date is relative to
``ctx.today``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from carertrack.cases import rules
from carertrack.clocks import add_working_days, eight_month_deadline
from carertrack.extensions import db
from carertrack.models.case import (
    STAGE_ORDER,
    CarerType,
    Case,
    CaseDecision,
    ClosedReason,
    EnquirySource,
    PanelRecommendation,
    Stage,
    Stage1Decision,
    VisitOutcome,
)
from carertrack.models.case_records import (
    CaseAllocation,
    CaseApplicant,
    CaseMember,
    CaseNote,
    CheckOutcome,
    Delay,
    MemberRelation,
    SessionKind,
    Stage1Check,
    Stage2Session,
    StageChange,
)
from carertrack.models.user import Role, User
from carertrack.panels.demo import monthly_dates
from carertrack.seed.demo import DemoContext, builder

FIRST_NAMES = (
    "Aisha Ben Chloe Daniel Ella Farah George Hannah Imran Jade Kieran Leah Mohammed Nia Owen Priya Rhys Sophie "
    "Tariq Uma Victor Wendy Yusuf Zara Amir Bethan Callum Deborah Ewan Fatima Gareth Holly Isaac Joanne Karim "
    "Lucy Marcus Naomi Oliver Poppy"
).split()
SURNAMES = (
    "Ahmed Baker Clarke Davies Evans Fletcher Green Hughes Iqbal Jenkins Khan Lloyd Morgan Nowak Owusu Patel "
    "Quinn Roberts Singh Taylor Usman Vaughan Walsh Young Zielinski Begum Collins Doyle Edwards Francis"
).split()
POSTCODES = (
    "LS1 4AP",
    "LS6 2QR",
    "LS8 1NF",
    "LS11 5DL",
    "LS12 3HT",
    "LS15 7JD",
    "LS17 6RG",
    "BD3 9LW",
    "WF1 2EE",
    "HX1 5AN",
)
STREETS = ("Station Road", "Church Lane", "Park Avenue", "Victoria Street", "Mill Lane", "The Crescent", "Oak Drive")
DELAY_REASONS = (
    "Bereavement in the family",
    "Applicants asked for the August panel (both teachers)",
    "Waiting for the medical adviser's report",
    "DBS from overseas employment delayed",
    "Applicant in hospital for surgery",
    "Assessing social worker on long-term sick leave",
    "Reference from previous fostering agency not returned",
)
CHILD_REFS = ("CH-10482", "CH-11307", "CH-11952", "CH-12066", "CH-12518", "CH-12733", "CH-13004", "CH-13390")

# Open cases: (stage, mainstream count, connected count).
OPEN_PLAN = (
    (Stage.ENQUIRY, 7, 2),
    (Stage.INITIAL_VISIT, 4, 1),
    (Stage.APPLICATION, 3, 1),
    (Stage.ALLOCATED, 3, 1),
    (Stage.STAGE1, 9, 4),
    (Stage.STAGE2, 9, 5),
    (Stage.READY_FOR_PANEL, 4, 2),
    (Stage.PANEL, 2, 1),
)
CLOSED_PLAN = (
    (Stage.ENQUIRY, ClosedReason.NO_RESPONSE),
    (Stage.ENQUIRY, ClosedReason.AW1),
    (Stage.INITIAL_VISIT, ClosedReason.COUNSELLED_OUT),
    (Stage.INITIAL_VISIT, ClosedReason.AW4),
    (Stage.APPLICATION, ClosedReason.CHOSE_IFA),
    (Stage.STAGE1, ClosedReason.UNSUITABLE_STAGE1),
    (Stage.STAGE1, ClosedReason.AW3),
    (Stage.STAGE1, ClosedReason.AW5),
    (Stage.STAGE2, ClosedReason.AW2),
    (Stage.STAGE2, ClosedReason.MOVED_AWAY),
    (Stage.STAGE2, ClosedReason.AW0),
    (Stage.ALLOCATED, ClosedReason.OTHER),
)
HISTORIC_COUNT = 40
# The panel's monthly meetings the demo's panel dates are drawn from: back past the oldest historic case,
# and ahead past the latest predicted panel.
PANEL_MONTHS_BACK = 48
PANEL_MONTHS_AHEAD = 12


class _Maker:
    """Builds demo cases with their people, stage history and allocation."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.workers: list[User] = ctx.users.get(Role.SOCIAL_WORKER, [])
        self.manager: User | None = (ctx.users.get(Role.MANAGER) or [None])[0]
        self.number = 0
        self.cases: list[Case] = []
        self.panel_days = monthly_dates(ctx.today, months_back=PANEL_MONTHS_BACK, months_ahead=PANEL_MONTHS_AHEAD)

    def panel_on_or_after(self, day: date) -> date:
        """The first monthly panel meeting on or after `day`."""
        index = bisect_left(self.panel_days, day)
        return self.panel_days[min(index, len(self.panel_days) - 1)]

    def panel_on_or_before(self, day: date) -> date:
        """The last monthly panel meeting on or before `day`."""
        index = bisect_right(self.panel_days, day)
        return self.panel_days[max(index - 1, 0)]

    def days_ago(self, n: int) -> date:
        return self.ctx.today - timedelta(days=n)

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)

    def worker(self) -> User | None:
        return self.rng.choice(self.workers) if self.workers else None

    def new_case(self, carer_type: CarerType, enquiry: date) -> Case:
        self.number += 1
        first, surname = self.name()
        case = Case(
            reference=f"FC-{enquiry.year}-{9000 + self.number:04d}",
            carer_type=carer_type,
            stage=Stage.ENQUIRY,
            enquiry_date=enquiry,
            enquiry_source=self.rng.choice(list(EnquirySource)),
            address_line_1=f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}",
            town="Leeds",
            postcode=self.rng.choice(POSTCODES),
            interest_siblings=self.rng.random() < 0.3,
            interest_teenagers=self.rng.random() < 0.3,
            interest_parent_and_child=self.rng.random() < 0.1,
            interest_short_breaks=self.rng.random() < 0.2,
            interest_age_from=self.rng.choice([None, 0, 5, 11]),
            interest_age_to=None,
        )
        if case.interest_age_from is not None:
            case.interest_age_to = min(17, case.interest_age_from + self.rng.choice([4, 6, 10]))
        born = date(enquiry.year - self.rng.randint(28, 58), self.rng.randint(1, 12), self.rng.randint(1, 28))
        case.applicants.append(
            CaseApplicant(
                position=1,
                name=f"{first} {surname}",
                date_of_birth=born,
                email=f"{first.lower()}.{surname.lower()}{self.number}@example.org",
                phone=f"07700 900{self.number % 1000:03d}",
            )
        )
        if self.rng.random() < 0.55:
            partner = self.rng.choice(FIRST_NAMES)
            case.applicants.append(
                CaseApplicant(position=2, name=f"{partner} {surname}", date_of_birth=born + timedelta(days=400))
            )
        if self.rng.random() < 0.4:
            child_born = enquiry - timedelta(days=self.rng.randint(400, 6000))
            case.members.append(
                CaseMember(
                    name=f"{self.rng.choice(FIRST_NAMES)} {surname}",
                    date_of_birth=child_born,
                    relation=MemberRelation.CHILD,
                    lives_there=True,
                )
            )
        if self.rng.random() < 0.15:
            case.members.append(
                CaseMember(
                    name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}",
                    date_of_birth=date(enquiry.year - 70, 3, 3),
                    relation=MemberRelation.PARENT,
                    lives_there=True,
                )
            )
        self.cases.append(case)
        db.session.add(case)
        return case

    def stamp(self, day: date) -> datetime:
        return datetime.combine(day, time(10, self.rng.randint(0, 59)), tzinfo=UTC)

    def record_stages(self, case: Case, reached: Stage, dates: dict[Stage, date]) -> None:
        """A stage change for every stage the case passed through, dated when it happened."""
        previous: Stage | None = None
        actor = case.allocated_worker or self.manager
        for stage in Stage:
            if STAGE_ORDER[stage] > STAGE_ORDER[reached]:
                break
            if stage not in dates:
                continue
            case.stage_changes.append(
                StageChange(
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=self.stamp(dates[stage]),
                    changed_by_id=actor.id if actor else None,
                    changed_by_label=actor.name if actor else "demo data",
                )
            )
            previous = stage
        case.stage = reached

    def allocate(self, case: Case, worker: User | None, day: date) -> None:
        if worker is None:
            return
        case.allocated_worker = worker
        case.allocated_worker_id = worker.id
        case.allocated_date = day
        case.allocations.append(
            CaseAllocation(
                worker_id=worker.id,
                allocated_date=day,
                recorded_at=self.stamp(day),
                recorded_by_id=self.manager.id if self.manager else None,
            )
        )


def _journey(maker: _Maker, case: Case, stage: Stage, application: date | None) -> dict[Stage, date]:
    """Fill the dates a case at this stage has, working forward from its enquiry."""
    rng = maker.rng
    today = maker.ctx.today
    dates = {Stage.ENQUIRY: case.enquiry_date}
    worker = maker.worker()
    if stage.order >= Stage.INITIAL_VISIT.order or rng.random() < 0.6:
        contact = add_working_days(case.enquiry_date, rng.choice([1, 1, 2, 3]))
        case.first_contact_date = min(contact, today)
    case.intake_worker_id = worker.id if worker else None
    if stage.order >= Stage.INITIAL_VISIT.order:
        visit = case.enquiry_date + timedelta(days=rng.randint(7, 20))
        if application:
            visit = min(visit, application)
        case.initial_visit_date = min(visit, today)
        case.initial_visit_worker_id = case.intake_worker_id
        case.initial_visit_outcome = VisitOutcome.INVITE_TO_APPLY
        dates[Stage.INITIAL_VISIT] = case.initial_visit_date
    if stage.order >= Stage.APPLICATION.order and application:
        case.application_date = application
        dates[Stage.APPLICATION] = application
    if stage.order >= Stage.ALLOCATED.order and application:
        allocated = min(application + timedelta(days=rng.randint(3, 21)), today)
        maker.allocate(case, maker.worker(), allocated)
        dates[Stage.ALLOCATED] = allocated
    if stage.order >= Stage.STAGE1.order and application:
        dates[Stage.STAGE1] = min(dates[Stage.ALLOCATED] + timedelta(days=3), today)
    if stage.order >= Stage.STAGE2.order and application:
        decided = min(application + timedelta(days=rng.randint(60, 110)), today)
        case.stage1_decision = Stage1Decision.PROCEED
        case.stage1_completed_date = decided
        dates[Stage.STAGE2] = decided
        case.preparation_training_date = min(application + timedelta(days=rng.randint(30, 90)), today)
    if stage.order >= Stage.READY_FOR_PANEL.order and application:
        report = min(application + timedelta(days=rng.randint(160, 220)), today - timedelta(days=1))
        case.report_completed_date = max(report, case.stage1_completed_date or report)
        dates[Stage.READY_FOR_PANEL] = case.report_completed_date
    return dates


def _application_for(maker: _Maker, index: int, stage: Stage) -> date:
    """Spread the 8-month clocks: most on track, some at risk, some breached (later stages older)."""
    band = index % 6
    base = {
        Stage.APPLICATION: 10,
        Stage.ALLOCATED: 20,
        Stage.STAGE1: 60,
        Stage.STAGE2: 130,
        Stage.READY_FOR_PANEL: 190,
        Stage.PANEL: 200,
    }.get(stage, 10)
    if band == 4 and stage.order >= Stage.STAGE1.order:
        return maker.days_ago(215 + maker.rng.randint(0, 20))  # inside the at-risk lead time
    if band == 5 and stage.order >= Stage.STAGE1.order:
        return maker.days_ago(250 + maker.rng.randint(0, 60))  # past 8 months
    return maker.days_ago(base + maker.rng.randint(0, 40))


def _open_cases(maker: _Maker) -> None:
    rng = maker.rng
    today = maker.ctx.today
    connected_seen = 0
    for stage, mainstream, connected in OPEN_PLAN:
        for index in range(mainstream + connected):
            carer_type = CarerType.CONNECTED if index >= mainstream else CarerType.MAINSTREAM
            application = _application_for(maker, index, stage) if stage.order >= Stage.APPLICATION.order else None
            if application:
                enquiry = application - timedelta(days=rng.randint(25, 70))
            elif stage == Stage.INITIAL_VISIT:
                enquiry = maker.days_ago(rng.randint(15, 45))
            else:
                # Enquiries: a few today or yesterday, one that has waited too long for first contact.
                enquiry = maker.days_ago([0, 1, 3, 6, 10, 14, 2, 20][index % 8])
            case = maker.new_case(carer_type, enquiry)
            dates = _journey(maker, case, stage, application)
            if stage == Stage.ENQUIRY and index in (0, 1, 3):
                case.first_contact_date = None  # waiting (one of them, 3 days old, is overdue)
            if carer_type == CarerType.CONNECTED:
                connected_seen += 1
                case.child_reference = CHILD_REFS[connected_seen % len(CHILD_REFS)]
                if application and connected_seen % 2 == 0:
                    # Placed under regulation 24 recently: most within the 16 weeks, one just past them.
                    placed = maker.days_ago([30, 60, 95, 118, 45, 80][(connected_seen // 2) % 6])
                    case.placement_date = max(placed, case.enquiry_date)
                    if connected_seen == 4:
                        case.placement_date = maker.days_ago(120)
                        case.extension_granted_date = case.placement_date + timedelta(weeks=15)
                        case.extension_weeks = 6
                        case.extension_nominated_officer = "Head of Service, Children's Social Care"
                        case.extension_panel_views_date = case.placement_date + timedelta(weeks=14)
                        case.extension_iro_informed_date = case.placement_date + timedelta(weeks=14, days=2)
                    if connected_seen == 6:
                        case.extension_pending_irm = True
            if stage.order >= Stage.STAGE2.order:
                for n in range(rng.randint(2, 6)):
                    session_day = min((case.stage1_completed_date or today) + timedelta(days=7 * (n + 1)), today)
                    case.sessions.append(Stage2Session(session_date=session_day, kind=rng.choice(list(SessionKind))))
            if stage.order >= Stage.STAGE2.order and application:
                # Predicted panel, a meeting at least a week away: usually in time; for a few, after the
                # deadline (at risk).
                deadline = eight_month_deadline(application)
                soonest = maker.panel_on_or_after(today + timedelta(days=7))
                wanted = maker.panel_on_or_after(today + timedelta(days=rng.randint(14, 90)))
                if index % 5 == 2:
                    wanted = maker.panel_on_or_after(deadline + timedelta(days=rng.randint(7, 40)))
                elif wanted > deadline:
                    wanted = max(maker.panel_on_or_before(deadline), soonest)
                case.predicted_panel_date = wanted
            if stage == Stage.PANEL and application:
                case.panel_date = case.predicted_panel_date or maker.panel_on_or_after(today + timedelta(days=21))
                if index == 0:
                    # Deferred at last month's panel: the clock keeps running.
                    case.panel_date = maker.panel_on_or_before(today - timedelta(days=1))
                    case.panel_recommendation = PanelRecommendation.DEFER
                    case.recommendation_date = case.panel_date
                    case.predicted_panel_date = maker.panel_on_or_after(today + timedelta(days=14))
                    if case.report_completed_date and case.report_completed_date > case.panel_date:
                        case.report_completed_date = case.panel_date - timedelta(days=14)
                        dates[Stage.READY_FOR_PANEL] = case.report_completed_date
                dates[Stage.PANEL] = min(case.report_completed_date or today, today)
            maker.record_stages(case, stage, dates)
            if application and rules.timescale_status(case, today, rules.ClockSettings()) is not None:
                status = rules.timescale_status(case, today, rules.ClockSettings())
                if status.rank >= 1 or rng.random() < 0.15:
                    reason = rng.choice(DELAY_REASONS)
                    start = max(application + timedelta(days=rng.randint(30, 120)), case.enquiry_date)
                    start = min(start, today - timedelta(days=5))
                    end = None if rng.random() < 0.6 else min(start + timedelta(days=rng.randint(14, 60)), today)
                    case.delays.append(
                        Delay(
                            reason=reason,
                            start_date=start,
                            end_date=end,
                            recorded_at=maker.stamp(start),
                            recorded_by_id=case.allocated_worker_id,
                        )
                    )
                    case.delay_reason = reason
            if case.allocated_worker and rng.random() < 0.5:
                case.notes.append(
                    CaseNote(
                        author_id=case.allocated_worker.id,
                        author_label=case.allocated_worker.name,
                        written_at=maker.stamp(min(today, (case.allocated_date or today) + timedelta(days=10))),
                        text=rng.choice(
                            (
                                "Home visit went well. Applicants keen to progress.",
                                "Discussed support network and childcare arrangements.",
                                "Chased medical report with the GP surgery.",
                                "Applicants asked about respite and short breaks.",
                            )
                        ),
                    )
                )


def _closed_cases(maker: _Maker) -> None:
    rng = maker.rng
    for index, (stage, reason) in enumerate(CLOSED_PLAN):
        application = maker.days_ago(rng.randint(60, 400)) if stage.order >= Stage.APPLICATION.order else None
        enquiry = (application or maker.days_ago(rng.randint(30, 300))) - timedelta(days=rng.randint(20, 60))
        case = maker.new_case(CarerType.CONNECTED if index % 4 == 3 else CarerType.MAINSTREAM, enquiry)
        dates = _journey(maker, case, stage, application)
        maker.record_stages(case, stage, dates)
        last = max(dates.values())
        case.closed_date = min(last + timedelta(days=rng.randint(5, 40)), maker.ctx.today)
        case.closed_reason = reason
        if reason == ClosedReason.UNSUITABLE_STAGE1:
            case.stage1_decision = Stage1Decision.NOT_PROCEED
            case.stage1_completed_date = case.closed_date
            case.stage1_decision_reasons = "Local authority checks raised concerns that could not be resolved."
            case.closed_note = case.stage1_decision_reasons
        elif reason == ClosedReason.COUNSELLED_OUT:
            case.initial_visit_outcome = VisitOutcome.NOT_PROGRESSING
            case.initial_visit_reason = "Spare bedroom not big enough; advised to re-enquire after moving."
            case.closed_date = case.initial_visit_date
            case.closed_note = case.initial_visit_reason


def _historic_cases(maker: _Maker) -> None:
    """Assessments completed over the last three years: panel, recommendation and agency decision."""
    rng = maker.rng
    today = maker.ctx.today
    for index in range(HISTORIC_COUNT):
        application = today - timedelta(days=int(60 + (index + 0.5) * (1040 / HISTORIC_COUNT)) + 240)
        carer_type = CarerType.CONNECTED if index % 4 == 1 else CarerType.MAINSTREAM
        case = maker.new_case(carer_type, application - timedelta(days=rng.randint(25, 70)))
        dates = _journey(maker, case, Stage.READY_FOR_PANEL, application)
        deadline = eight_month_deadline(application)
        # About three in four within 8 months; always a monthly panel meeting at least 10 days ago.
        if index % 4 != 3:
            panel = maker.panel_on_or_before(deadline - timedelta(days=rng.randint(3, 45)))
        else:
            panel = maker.panel_on_or_after(deadline + timedelta(days=rng.randint(5, 60)))
        panel = min(panel, maker.panel_on_or_before(today - timedelta(days=10)))
        case.report_completed_date = min(case.report_completed_date or panel, panel - timedelta(days=14))
        if carer_type == CarerType.CONNECTED:
            case.child_reference = CHILD_REFS[index % len(CHILD_REFS)]
            case.placement_date = max(application - timedelta(days=rng.randint(0, 10)), case.enquiry_date)
        case.predicted_panel_date = panel
        case.panel_date = panel
        refused = index % 9 == 5
        case.panel_recommendation = PanelRecommendation.NOT_APPROVE if refused else PanelRecommendation.APPROVE
        case.recommendation_date = panel
        case.decision_date = min(add_working_days(panel, rng.randint(2, 7)), today)
        case.decision = CaseDecision.NOT_APPROVED if refused else CaseDecision.APPROVED
        if refused and index % 2:
            case.brief_report = True
            case.brief_report_shared_date = case.report_completed_date
        if panel > deadline:
            reason = rng.choice(DELAY_REASONS)
            case.delays.append(
                Delay(
                    reason=reason,
                    start_date=application + timedelta(days=90),
                    end_date=application + timedelta(days=150),
                    recorded_at=maker.stamp(application + timedelta(days=90)),
                    recorded_by_id=case.allocated_worker_id,
                )
            )
            case.delay_reason = reason
        dates[Stage.PANEL] = panel
        dates[Stage.DECIDED] = case.decision_date
        maker.record_stages(case, Stage.DECIDED, dates)


def _checklists(maker: _Maker) -> None:
    """Stage 1 checklists for every case past the application, filled in as far as the case has got."""
    rng = maker.rng
    today = maker.ctx.today
    for case in maker.cases:
        if case.application_date is None:
            continue
        specs = rules.required_checks(case, case.application_date)
        finished = case.stage1_decision is not None or case.stage.order >= Stage.STAGE2.order
        for spec in specs:
            check = Stage1Check(
                kind=spec.kind, subject=spec.subject, applicant_id=spec.applicant_id, member_id=spec.member_id
            )
            started = case.stage.order >= Stage.STAGE1.order
            if started:
                check.requested_date = min(
                    (case.allocated_date or case.application_date) + timedelta(days=rng.randint(1, 10)), today
                )
                if finished or rng.random() < 0.5:
                    received = check.requested_date + timedelta(days=rng.randint(7, 50))
                    if case.stage1_completed_date:
                        received = min(received, case.stage1_completed_date)
                    check.received_date = min(max(received, check.requested_date), today)
                    check.outcome = CheckOutcome.SATISFACTORY
            case.checks.append(check)


@builder(order=10)
def build_cases(ctx: DemoContext) -> None:
    """The demo pipeline, closed cases and completed assessments."""
    maker = _Maker(ctx)
    _open_cases(maker)
    _closed_cases(maker)
    _historic_cases(maker)
    db.session.flush()  # applicants and members need ids for their checks
    _checklists(maker)
    db.session.flush()


def demo_summary(cases: list[Any], today: date) -> dict[str, int]:
    """How the demo cases fall (used by the tests to prove the demo has what it promises)."""
    settings = rules.ClockSettings()
    summary = {"open": 0, "closed": 0, "decided": 0, "breached": 0, "at_risk": 0, "on_track": 0, "temporary": 0}
    for case in cases:
        if case.closed_date:
            summary["closed"] += 1
        elif case.decision:
            summary["decided"] += 1
        else:
            summary["open"] += 1
            status = rules.timescale_status(case, today, settings)
            if status is not None:
                summary[status.value] += 1
            if case.placement_date and case.decision_date is None:
                summary["temporary"] += 1
    return summary
