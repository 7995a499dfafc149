"""Demo panel business: a central list of about ten members and a year of monthly panels.

Runs after the cases and households builders (see carertrack/seed/builders.py) and links to what
they made: every demo case with a panel recommendation in the last year gets its agenda item on a
held meeting on its panel date, with attendance, papers, minutes, and, where the case has a
decision, the ADM decision behind it (and a qualifying determination for a refusal). Cases ready
for panel are booked onto the upcoming meetings through the booking service, leaving them partly
booked. Every date is relative to ``ctx.today``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, time, timedelta

from sqlalchemy import func, select

from carertrack.clocks import add_working_days, is_working_day
from carertrack.extensions import db
from carertrack.models.case import Case, CaseDecision, PanelRecommendation, Stage
from carertrack.models.household import AnnualReview, Household
from carertrack.models.panel import MeetingStatus, PanelAttendance, PanelMeeting, PanelMember, PanelRole
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    FinalDecision,
    ItemConflict,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.models.user import Role
from carertrack.panels import decisions, rules, services
from carertrack.seed.demo import DemoContext, builder

DECISION_MAKER = "Helen Carter, Head of Children's Services"
CAPACITY = 6
EXPERIENCED_SOCIAL_WORKER = "Aisha Rahman"
UPCOMING_MONTHS = 4

# (name, role, independent, years of post-qualifying experience, months on the panel; None = from the start)
MEMBERS: tuple[tuple[str, PanelRole, bool, int | None, int | None], ...] = (
    ("Margaret Osei", PanelRole.CHAIR, True, None, None),
    ("Daniel Price", PanelRole.VICE_CHAIR, True, None, None),
    ("Aisha Rahman", PanelRole.SOCIAL_WORKER, False, 12, None),
    ("Jonathan Reed", PanelRole.SOCIAL_WORKER, False, 2, 8),
    ("Dr Fiona Walsh", PanelRole.MEDICAL_ADVISER, True, None, None),
    ("Cllr Peter Hughes", PanelRole.ELECTED_MEMBER, False, None, None),
    ("Linda Baptiste", PanelRole.INDEPENDENT_MEMBER, True, None, None),
    ("Kwame Mensah", PanelRole.INDEPENDENT_MEMBER, True, None, None),
    ("Sarah Whitfield", PanelRole.INDEPENDENT_MEMBER, True, None, 5),
    ("Rachel Dunn", PanelRole.OTHER, False, None, None),
)


def monthly_dates(today: date, months_back: int = 12, months_ahead: int = UPCOMING_MONTHS) -> list[date]:
    """The second Tuesday of each month (the next working day if that is a bank holiday)."""
    dates = []
    for offset in range(-months_back, months_ahead + 1):
        index = today.year * 12 + today.month - 1 + offset
        first = date(index // 12, index % 12 + 1, 1)
        day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        while not is_working_day(day):
            day += timedelta(days=1)
        dates.append(day)
    return dates


def past_meeting_dates(today: date, case_dates: list[date]) -> list[date]:
    """The last year's monthly meetings: in a month where demo cases had their panel, the date most of them
    had (the earliest on a tie); otherwise the second Tuesday."""
    by_month: dict[tuple[int, int], Counter[date]] = defaultdict(Counter)
    for day in case_dates:
        by_month[(day.year, day.month)][day] += 1
    dates = []
    for default in monthly_dates(today, months_ahead=0):
        counts = by_month.get((default.year, default.month))
        day = min(counts, key=lambda d: (-counts[d], d)) if counts else default
        if day < today:
            dates.append(day)
    return dates


def _members(ctx: DemoContext) -> list[PanelMember]:
    start = ctx.today - timedelta(days=365 * 4)
    members = []
    for name, role, independent, years, months in MEMBERS:
        member = PanelMember(
            name=name,
            role=role,
            independent=independent,
            experience_years=years,
            start_date=start if months is None else ctx.today - timedelta(days=30 * months),
        )
        members.append(member)
    # One member left the panel last spring: the list keeps them.
    members.append(
        PanelMember(
            name="Gordon Blake",
            role=PanelRole.INDEPENDENT_MEMBER,
            independent=True,
            start_date=start,
            end_date=ctx.today - timedelta(days=200),
        )
    )
    db.session.add_all(members)
    return members


def _meeting(day: date, chair: PanelMember, status: MeetingStatus, online: bool) -> PanelMeeting:
    return PanelMeeting(
        meeting_date=day,
        start_time=time(9, 30),
        online=online,
        venue=None if online else "Civic Centre, Committee Room 2",
        capacity=CAPACITY,
        status=status,
        chair=chair,
    )


def _attend(
    ctx: DemoContext, meeting: PanelMeeting, members: list[PanelMember], held: bool, apologies: str | None = None
) -> None:
    """Expected (and, when held, actual) attendance. The chair and the experienced social worker always come,
    so every held demo panel is quorate (an inquorate panel can make no recommendation); `apologies` names
    someone who sends theirs."""
    serving = [m for m in members if m.serves_on(meeting.meeting_date)]
    core = {meeting.chair.name if meeting.chair else "", EXPERIENCED_SOCIAL_WORKER}
    present = []
    for member in serving:
        expected = member.name != apologies and (member.name in core or ctx.rng.random() < 0.8)
        attended = (expected and (member.name in core or ctx.rng.random() < 0.95)) if held else None
        meeting.attendance.append(PanelAttendance(member=member, expected=expected, present=attended))
        if attended:
            present.append(member)
    if held:
        problems = rules.quorum_problems(present, chair_id=meeting.chair.id if meeting.chair else None)
        meeting.quorate = not problems
        meeting.quorum_problems = "\n".join(problems) or None


def _kind(case: Case) -> ItemKind:
    if case.brief_report and case.panel_recommendation is PanelRecommendation.NOT_APPROVE:
        return ItemKind.BRIEF_REPORT
    return ItemKind.CONNECTED_APPROVAL if case.is_connected else ItemKind.NEW_APPROVAL


def _presenter(ctx: DemoContext, case: Case) -> int:
    if case.allocated_worker_id is not None:
        return case.allocated_worker_id
    return ctx.rng.choice(ctx.users[Role.SOCIAL_WORKER]).id


def _past_item(
    ctx: DemoContext, meeting: PanelMeeting, position: int, case: Case, households: dict[int, Household]
) -> AgendaItem:
    """The item behind a case's recorded recommendation (and decision), as it was at the time."""
    deadline = rules.papers_deadline_for(meeting.meeting_date)
    papers = deadline - timedelta(days=ctx.rng.choice([0, 1, 2, 3, 7]))
    if ctx.rng.random() < 0.12:
        papers = add_working_days(deadline, 2)  # a few arrive late, and show as late
    recommendation = Recommendation(case.panel_recommendation.value)
    recommended_on = case.recommendation_date or meeting.meeting_date
    minutes = recommended_on + timedelta(days=ctx.rng.randint(1, 5))
    if case.decision_date is not None:
        minutes = min(minutes, case.decision_date)
    item = AgendaItem(
        meeting=meeting,
        kind=_kind(case),
        case=case,
        presenter_id=_presenter(ctx, case),
        position=position,
        papers_received_on=papers,
        recommendation=recommendation,
        recommendation_date=recommended_on,
        minutes_received_on=minutes if recommendation is not Recommendation.DEFER else None,
    )
    if recommendation is Recommendation.DEFER:
        item.defer_reason = ctx.rng.choice(
            ["Medical adviser's report outstanding", "Panel asked for a further reference", "Applicants unwell"]
        )
    elif recommendation is Recommendation.APPROVE:
        household = households.get(case.id)
        item.approved_places = household.approved_places if household and household.approved_places else 2
        item.age_from = household.age_from if household and household.age_from is not None else 0
        item.age_to = household.age_to if household and household.age_to is not None else 17
        item.placement_types = (household.placement_types if household else None) or ["short_term", "long_term"]
    db.session.add(item)
    if case.decision is not None and case.decision_date is not None and recommendation is not Recommendation.DEFER:
        decision = AdmDecision(
            item=item,
            decision=Decision(case.decision.value),
            decided_on=case.decision_date,
            decision_maker=DECISION_MAKER,
        )
        db.session.add(decision)
        if case.decision is CaseDecision.NOT_APPROVED:
            letter = case.decision_date + timedelta(days=2)
            determination = QualifyingDetermination(
                decision=decision, kind=DeterminationKind.REFUSAL, letter_date=letter
            )
            if letter + timedelta(days=90) < ctx.today:  # older ones are final; a recent one is still open
                determination.final_decision = FinalDecision.CONFIRMED
                determination.final_decision_date = letter + timedelta(days=30)
            db.session.add(determination)
        elif case.decision is CaseDecision.APPROVED and case.id not in households:
            # The cases builder recorded the approval without its household: approval creates it.
            try:
                households[case.id] = decisions.create_household_from_case(
                    case, decisions.Terms.of(item), case.decision_date
                )
            except services.PanelError:
                pass  # another builder already holds the reference; keep theirs
    return item


def _review_items(ctx: DemoContext, meetings: list[PanelMeeting], positions: Counter[PanelMeeting]) -> None:
    """Reviews the households builder sent to panel in the last year: each on the panel before it.

    The panel's outcome is what completes a review that goes to panel, so the review's completed date
    becomes that meeting's date (at most a month earlier than the households builder chose).
    """
    if not meetings:
        return
    start = meetings[0].meeting_date
    reviews = db.session.scalars(
        select(AnnualReview)
        .where(AnnualReview.went_to_panel.is_(True), AnnualReview.completed_date >= start)
        .order_by(AnnualReview.completed_date, AnnualReview.id)
    ).all()
    first_review = dict(
        db.session.execute(
            select(AnnualReview.household_id, func.min(AnnualReview.completed_date)).group_by(AnnualReview.household_id)
        ).all()
    )
    for review in reviews:
        meeting = max((m for m in meetings if m.meeting_date <= review.completed_date), key=lambda m: m.meeting_date)
        household = review.household
        first = first_review.get(household.id) == review.completed_date
        review.completed_date = meeting.meeting_date
        positions[meeting] += 1
        item = AgendaItem(
            meeting=meeting,
            kind=ItemKind.FIRST_ANNUAL_REVIEW if first else ItemKind.OTHER_REVIEW,
            household=household,
            presenter_id=household.supervising_worker_id or ctx.rng.choice(ctx.users[Role.SOCIAL_WORKER]).id,
            position=positions[meeting],
            papers_received_on=rules.papers_deadline_for(meeting.meeting_date) - timedelta(days=ctx.rng.randint(0, 3)),
            recommendation=Recommendation.APPROVE,
            recommendation_date=meeting.meeting_date,
            approved_places=household.approved_places or 1,
            age_from=household.age_from if household.age_from is not None else 0,
            age_to=household.age_to if household.age_to is not None else 17,
            placement_types=household.placement_types or ["short_term"],
            minutes_received_on=meeting.meeting_date + timedelta(days=ctx.rng.randint(1, 4)),
            annual_review_id=review.id,
        )
        db.session.add(item)
        decided = add_working_days(item.minutes_received_on, ctx.rng.randint(2, 8))
        # The latest review still waits for the decision maker, so the awaited list has something in it.
        awaited = review is reviews[-1]
        if decided <= ctx.today and not awaited:
            db.session.add(
                AdmDecision(item=item, decision=Decision.APPROVED, decided_on=decided, decision_maker=DECISION_MAKER)
            )
        if positions[meeting] > meeting.capacity:
            meeting.capacity = positions[meeting]


def _upcoming_bookings(ctx: DemoContext, meetings: list[PanelMeeting]) -> None:
    """Cases ready for panel go on the meeting in the month they are predicted for, leaving room."""
    ready = db.session.scalars(
        select(Case)
        .where(
            Case.closed_date.is_(None),
            Case.decision.is_(None),
            Case.panel_recommendation.is_(None),
            Case.application_date.is_not(None),
            Case.stage.in_([Stage.READY_FOR_PANEL, Stage.PANEL, Stage.STAGE2]),
        )
        .order_by(Case.predicted_panel_date, Case.id)
    ).all()
    booked: Counter[int] = Counter()
    next_meeting = meetings[0] if meetings else None
    for case in ready:
        wanted = case.predicted_panel_date or case.panel_date
        if case.stage is Stage.STAGE2 and wanted is None:
            continue
        choices = [
            m
            for m in meetings
            if wanted is None or (m.meeting_date.year, m.meeting_date.month) >= (wanted.year, wanted.month)
        ]
        meeting = next((m for m in choices if booked[m.id] < CAPACITY - 2), None)
        if meeting is None:
            continue
        papers = None
        if meeting is next_meeting and ctx.rng.random() < 0.6:
            papers = min(ctx.today, rules.papers_deadline_for(meeting.meeting_date))
        services.book_item(
            meeting,
            services.BookingValues(
                kind=ItemKind.CONNECTED_APPROVAL if case.is_connected else ItemKind.NEW_APPROVAL,
                presenter_id=_presenter(ctx, case),
                case=case,
                papers_received_on=papers,
            ),
        )
        booked[meeting.id] += 1


@builder(order=30)
def build_panels(ctx: DemoContext) -> None:
    """Members, a year of held panels behind the demo's recommendations and decisions, and upcoming panels."""
    members = _members(ctx)
    db.session.flush()
    chair, vice = members[0], members[1]
    cases = db.session.scalars(
        select(Case).where(
            Case.panel_recommendation.is_not(None),
            Case.panel_date.is_not(None),
            Case.panel_date >= ctx.today - timedelta(days=380),
            Case.panel_date < ctx.today,
        )
    ).all()
    households = {
        h.case_id: h
        for h in db.session.scalars(select(Household).where(Household.case_id.in_([c.id for c in cases]))).all()
    }
    by_date: dict[date, list[Case]] = defaultdict(list)
    for case in cases:
        by_date[case.panel_date].append(case)
    past_dates = past_meeting_dates(ctx.today, list(by_date))
    # Any other recorded panel date in a month was an extra sitting.
    meeting_dates = sorted(set(past_dates) | set(by_date))
    past_meetings = []
    positions: Counter[PanelMeeting] = Counter()
    for number, day in enumerate(meeting_dates):
        meeting = _meeting(day, chair if number % 4 else vice, MeetingStatus.HELD, online=number % 3 == 0)
        db.session.add(meeting)
        past_meetings.append(meeting)
        _attend(ctx, meeting, members, held=True)
        for case in sorted(by_date.get(day, []), key=lambda c: c.id):
            positions[meeting] += 1
            item = _past_item(ctx, meeting, positions[meeting], case, households)
            if ctx.rng.random() < 0.15:
                item.conflicts.append(
                    ItemConflict(member=ctx.rng.choice(members[4:8]), note="Knows the applicants socially")
                )
        if len(by_date.get(day, [])) > CAPACITY:
            meeting.capacity = len(by_date[day])
    monthly = set(past_dates)
    _review_items(ctx, [m for m in past_meetings if m.meeting_date in monthly], positions)
    upcoming = []
    for number, day in enumerate(d for d in monthly_dates(ctx.today, months_back=0) if d >= ctx.today):
        meeting = _meeting(day, chair, MeetingStatus.SCHEDULED, online=number % 3 == 2)
        db.session.add(meeting)
        if number == 0:
            # She has sent apologies: the meeting page warns that the quorum is at risk.
            _attend(ctx, meeting, members, held=False, apologies=EXPERIENCED_SOCIAL_WORKER)
        upcoming.append(meeting)
    # One month's extra sitting was called off.
    extra_day = ctx.today + timedelta(days=45)
    while not is_working_day(extra_day):  # an extra panel is called on a working day
        extra_day += timedelta(days=1)
    cancelled = _meeting(extra_day, vice, MeetingStatus.CANCELLED, online=True)
    cancelled.cancelled_reason = "Extra panel not needed: items fitted the monthly meeting"
    db.session.add(cancelled)
    db.session.flush()
    _upcoming_bookings(ctx, upcoming)
