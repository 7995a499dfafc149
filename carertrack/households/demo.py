"""Demo approved households: about 110 approved now and a history of deregistrations over three years.

Runs after the cases builder (see carertrack/seed/builders.py). Every demo case the agency decision
maker approved becomes its household (reference and approval date from the case, through the same
function the panel area uses); the rest are households approved before CarerTrack, spread over about
eight years, topped up so that about 22 were approved in the last 12 months. People get a realistic
mix of DBS states (mostly current; some due soon, expired or missing, a child about to turn 18),
reviews due and overdue, about 120 children placed, 11 staying-put arrangements, three households
on hold and one resignation waiting to take effect. Every date is relative to ``ctx.today``.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from carertrack.clocks import add_months_clamped
from carertrack.compliance import birthday, resignation_effective_date, training_due_date
from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsOutcome, DbsStatusCheck, RiskDecision, StatusCheckResult
from carertrack.models.household import (
    AnnualReview,
    CarerType,
    DeregistrationReason,
    Household,
    HouseholdMember,
    MemberRole,
    Placement,
    PlacementType,
    Relationship,
    ReviewOutcome,
    role_for,
)
from carertrack.models.staying_put import StayingPut, StayingPutEndReason
from carertrack.models.user import Role
from carertrack.seed.demo import DemoContext, builder

APPROVED_NOW = 110
RECENT_APPROVALS = 22  # approved in the last 12 months, cases included
DEREGISTERED = 40  # over the last three years
STAYING_PUT = 11

FIRST = (
    "Aisha Alan Amara Amy Andrew Anna Ben Beth Carl Chloe Claire Craig Dan Dawn Deepa Dev Emma Eric Faye Gary "
    "Grace Hannah Hassan Helen Ian Imran Jade James Jo Karen Kevin Kofi Laura Lee Lisa Mark Mary Mei Mike Nadia "
    "Neil Nina Olu Paul Priya Rachel Raj Rob Rosa Ruth Sam Sara Simon Sophie Steve Tariq Tom Tracy Wes Zara"
).split()
SURNAMES = (
    "Ahmed Ali Baker Barnes Bennett Brown Campbell Carter Chapman Clarke Cooper Davies Edwards Evans Fisher Green "
    "Hall Harris Hughes Jackson James Jones Kaur Khan King Lewis Lloyd Martin Mitchell Moore Morgan Morris Murphy "
    "Nowak Okafor Owen Parker Patel Phillips Price Roberts Robinson Shaw Singh Smith Taylor Thomas Turner Walker "
    "Ward Watson White Williams Wilson Wood Wright Young"
).split()
STREETS = (
    "Acacia Road,Beech Grove,Castle Street,Dale View,Elm Close,Field Lane,Grange Avenue,Hill Rise,Mill Lane".split(",")
)
TOWNS = ("Northtown", "Eastbridge", "Westfield", "Southmoor", "Kingsley")
DEREGISTRATION_REASONS = (
    (DeregistrationReason.RESIGNED, 14),
    (DeregistrationReason.RETIRED, 8),
    (DeregistrationReason.TRANSFERRED_IFA, 4),
    (DeregistrationReason.TRANSFERRED_LA, 1),
    (DeregistrationReason.SGO, 4),
    (DeregistrationReason.ADOPTION, 2),
    (DeregistrationReason.TERMINATED, 2),
    (DeregistrationReason.PLACEMENT_ENDED, 2),
    (DeregistrationReason.MOVED_AWAY, 2),
    (DeregistrationReason.DEATH, 1),
)
ON_HOLD_REASONS = (
    "Carers taking a break after a long-term placement ended",
    "Allegation being investigated (LADO informed)",
    "Carer recovering from an operation",
)


class _Maker:
    """Builds the households with a shared random generator and running counters."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.workers = ctx.users.get(Role.SOCIAL_WORKER, [])
        self.number = 1000
        self.child_number = 400_000
        self.taken = set(db.session.scalars(select(Household.reference)))

    # --- small pieces ----------------------------------------------------------------------------

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def reference(self) -> str:
        while True:
            self.number += 1
            reference = f"FH-{self.number}"
            if reference not in self.taken:
                self.taken.add(reference)
                return reference

    def child_reference(self) -> str:
        self.child_number += self.rng.randint(1, 97)
        return f"CH{self.child_number}"

    def person(self, surname: str | None = None) -> str:
        return f"{self.rng.choice(FIRST)} {surname or self.rng.choice(SURNAMES)}"

    def address(self) -> tuple[str, str]:
        town = self.rng.choice(TOWNS)
        street = f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}"
        area = "".join(self.rng.choice("NESW") for _ in range(2))
        postcode = f"{area}{self.rng.randint(1, 19)} {self.rng.randint(1, 9)}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{street}\n{town}", postcode

    def carer_type(self) -> CarerType:
        roll = self.rng.random()
        if roll < 0.66:
            return CarerType.MAINSTREAM
        if roll < 0.90:
            return CarerType.CONNECTED
        if roll < 0.96:
            return CarerType.SHORT_BREAKS
        return CarerType.PARENT_AND_CHILD

    def terms(self, household: Household) -> None:
        kind = household.carer_type
        if kind is CarerType.CONNECTED:
            household.approved_places, household.age_from, household.age_to = 1, 0, 17
            household.placement_types = [PlacementType.LONG_TERM.value]
            return
        household.approved_places = self.rng.choice((1, 1, 2, 2, 2, 3))
        household.age_from = self.rng.choice((0, 0, 2, 5, 8, 11))
        household.age_to = self.rng.choice((11, 15, 17, 17))
        types = {PlacementType.SHORT_TERM, PlacementType.LONG_TERM}
        if kind is CarerType.SHORT_BREAKS:
            types = {PlacementType.SHORT_BREAKS}
        elif kind is CarerType.PARENT_AND_CHILD:
            types = {PlacementType.PARENT_AND_CHILD, PlacementType.SHORT_TERM}
            household.age_from, household.age_to = 0, 2
        if self.rng.random() < 0.3:
            types.add(PlacementType.EMERGENCY)
        if household.approved_places >= 2 and self.rng.random() < 0.5:
            types.add(PlacementType.SIBLING_GROUPS)
        household.placement_types = sorted(t.value for t in types)

    # --- people and their DBS ----------------------------------------------------------------------

    def member(
        self, household: Household, name: str, born: date, relationship: Relationship, joined: date | None
    ) -> HouseholdMember:
        member = HouseholdMember(
            name=name, date_of_birth=born, relationship=relationship, role=role_for(relationship), joined_date=joined
        )
        household.members.append(member)
        return member

    def certificate(self, member: HouseholdMember, issued: date, subscribed: bool = False) -> DbsCheck:
        check = DbsCheck(
            member=member,
            certificate_number=f"00{self.rng.randint(10**9, 10**10 - 1)}",
            issue_date=issued,
            update_service=subscribed,
            outcome=DbsOutcome.CLEAR,
        )
        if self.rng.random() < 0.04:
            check.outcome = DbsOutcome.DISCLOSED
            check.risk_assessed_on = issued + timedelta(days=self.rng.randint(3, 20))
            check.risk_decision = RiskDecision.ACCEPTED
        db.session.add(check)
        return check

    def dbs_history(self, member: HouseholdMember, since: date) -> None:
        """Certificates every three years since `since`, ending in a realistic state today."""
        roll = self.rng.random()
        if roll < 0.03:
            return  # missing: nobody has recorded a certificate for this adult
        if roll < 0.09:
            latest = self.days_ago(3 * 365 + 5, 3 * 365 + 200)  # expired
        elif roll < 0.19:
            latest = self.days_ago(3 * 365 - 85, 3 * 365 - 1)  # due soon
        else:
            latest = self.days_ago(20, 3 * 365 - 120)  # current
        if latest < since:
            # Checked during the assessment, not years before it.
            latest = min(since + timedelta(days=self.rng.randint(0, 90)), self.today - timedelta(days=1))
        subscribed = roll >= 0.19 and self.rng.random() < 0.35
        if subscribed:
            # The Update Service renews an older certificate: a satisfactory status check keeps it current.
            issued = max(since, latest - timedelta(days=self.rng.randint(400, 1400)))
            check = self.certificate(member, issued, subscribed=True)
            if latest > issued:
                check.status_checks.append(DbsStatusCheck(checked_on=latest, result=StatusCheckResult.NO_CHANGE))
            return
        issued = latest
        earlier = []
        while issued - timedelta(days=3 * 365) > since:
            issued = issued - timedelta(days=3 * 365 - self.rng.randint(0, 60))
            earlier.append(issued)
        for day in reversed(earlier[-2:]):  # keep the history short
            self.certificate(member, day)
        self.certificate(member, latest)

    def people(self, household: Household, approved: date, surname: str) -> None:
        couple = self.rng.random() < 0.72
        first_born = date(self.rng.randint(1958, 1992), self.rng.randint(1, 12), self.rng.randint(1, 28))
        carers = [self.member(household, self.person(surname), first_born, Relationship.CARER, approved)]
        if couple:
            born = first_born + timedelta(days=self.rng.randint(-1500, 1500))
            carers.append(self.member(household, self.person(surname), born, Relationship.CARER, approved))
        for carer in carers:
            self.dbs_history(carer, approved - timedelta(days=120))
        roll = self.rng.random()
        if roll < 0.40:
            for _ in range(1 if self.rng.random() < 0.6 else 2):
                born = self.days_ago(365 * 2, int(365 * 17.5))
                self.member(household, self.person(surname), born, Relationship.BIRTH_CHILD, None)
        elif roll < 0.54:
            born = self.days_ago(365 * 18 + 30, 365 * 26)
            adult = self.member(household, self.person(surname), born, Relationship.ADULT_CHILD, None)
            self.dbs_history(adult, birthday(born, 18) - timedelta(days=60))
        elif roll < 0.62:
            relationship = self.rng.choice((Relationship.LODGER, Relationship.OTHER_ADULT, Relationship.PARTNER))
            adult = self.member(household, self.person(), self.days_ago(365 * 25, 365 * 70), relationship, approved)
            self.dbs_history(adult, approved)

    # --- reviews, training, placements -------------------------------------------------------------

    def reviews(self, household: Household, approved: date) -> None:
        """Yearly reviews since approval, the first to panel; a few households fall behind."""
        behind = self.rng.random() < 0.10
        due = add_months_clamped(approved, 12)
        first = True
        while due <= self.today + timedelta(days=self.rng.randint(-10, 60)):
            completed = due - timedelta(days=self.rng.randint(0, 45))
            if completed > self.today:
                break
            if behind and add_months_clamped(due, 12) > self.today:
                break  # the latest review has not happened: overdue
            household.reviews.append(
                AnnualReview(
                    completed_date=completed,
                    outcome=ReviewOutcome.CONTINUE if self.rng.random() < 0.9 else ReviewOutcome.CHANGE_OF_TERMS,
                    went_to_panel=first or self.rng.random() < 0.1,
                )
            )
            first = False
            due = add_months_clamped(completed, 12)

    def training(self, household: Household, approved: date) -> None:
        due = training_due_date(approved, household.carer_type)
        for carer in household.members:
            if carer.role is not MemberRole.CARER:
                continue
            done = approved + timedelta(days=self.rng.randint(60, max(61, (due - approved).days - 10)))
            if done <= self.today and self.rng.random() < 0.93:
                carer.tsd_completed_date = done

    def placements(self, household: Household, approved: date, active: bool) -> int:
        """Children placed now (for an approved household) and some who have moved on; returns those placed now."""
        start_from = approved - timedelta(days=120) if household.carer_type is CarerType.CONNECTED else approved
        for _ in range(self.rng.randint(0, 3)):
            start = start_from + timedelta(days=self.rng.randint(0, max(1, (self.today - start_from).days - 60)))
            end = start + timedelta(
                days=self.rng.randint(5 if household.carer_type is CarerType.SHORT_BREAKS else 30, 500)
            )
            if end < self.today:
                household.placements.append(
                    Placement(child_reference=self.child_reference(), start_date=start, end_date=end)
                )
        if not active or household.on_hold_reason:
            return 0
        places = household.approved_places or 1
        weights = {1: (0.15, 0.85), 2: (0.1, 0.35, 0.55), 3: (0.05, 0.25, 0.4, 0.3)}.get(places, (0.2, 0.8))
        placed = self.rng.choices(range(len(weights)), weights=weights)[0]
        if household.carer_type is CarerType.SHORT_BREAKS:
            placed = 0  # short breaks: children come and go
        for _ in range(placed):
            start = start_from + timedelta(days=self.rng.randint(0, max(1, (self.today - start_from).days)))
            household.placements.append(
                Placement(child_reference=self.child_reference(), start_date=min(start, self.today))
            )
        return placed

    # --- households ------------------------------------------------------------------------------------

    def household(self, approved: date, deregistered: date | None = None) -> Household:
        address, postcode = self.address()
        surname = self.rng.choice(SURNAMES)
        household = Household(
            reference=self.reference(),
            carer_type=self.carer_type(),
            approval_date=approved,
            address=address,
            postcode=postcode,
            supervising_worker_id=self.rng.choice(self.workers).id if self.workers else None,
        )
        self.terms(household)
        self.people(household, approved, surname)
        if deregistered is None:
            self.reviews(household, approved)
        else:
            self._past_reviews(household, approved, deregistered)
        self.training(household, approved)
        if deregistered is not None:
            self.deregister(household, deregistered)
        db.session.add(household)
        return household

    def _past_reviews(self, household: Household, approved: date, ended: date) -> None:
        due = add_months_clamped(approved, 12)
        first = True
        while due < ended:
            household.reviews.append(
                AnnualReview(
                    completed_date=due - timedelta(days=self.rng.randint(0, 30)),
                    outcome=ReviewOutcome.CONTINUE,
                    went_to_panel=first,
                )
            )
            first = False
            due = add_months_clamped(due, 12)

    def deregister(self, household: Household, effective: date) -> None:
        reasons, weights = zip(*DEREGISTRATION_REASONS, strict=True)
        reason = self.rng.choices(reasons, weights=weights)[0]
        if household.carer_type is CarerType.CONNECTED and self.rng.random() < 0.3:
            reason = self.rng.choice((DeregistrationReason.SGO, DeregistrationReason.PLACEMENT_ENDED))
        household.deregistration_reason = reason
        household.deregistration_date = effective
        if reason is DeregistrationReason.RESIGNED:
            household.deregistration_notice_date = effective - timedelta(days=28)
            household.deregistration_date = resignation_effective_date(household.deregistration_notice_date)
        household.supervising_worker_id = None if self.rng.random() < 0.3 else household.supervising_worker_id


def _from_cases(maker: _Maker) -> list[Household]:
    """The households of the demo cases the agency decision maker approved (if the cases builder ran)."""
    from carertrack.models.case import Case, CaseDecision
    from carertrack.panels.decisions import Terms, create_household_from_case

    approved = db.session.scalars(
        select(Case)
        .where(Case.decision == CaseDecision.APPROVED, Case.decision_date.is_not(None))
        .where(~select(Household.id).where(Household.case_id == Case.id).exists())
        .order_by(Case.decision_date, Case.id)
    ).all()
    made = []
    for case in approved:
        connected = case.carer_type.value == "connected"
        terms = Terms(
            approved_places=1 if connected else maker.rng.choice((1, 2, 2, 3)),
            age_from=0,
            age_to=17 if connected else maker.rng.choice((11, 17)),
            placement_types=["long_term"] if connected else ["short_term", "long_term"],
        )
        household = create_household_from_case(case, terms, case.decision_date)
        maker.taken.add(household.reference)
        made.append(household)
    return made


@builder(order=20)
def build_households(ctx: DemoContext) -> None:
    """About 110 approved households now, 40 deregistered over three years, with their people and records."""
    maker = _Maker(ctx)
    today = ctx.today
    year_ago = today - timedelta(days=365)
    from_cases = _from_cases(maker)
    recent = sum(1 for h in from_cases if h.approval_date > year_ago)
    approved_now = []
    for household in from_cases:
        maker.training(household, household.approval_date)
        maker.reviews(household, household.approval_date)
        approved_now.append(household)
    for _ in range(max(0, RECENT_APPROVALS - recent)):
        approved_now.append(maker.household(maker.days_ago(3, 360)))
    # Older approvals spread evenly over the seven years before that, so every year has its share.
    older = max(0, APPROVED_NOW - len(approved_now))
    span = 8 * 365 - 366
    for index in range(older):
        approved_now.append(
            maker.household(today - timedelta(days=366 + int((index + ctx.rng.random()) * span / older)))
        )
    departed = []
    for _ in range(DEREGISTERED):
        ended = maker.days_ago(5, 3 * 365 - 5)
        approved = ended - timedelta(days=ctx.rng.randint(200, 9 * 365))
        departed.append(maker.household(approved, deregistered=ended))
    db.session.flush()

    for household in departed:
        maker.placements(household, household.approval_date, active=False)
    for index, household in enumerate(sorted(approved_now, key=lambda h: h.reference)):
        if index in (7, 41, 88):
            household.on_hold_reason = ON_HOLD_REASONS[(7, 41, 88).index(index)]
            household.on_hold_since = maker.days_ago(10, 80)
        maker.placements(household, household.approval_date, active=True)
    _staying_put(maker, [h for h in approved_now if h.carer_type is not CarerType.SHORT_BREAKS])
    _turning_18(maker, approved_now)
    _pending_resignation(maker, approved_now)
    db.session.flush()


def _staying_put(maker: _Maker, households: list[Household]) -> None:
    """Eleven arrangements: most active (two ending within 90 days), three ended."""
    rng, today = maker.rng, maker.today
    chosen = rng.sample(households, STAYING_PUT)
    plans = [("active", 30, 700)] * 6 + [("ending", 21 * 365 - 60, 21 * 365 - 60)] * 2
    plans += [("ended", StayingPutEndReason.TURNED_21, 0), ("ended", StayingPutEndReason.MOVED_ON, 0)]
    plans += [("ended", StayingPutEndReason.BREAKDOWN, 0)]
    for household, plan in zip(chosen, plans, strict=True):
        kind = plan[0]
        if kind == "ended":
            born = today - timedelta(days=rng.randint(19 * 365, 22 * 365))
        elif kind == "ending":
            born = today - timedelta(days=21 * 365 - rng.randint(20, 80))
        else:
            born = today - timedelta(days=18 * 365 + rng.randint(plan[1], plan[2]))
        start = birthday(born, 18)
        arrangement = StayingPut(
            household=household,
            young_person_reference=maker.child_reference().replace("CH", "YP"),
            date_of_birth=born,
            start_date=start,
            planned_end_date=birthday(born, 21),
            household_remains_approved=rng.random() < 0.8,
        )
        member = maker.member(household, maker.person(), born, Relationship.STAYING_PUT, start)
        arrangement.member = member
        if kind == "ended":
            reason = plan[1]
            end = (
                birthday(born, 21)
                if reason is StayingPutEndReason.TURNED_21
                else start + timedelta(days=rng.randint(90, 600))
            )
            arrangement.end_date = min(end, today - timedelta(days=5))
            arrangement.end_reason = reason
            member.left_date = arrangement.end_date
        if rng.random() < 0.85:
            maker.certificate(
                member, max(start - timedelta(days=rng.randint(0, 40)), birthday(born, 18) - timedelta(days=60))
            )
        db.session.add(arrangement)


def _turning_18(maker: _Maker, households: list[Household]) -> None:
    """Two children who turn 18 within the window and have no DBS yet: they show as missing."""
    for household, days in zip(maker.rng.sample(households, 2), (25, 70), strict=True):
        born = add_months_clamped(maker.today + timedelta(days=days), -12 * 18)
        surname = household.members[0].name.split()[-1] if household.members else None
        maker.member(household, maker.person(surname), born, Relationship.BIRTH_CHILD, None)


def _pending_resignation(maker: _Maker, households: list[Household]) -> None:
    """One household has resigned: notice received, approval ends in a few weeks."""
    household = maker.rng.choice([h for h in households if h.approval_date < maker.today - timedelta(days=800)])
    household.deregistration_reason = DeregistrationReason.RESIGNED
    household.deregistration_notice_date = maker.today - timedelta(days=9)
    household.deregistration_date = resignation_effective_date(household.deregistration_notice_date)
