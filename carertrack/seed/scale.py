"""`flask seed scale`: a consistent national-size dataset, written in bulk, for the benchmark.

For N households: about 10/3 N cases over six years across every stage (a fifth approved, each
approval becoming its household through the same fields the panel area sets), about 2.5 N people
(adults with DBS certificates in a realistic mix of current, due soon, expired and missing), N/9
panel meetings with the cases' agenda items and decisions, 2 N/45 staying-put arrangements and
about 1.3 N placements, plus annual reviews. Households approved before CarerTrack top the
approved cases up to N. Every date is relative to ``today`` and in an order that can happen;
stages come from ``derived_stage`` and stored deadlines from ``compute_deadlines``, so lists,
clocks and reports read the generated cases exactly as they read real ones.

Rows are written with SQLAlchemy Core in batches (carertrack/seed/bulk.py), never one ORM object at
a time. The ORM's audit hook does not see them, so the run records one audit event for itself.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from carertrack.cases.rules import derived_stage
from carertrack.clocks import add_months_clamped
from carertrack.compliance import birthday, training_due_date
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.base import utcnow
from carertrack.models.case import (
    CarerType as CaseCarerType,
)
from carertrack.models.case import (
    Case,
    CaseDecision,
    ClosedReason,
    EnquirySource,
    PanelRecommendation,
    Stage1Decision,
    VisitOutcome,
    compute_deadlines,
)
from carertrack.models.case_records import CheckKind, CheckOutcome
from carertrack.models.dbs import DbsOutcome, RiskDecision
from carertrack.models.household import (
    CarerType,
    DeregistrationReason,
    PlacementType,
    Relationship,
    ReviewOutcome,
    role_for,
)
from carertrack.models.panel import MeetingStatus, PanelRole
from carertrack.models.panel_agenda import Decision, ItemKind, Recommendation
from carertrack.models.staying_put import StayingPutEndReason
from carertrack.models.user import Role, User
from carertrack.seed.bulk import BulkWriter
from carertrack.settings import get_setting

SCALE_PASSWORD = "carertrack-scale-2026"  # noqa: S105 - generated benchmark data, development only  # nosec B105
YEARS_OF_CASES = 6
MEETINGS_PER_YEAR = 24
YEARS_BEFORE = 10  # households approved before CarerTrack: over the ten years before today
CHUNK = 2_000  # cases generated between writes
FIRST = (
    "Aisha Alan Amara Ben Beth Carl Chloe Dan Dawn Deepa Emma Faye Grace Hassan Imran Jade Kofi Mei Olu Zara".split()
)
SURNAMES = (
    "Ahmed Ali Baker Brown Clarke Davies Evans Green Hughes Jones Khan Lewis Nowak Okafor Patel Singh Smith".split()
)
TOWNS = ("Northtown", "Eastbridge", "Westfield", "Southmoor", "Kingsley")
EARLY_CLOSURES = (ClosedReason.NO_RESPONSE, ClosedReason.AW1, ClosedReason.AW3, ClosedReason.MOVED_AWAY)
LATE_CLOSURES = (ClosedReason.AW2, ClosedReason.AW4, ClosedReason.COUNSELLED_OUT, ClosedReason.CHOSE_IFA)


@dataclass(frozen=True)
class ScalePlan:
    """How many of each record N households bring (the issue's proportions for N = 45,000)."""

    households: int

    @property
    def cases(self) -> int:
        return round(self.households * 10 / 3)

    @property
    def panel_meetings(self) -> int:
        # N/9, but never fewer than a single service's two a month over the years the cases cover.
        return max(MEETINGS_PER_YEAR * (YEARS_OF_CASES + 1), round(self.households / 9))

    @property
    def staying_put(self) -> int:
        return max(1, round(self.households * 2 / 45))

    @property
    def workers(self) -> int:
        return max(4, self.households // 25)


def scale_email(kind: str, n: int | None = None) -> str:
    """The sign-in of a generated account: scale.manager@example.org, scale.worker.7@example.org."""
    return f"scale.{kind}{'' if n is None else f'.{n}'}@example.org"


@dataclass
class _Context:
    today: date
    rng: random.Random
    writer: BulkWriter
    prefix: str
    now: datetime = field(default_factory=utcnow)
    workers: list[int] = field(default_factory=list)
    manager_id: int = 0
    meetings: list[tuple[date, int]] = field(default_factory=list)  # (date, id) of meetings not cancelled
    booked: dict[int, int] = field(default_factory=dict)
    capacity: int = 6
    child_number: int = 0
    households: int = 0
    staying_put_every: int = 22


def database_has_data() -> bool:
    """True when anyone has an account or any case or household exists."""
    from carertrack.models.household import Household

    return any(db.session.scalar(select(func.count()).select_from(m)) for m in (User, Case, Household))


def build_scale(
    households: int, today: date, *, seed: int = 20260245, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Generate the dataset for `households` households and commit; returns rows written per table."""
    plan = ScalePlan(households)
    connection = db.session.connection()
    writer = BulkWriter(connection, progress)
    say = progress or (lambda _m: None)
    runs = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "ScaleData"))
    ctx = _Context(
        today=today,
        rng=random.Random(seed + runs),  # noqa: S311 - generated data, not security  # nosec B311
        writer=writer,
        prefix="SC-" if not runs else f"SC{runs + 1}-",
        # The capacity setting is a single service's panel; a hub's panels take what its cases need.
        capacity=max(int(get_setting("panel_capacity")), math.ceil(plan.cases * 0.3 / plan.panel_meetings)),
    )
    ctx.staying_put_every = max(1, households // plan.staying_put)
    _users(ctx, plan)
    _panels(ctx, plan)
    writer.flush()
    say(f"Accounts and {plan.panel_meetings:,} panel meetings written.")
    for start in range(0, plan.cases, CHUNK):
        for i in range(start, min(plan.cases, start + CHUNK)):
            _case(ctx, i, plan)
        writer.flush()
        say(f"Cases {min(plan.cases, start + CHUNK):,} of {plan.cases:,} ({ctx.households:,} approved households).")
    top_up = max(0, households - ctx.households)
    for i in range(top_up):
        approved = today - timedelta(days=ctx.rng.randint(120, YEARS_BEFORE * 365))
        _household(ctx, f"{ctx.prefix}H{i + 1:06d}", None, approved, None, CarerType(_household_type(ctx)), [])
        if i % CHUNK == CHUNK - 1:
            writer.flush()
            say(f"Households {ctx.households:,} of {households:,}.")
    writer.finish()
    counts = dict(writer.written)
    _audit(ctx, households, counts)
    db.session.commit()
    say(f"Households {ctx.households:,} of {households:,}. Done.")
    return counts


# --- accounts and panels ------------------------------------------------------------------------------


def _users(ctx: _Context, plan: ScalePlan) -> None:
    existing = {u.email: u.id for u in db.session.scalars(select(User).where(User.email.like("scale.%@example.org")))}
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    password_hash = generate_password_hash(SCALE_PASSWORD, method=method)

    def account(email: str, name: str, role: Role) -> int:
        if email in existing:
            return existing[email]
        user_id = ctx.writer.new_id("user")
        ctx.writer.add(
            "user",
            {
                "id": user_id,
                "email": email,
                "name": name,
                "role": role,
                "password_hash": password_hash,
                "active": True,
                "created_at": ctx.now,
                "updated_at": ctx.now,
                "version": 1,
            },
        )
        return user_id

    ctx.manager_id = account(scale_email("manager"), "Morgan Manager", Role.MANAGER)
    account(scale_email("panel"), "Pat Panel", Role.PANEL_ADMIN)
    account(scale_email("admin"), "Ada Admin", Role.ADMIN)
    account(scale_email("viewer"), "Vic Viewer", Role.VIEWER)
    for n in range(1, plan.workers + 1):
        name = f"{FIRST[n % len(FIRST)]} {SURNAMES[(n // len(FIRST)) % len(SURNAMES)]} {n}"
        ctx.workers.append(account(scale_email("worker", n), name, Role.SOCIAL_WORKER))


def _panels(ctx: _Context, plan: ScalePlan) -> None:
    rng, today, w = ctx.rng, ctx.today, ctx.writer
    start = today - timedelta(days=YEARS_OF_CASES * 365)
    roles = [PanelRole.CHAIR, PanelRole.VICE_CHAIR, PanelRole.MEDICAL_ADVISER, PanelRole.ELECTED_MEMBER]
    roles += [PanelRole.SOCIAL_WORKER] * 3 + [PanelRole.INDEPENDENT_MEMBER] * 4
    chair = 0
    for index, role in enumerate(roles):
        member_id = w.new_id("panel_member")
        chair = chair or member_id
        w.add(
            "panel_member",
            {
                "id": member_id,
                "name": f"{FIRST[index % len(FIRST)]} {SURNAMES[index % len(SURNAMES)]}",
                "role": role,
                "independent": role is PanelRole.INDEPENDENT_MEMBER,
                "experience_years": 8 if role is PanelRole.SOCIAL_WORKER else None,
                "start_date": start - timedelta(days=400),
                "end_date": None,
                "created_at": ctx.now,
                "updated_at": ctx.now,
                "version": 1,
            },
        )
    span = (today + timedelta(days=180) - start).days
    for n in range(plan.panel_meetings):
        day = start + timedelta(days=int(n * span / plan.panel_meetings))
        cancelled = rng.random() < 0.03
        held = day < today and not cancelled
        meeting_id = w.new_id("panel_meeting")
        w.add(
            "panel_meeting",
            {
                "id": meeting_id,
                "meeting_date": day,
                "start_time": time(10, 0),
                "online": n % 3 == 0,
                "venue": "County Hall, Committee Room 2",
                "capacity": ctx.capacity,
                "status": MeetingStatus.CANCELLED
                if cancelled
                else (MeetingStatus.HELD if held else MeetingStatus.SCHEDULED),
                "cancelled_reason": "Not quorate: too few members available" if cancelled else None,
                "chair_id": chair if held else None,
                "quorate": True if held else None,
                "quorum_problems": None,
                "created_at": ctx.now,
                "updated_at": ctx.now,
                "version": 1,
            },
        )
        if not cancelled:
            ctx.meetings.append((day, meeting_id))


def _book(ctx: _Context, wanted: date) -> tuple[date, int] | None:
    """The first meeting on or after `wanted` with room on its agenda, or None past the calendar."""
    index = bisect_left(ctx.meetings, (wanted, 0))
    for day, meeting_id in ctx.meetings[index : index + 40]:
        if ctx.booked.get(meeting_id, 0) < ctx.capacity:
            ctx.booked[meeting_id] = ctx.booked.get(meeting_id, 0) + 1
            return day, meeting_id
    return None


# --- cases --------------------------------------------------------------------------------------------

_CASE_DEFAULTS: dict[str, Any] = {}


def _case_row() -> dict[str, Any]:
    if not _CASE_DEFAULTS:
        for column in Case.__table__.columns:
            _CASE_DEFAULTS[column.name] = None
        _CASE_DEFAULTS.update(
            dict.fromkeys(
                (
                    "interest_siblings",
                    "interest_teenagers",
                    "interest_parent_and_child",
                    "interest_short_breaks",
                    "brief_report",
                    "extension_pending_irm",
                ),
                False,
            )
        )
        _CASE_DEFAULTS["version"] = 1
    return dict(_CASE_DEFAULTS)


def _person(rng: random.Random, surname: str | None = None) -> str:
    return f"{rng.choice(FIRST)} {surname or rng.choice(SURNAMES)}"


def _case(ctx: _Context, i: int, plan: ScalePlan) -> None:
    rng, today, w = ctx.rng, ctx.today, ctx.writer
    case_id = w.new_id("case")
    row = _case_row()
    connected = rng.random() < 0.25
    enquiry = today - timedelta(days=rng.randint(0, YEARS_OF_CASES * 365))
    intake = rng.choice(ctx.workers)
    row.update(
        id=case_id,
        reference=f"{ctx.prefix}C{i + 1:06d}",
        carer_type=CaseCarerType.CONNECTED if connected else CaseCarerType.MAINSTREAM,
        address_line_1=f"{rng.randint(1, 140)} Mill Lane",
        town=rng.choice(TOWNS),
        postcode=f"N{rng.randint(1, 19)} {rng.randint(1, 9)}AB",
        enquiry_date=enquiry,
        enquiry_source=rng.choice(list(EnquirySource)),
        interest_age_from=0,
        interest_age_to=rng.choice((11, 17)),
        intake_worker_id=intake,
        first_contact_date=min(today, enquiry + timedelta(days=rng.randint(0, 4))),
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    surname = rng.choice(SURNAMES)
    applicants = [(_person(rng, surname), date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)))]
    if rng.random() < 0.55:
        applicants.append(
            (_person(rng, surname), date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)))
        )
    applicant_ids = []
    for position, (name, born) in enumerate(applicants, start=1):
        applicant_id = w.new_id("case_applicant")
        applicant_ids.append(applicant_id)
        w.add(
            "case_applicant",
            {
                "id": applicant_id,
                "case_id": case_id,
                "position": position,
                "name": name,
                "date_of_birth": born,
                "email": None,
                "phone": None,
                "version": 1,
            },
        )
    checks_started = _journey(ctx, row, applicant_ids[0], applicants[0][0])
    row["stage"] = derived_stage(SimpleNamespace(**row), has_sessions=False, checks_started=checks_started)
    row["eight_month_deadline"], row["reg24_deadline"] = compute_deadlines(
        row["carer_type"], row["application_date"], row["placement_date"], row["extension_weeks"]
    )
    w.add("case", row)
    if row["decision"] is CaseDecision.APPROVED:
        _household(
            ctx,
            row["reference"],
            row,
            row["decision_date"],
            row["allocated_worker_id"],
            CarerType(row["carer_type"].value),
            applicants,
        )


def _close(row: dict[str, Any], day: date, reason: ClosedReason) -> bool:
    row.update(closed_date=day, closed_reason=reason)
    return False


def _journey(ctx: _Context, row: dict[str, Any], applicant_id: int, applicant: str) -> bool:
    """Fill the case's dates as far as it got; True when Stage 1 checks have started."""
    rng, today, w = ctx.rng, ctx.today, ctx.writer
    enquiry: date = row["enquiry_date"]
    visit = enquiry + timedelta(days=rng.randint(5, 30))
    if rng.random() < 0.42 or visit > today:
        if (today - enquiry).days > 60 and rng.random() < 0.9:
            return _close(row, min(today, enquiry + timedelta(days=rng.randint(10, 60))), rng.choice(EARLY_CLOSURES))
        return False
    row.update(
        initial_visit_date=visit,
        initial_visit_worker_id=row["intake_worker_id"],
        initial_visit_outcome=VisitOutcome.INVITE_TO_APPLY,
    )
    application = visit + timedelta(days=rng.randint(7, 60))
    if application > today or rng.random() < 0.3:
        if (today - visit).days > 60 and rng.random() < 0.85:
            row["initial_visit_outcome"] = VisitOutcome.NOT_PROGRESSING
            row["initial_visit_reason"] = "Decided not to apply after the visit"
            return _close(row, min(today, visit + timedelta(days=rng.randint(1, 30))), rng.choice(EARLY_CLOSURES))
        return False
    row["application_date"] = application
    allocated = application + timedelta(days=rng.randint(0, 20))
    if row["carer_type"] is CaseCarerType.CONNECTED:
        placed = application + timedelta(days=rng.randint(0, 10))
        if placed <= today:
            row.update(placement_date=placed, child_reference=f"CH-{row['id']}")
            if rng.random() < 0.1 and placed + timedelta(weeks=15) <= today:
                row.update(
                    extension_granted_date=placed + timedelta(weeks=15),
                    extension_weeks=8,
                    extension_nominated_officer="Head of Service",
                )
    if allocated > today:
        return False
    worker = rng.choice(ctx.workers)
    row.update(allocated_worker_id=worker, allocated_date=allocated)
    w.add(
        "case_allocation",
        {
            "id": w.new_id("case_allocation"),
            "case_id": row["id"],
            "worker_id": worker,
            "allocated_date": allocated,
            "reason": None,
            "recorded_at": ctx.now,
            "recorded_by_id": ctx.manager_id,
        },
    )
    requested = allocated + timedelta(days=rng.randint(7, 40))
    if requested > today:
        return False
    stage1 = application + timedelta(days=rng.randint(60, 120))
    done = stage1 <= today
    w.add(
        "stage1_check",
        {
            "id": w.new_id("stage1_check"),
            "case_id": row["id"],
            "kind": CheckKind.DBS,
            "applicant_id": applicant_id,
            "member_id": None,
            "subject": applicant,
            "requested_date": requested,
            "received_date": min(stage1, requested + timedelta(days=21)) if done else None,
            "outcome": CheckOutcome.SATISFACTORY if done else None,
            "notes": None,
            "version": 1,
        },
    )
    if not done:
        return True
    if rng.random() < 0.12:
        row.update(stage1_decision=Stage1Decision.NOT_PROCEED, stage1_completed_date=stage1)
        row["stage1_decision_reasons"] = "Checks raised concerns the household could not address"
        _close(row, stage1, rng.choice(LATE_CLOSURES))
        return True
    row.update(stage1_decision=Stage1Decision.PROCEED, stage1_completed_date=stage1)
    row["preparation_training_date"] = min(today, stage1 + timedelta(days=rng.randint(10, 40)))
    report = application + timedelta(days=rng.randint(150, 215))
    booking = _book(ctx, report + timedelta(days=rng.randint(14, 30)))
    if booking:
        row["predicted_panel_date"] = booking[0]
    if report > today or booking is None:
        if rng.random() < 0.2:
            row["delay_reason"] = "Applicants asked for a later panel"
        return True
    row["report_completed_date"] = report
    panel, meeting_id = booking
    if panel > today:
        _item(ctx, row, meeting_id, panel, None)
        return True
    recommendation = rng.choices(list(PanelRecommendation), weights=(8, 1, 1))[0]
    row.update(panel_date=panel, panel_recommendation=recommendation, recommendation_date=panel)
    item_id = _item(ctx, row, meeting_id, panel, recommendation)
    decided = panel + timedelta(days=rng.randint(2, 9))
    if recommendation is PanelRecommendation.DEFER or decided > today:
        return True
    decision = CaseDecision.APPROVED if recommendation is PanelRecommendation.APPROVE else CaseDecision.NOT_APPROVED
    row.update(decision=decision, decision_date=decided)
    w.add(
        "adm_decision",
        {
            "id": w.new_id("adm_decision"),
            "item_id": item_id,
            "decision": Decision(decision.value),
            "decided_on": decided,
            "decision_maker": "Agency decision maker",
            "notes": None,
            "created_at": ctx.now,
            "updated_at": ctx.now,
        },
    )
    return True


def _item(
    ctx: _Context, row: dict[str, Any], meeting_id: int, panel: date, recommendation: PanelRecommendation | None
) -> int:
    item_id = ctx.writer.new_id("agenda_item")
    approve = recommendation is PanelRecommendation.APPROVE
    connected = row["carer_type"] is CaseCarerType.CONNECTED
    ctx.writer.add(
        "agenda_item",
        {
            "id": item_id,
            "meeting_id": meeting_id,
            "kind": ItemKind.CONNECTED_APPROVAL if connected else ItemKind.NEW_APPROVAL,
            "case_id": row["id"],
            "household_id": None,
            "presenter_id": row["allocated_worker_id"],
            "position": ctx.booked[meeting_id],
            "notes": None,
            "papers_received_on": panel - timedelta(days=10) if panel - timedelta(days=10) <= ctx.today else None,
            "over_capacity_reason": None,
            "withdrawn_on": None,
            "withdrawn_reason": None,
            "recommendation": Recommendation(recommendation.value) if recommendation else None,
            "recommendation_date": panel if recommendation else None,
            "approved_places": (1 if connected else 2) if approve else None,
            "age_from": 0 if approve else None,
            "age_to": 17 if approve else None,
            "placement_types": (["long_term"] if connected else ["short_term", "long_term"]) if approve else None,
            "defer_reason": "More information needed on the household's support network"
            if recommendation is PanelRecommendation.DEFER
            else None,
            "recommendation_notes": None,
            "minutes_received_on": panel + timedelta(days=5)
            if recommendation and panel + timedelta(days=5) <= ctx.today
            else None,
            "annual_review_id": None,
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        },
    )
    return item_id


# --- households ---------------------------------------------------------------------------------------


def _household_type(ctx: _Context) -> str:
    roll = ctx.rng.random()
    if roll < 0.66:
        return "mainstream"
    if roll < 0.90:
        return "connected"
    return "short_breaks" if roll < 0.96 else "parent_and_child"


def _household(
    ctx: _Context,
    reference: str,
    case: dict[str, Any] | None,
    approved: date,
    worker: int | None,
    kind: CarerType,
    carers: list[tuple[str, date]],
) -> None:
    rng, today, w = ctx.rng, ctx.today, ctx.writer
    household_id = w.new_id("household")
    ctx.households += 1
    if worker is None:
        worker = rng.choice(ctx.workers)
    surname = rng.choice(SURNAMES)
    if not carers:
        carers = [(_person(rng, surname), date(rng.randint(1958, 1992), rng.randint(1, 12), rng.randint(1, 28)))]
        if rng.random() < 0.72:
            carers.append(
                (_person(rng, surname), date(rng.randint(1958, 1992), rng.randint(1, 12), rng.randint(1, 28)))
            )
    ended = None
    chance = 0.05 if case else 0.25
    if rng.random() < chance and (today - approved).days > 230:
        ended = approved + timedelta(days=rng.randint(200, (today - approved).days - 5))
    connected = kind is CarerType.CONNECTED
    places = 1 if connected else rng.choice((1, 2, 2, 3))
    types = {"connected": ["long_term"], "short_breaks": ["short_breaks"]}.get(kind.value, ["short_term", "long_term"])
    if kind is CarerType.PARENT_AND_CHILD:
        types = ["parent_and_child", "short_term"]
    on_hold = ended is None and rng.random() < 0.02
    w.add(
        "household",
        {
            "id": household_id,
            "reference": reference,
            "carer_type": kind,
            "address": f"{rng.randint(1, 140)} Mill Lane\n{rng.choice(TOWNS)}",
            "postcode": case["postcode"] if case else f"S{rng.randint(1, 19)} {rng.randint(1, 9)}XY",
            "supervising_worker_id": None if ended and rng.random() < 0.3 else worker,
            "approval_date": approved,
            "case_id": case["id"] if case else None,
            "approved_places": places,
            "age_from": 0,
            "age_to": 2 if kind is CarerType.PARENT_AND_CHILD else 17,
            "placement_types": sorted(t for t in types if t in {p.value for p in PlacementType}),
            "on_hold_reason": "Carers taking a break after a long-term placement ended" if on_hold else None,
            "on_hold_since": today - timedelta(days=rng.randint(10, 80)) if on_hold else None,
            "deregistration_notice_date": None,
            "deregistration_date": ended,
            "deregistration_reason": rng.choice(list(DeregistrationReason)) if ended else None,
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        },
    )
    until = ended or today
    training_due = training_due_date(approved, kind)
    for name, born in carers:
        trained = approved + timedelta(days=rng.randint(60, max(61, (training_due - approved).days - 10)))
        member = _member(ctx, household_id, name, born, Relationship.CARER, approved)
        member["tsd_completed_date"] = trained if trained <= today and rng.random() < 0.93 else None
        _dbs(ctx, member["id"], approved - timedelta(days=120), until)
    roll = rng.random()
    if roll < 0.40:
        for _ in range(1 if rng.random() < 0.6 else 2):
            born = today - timedelta(days=rng.randint(365 * 2, int(365 * 17.5)))
            _member(ctx, household_id, _person(rng, surname), born, Relationship.BIRTH_CHILD, None)
    elif roll < 0.62:
        relationship = Relationship.ADULT_CHILD if roll < 0.54 else Relationship.OTHER_ADULT
        born = today - timedelta(days=rng.randint(365 * 19, 365 * 40))
        adult = _member(ctx, household_id, _person(rng, surname), born, relationship, approved)
        _dbs(ctx, adult["id"], max(approved, birthday(born, 18)) - timedelta(days=60), until)
    _reviews(ctx, household_id, approved, until, behind=ended is None and rng.random() < 0.1)
    _placements(ctx, household_id, kind, approved, ended, places, on_hold)
    if ended is None and kind is not CarerType.SHORT_BREAKS and ctx.households % ctx.staying_put_every == 0:
        _staying_put(ctx, household_id)


def _member(
    ctx: _Context, household_id: int, name: str, born: date, relationship: Relationship, joined: date | None
) -> dict[str, Any]:
    row = {
        "id": ctx.writer.new_id("household_member"),
        "household_id": household_id,
        "name": name,
        "date_of_birth": born,
        "role": role_for(relationship),
        "relationship": relationship,
        "joined_date": joined,
        "left_date": None,
        "tsd_completed_date": None,
        "created_at": ctx.now,
        "updated_at": ctx.now,
        "version": 1,
    }
    ctx.writer.add("household_member", row)
    return row


def _dbs(ctx: _Context, member_id: int, since: date, until: date) -> None:
    """Certificates every three years since `since`, the latest current, due soon, expired or missing."""
    rng, today = ctx.rng, ctx.today
    roll = rng.random()
    if roll < 0.03:
        return
    if roll < 0.09:
        latest = today - timedelta(days=rng.randint(3 * 365 + 5, 3 * 365 + 200))
    elif roll < 0.19:
        latest = today - timedelta(days=rng.randint(3 * 365 - 85, 3 * 365 - 1))
    else:
        latest = today - timedelta(days=rng.randint(20, 3 * 365 - 120))
    latest = min(max(latest, since), until, today - timedelta(days=1))
    issued = [latest]
    if latest - timedelta(days=3 * 365) > since and rng.random() < 0.5:
        issued.append(latest - timedelta(days=3 * 365 - rng.randint(0, 60)))
    for day in reversed(issued):
        disclosed = rng.random() < 0.04
        ctx.writer.add(
            "dbs_check",
            {
                "id": ctx.writer.new_id("dbs_check"),
                "member_id": member_id,
                "certificate_number": f"00{rng.randint(10**9, 10**10 - 1)}",
                "issue_date": day,
                "enhanced_with_barred_list": True,
                "update_service": False,
                "outcome": DbsOutcome.DISCLOSED if disclosed else DbsOutcome.CLEAR,
                "risk_assessed_on": day + timedelta(days=10) if disclosed else None,
                "risk_decision": RiskDecision.ACCEPTED if disclosed else None,
                "created_at": ctx.now,
                "updated_at": ctx.now,
                "version": 1,
            },
        )


def _reviews(ctx: _Context, household_id: int, approved: date, until: date, behind: bool) -> None:
    rng = ctx.rng
    due = add_months_clamped(approved, 12)
    first = True
    while due <= until:
        if behind and add_months_clamped(due, 12) > until:
            break  # the latest review has not happened: overdue
        completed = due - timedelta(days=rng.randint(0, 45))
        ctx.writer.add(
            "annual_review",
            {
                "id": ctx.writer.new_id("annual_review"),
                "household_id": household_id,
                "completed_date": completed,
                "outcome": ReviewOutcome.CONTINUE if rng.random() < 0.9 else ReviewOutcome.CHANGE_OF_TERMS,
                "went_to_panel": first,
                "notes": None,
                "created_at": ctx.now,
                "updated_at": ctx.now,
                "version": 1,
            },
        )
        first = False
        due = add_months_clamped(completed, 12)


def _placement(ctx: _Context, household_id: int, start: date, end: date | None) -> None:
    ctx.child_number += 1
    ctx.writer.add(
        "placement",
        {
            "id": ctx.writer.new_id("placement"),
            "household_id": household_id,
            "child_reference": f"{ctx.prefix}CH{ctx.child_number:07d}",
            "start_date": start,
            "end_date": end,
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        },
    )


def _placements(
    ctx: _Context, household_id: int, kind: CarerType, approved: date, ended: date | None, places: int, on_hold: bool
) -> None:
    rng = ctx.rng
    until = ended or ctx.today
    span = max(1, (until - approved).days - 60)
    for _ in range(rng.randint(0, 1)):
        start = approved + timedelta(days=rng.randint(0, span))
        end = start + timedelta(days=rng.randint(5 if kind is CarerType.SHORT_BREAKS else 30, 500))
        if end < until:
            _placement(ctx, household_id, start, end)
    if ended or on_hold or kind is CarerType.SHORT_BREAKS:
        return
    weights = {1: (0.15, 0.85), 2: (0.1, 0.35, 0.55), 3: (0.05, 0.25, 0.4, 0.3)}[places]
    for _ in range(rng.choices(range(len(weights)), weights=weights)[0]):
        _placement(ctx, household_id, approved + timedelta(days=rng.randint(0, max(1, (until - approved).days))), None)


def _staying_put(ctx: _Context, household_id: int) -> None:
    rng, today = ctx.rng, ctx.today
    ended = rng.random() < 0.2
    born = today - timedelta(days=rng.randint(19 * 365, 22 * 365) if ended else 18 * 365 + rng.randint(30, 700))
    start = birthday(born, 18)
    end = min(birthday(born, 21), today - timedelta(days=5)) if ended else None
    member = _member(ctx, household_id, _person(rng), born, Relationship.STAYING_PUT, start)
    member["left_date"] = end
    ctx.writer.add(
        "staying_put",
        {
            "id": ctx.writer.new_id("staying_put"),
            "household_id": household_id,
            "young_person_reference": f"{ctx.prefix}YP{ctx.households:06d}",
            "date_of_birth": born,
            "start_date": start,
            "planned_end_date": birthday(born, 21),
            "end_date": end,
            "end_reason": StayingPutEndReason.TURNED_21 if ended else None,
            "household_remains_approved": True,
            "member_id": member["id"],
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        },
    )
    _dbs(ctx, member["id"], start - timedelta(days=60), end or today)


def _audit(ctx: _Context, households: int, counts: dict[str, int]) -> None:
    """One audit event for the whole run: bulk inserts bypass the per-record audit hook."""
    from carertrack.audit.recorder import current_actor

    actor_id, actor_label = current_actor()
    ctx.writer.connection.execute(
        insert(AuditEvent.__table__),
        [
            {
                "occurred_at": utcnow(),
                "actor_id": actor_id,
                "actor_label": actor_label[:200],
                "action": "create",
                "entity_type": "ScaleData",
                "entity_id": ctx.prefix.rstrip("-"),
                "parent_type": None,
                "parent_id": None,
                "summary": f"Generated data for {households:,} households (flask seed scale), "
                f"{sum(counts.values()):,} rows written in bulk",
                "changes": {table: [None, count] for table, count in sorted(counts.items())},
            }
        ],
    )
