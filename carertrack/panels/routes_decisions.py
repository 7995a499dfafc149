"""Outcomes, ADM decisions, qualifying determinations, and the lists that chase them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from carertrack.access import get_or_404, roles
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.panel_agenda import Decision, FinalDecision, QualifyingDetermination, Recommendation
from carertrack.models.user import Role
from carertrack.panels import decisions, queries, rules
from carertrack.panels.blueprint import EDITORS, READERS, bp, can_edit, load_item, save, status_code
from carertrack.panels.item_forms import DecisionForm, DeterminationForm, OutcomeForm

OWN_ITEMS_PER_PAGE = 25


@bp.route("/items/<int:item_id>/outcome", methods=["GET", "POST"])
@roles(*EDITORS)
def outcome(item_id: int):
    """The panel's recommendation (approve with terms, do not approve, defer with reason) and the minutes date."""
    item = load_item(item_id)
    form = OutcomeForm(item.kind)
    if request.method == "GET":
        form.load_version(item)
        subject = item.household
        form.recommendation.data = item.recommendation.value if item.recommendation else None
        form.approved_places.data = item.approved_places
        form.age_from.data = item.age_from
        form.age_to.data = item.age_to
        form.placement_types.data = list(item.placement_types or [])
        if item.recommendation is None and subject is not None:
            # A review starts from the household's current terms.
            form.approved_places.data = subject.approved_places
            form.age_from.data = subject.age_from
            form.age_to.data = subject.age_to
            form.placement_types.data = list(subject.placement_types or [])
        form.defer_reason.data = item.defer_reason
        form.notes.data = item.recommendation_notes
        form.minutes_received_on.data = item.minutes_received_on

    def change() -> None:
        values = decisions.OutcomeValues(
            recommendation=Recommendation(form.recommendation.data),
            terms=decisions.Terms(
                approved_places=form.approved_places.data,
                age_from=form.age_from.data,
                age_to=form.age_to.data,
                placement_types=list(form.placement_types.data or []),
            ),
            defer_reason=form.defer_reason.data,
            notes=form.notes.data,
            minutes_received_on=form.minutes_received_on.data,
        )
        decisions.record_outcome(item, values, today())

    if save(form, item, change):
        flash("Outcome saved.", "success")
        return redirect(url_for("panels.item", item_id=item.id))
    return render_template(
        "panels/outcome.html", form=form, item=item, with_terms=item.kind in rules.TERMS_KINDS
    ), status_code(form)


@bp.route("/items/<int:item_id>/decision", methods=["GET", "POST"])
@roles(*EDITORS)
def decision(item_id: int):
    """The agency decision maker's decision; approving an applicant creates their approved household."""
    item = load_item(item_id)
    if item.decision is not None or not rules.needs_decision(item):
        flash("This item has no recommendation waiting for a decision.")
        return redirect(url_for("panels.item", item_id=item.id))
    form = DecisionForm(item.kind)
    if request.method == "GET":
        form.load_version(item)
    created = []

    def change() -> None:
        values = decisions.DecisionValues(
            decision=Decision(form.decision.data),
            decided_on=form.decided_on.data,
            decision_maker=form.decision_maker.data,
            notes=form.notes.data,
            letter_date=form.letter_date.data,
            extension_weeks=form.extension_weeks.data,
        )
        created.append(decisions.record_decision(item, values, today()))

    if save(form, item, change):
        made = created[0]
        message = f"Decision recorded: {rules.decision_label(item.kind, made.decision).lower()}."
        if item.case is not None and item.case.decision is not None and made.decision is Decision.APPROVED:
            message += f" Approved household {item.case.reference} has been created."
        if made.determination is not None:
            message += " This is a qualifying determination: the 28 days for representations or an IRM application are tracked."
        flash(message, "success")
        return redirect(url_for("panels.item", item_id=item.id))
    return render_template(
        "panels/decision.html",
        form=form,
        item=item,
        adm=rules.adm_clock(item, today()),
    ), status_code(form)


@bp.route("/decisions-awaited")
@roles(*READERS)
def decisions_awaited():
    """Recommendations waiting for the agency decision maker, with their 7-working-day clocks."""
    return render_template("panels/decisions_awaited.html", views=queries.awaiting_views(today()), today=today())


@bp.route("/determinations")
@roles(*READERS)
def determinations():
    """Refusals, terminations and changes of terms with no final decision yet, and their 28-day windows."""
    return render_template(
        "panels/determinations.html", views=queries.open_determinations(today()), editor=can_edit(current_user)
    )


@bp.route("/determinations/<int:determination_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def determination(determination_id: int):
    """Record the letter, representations, an IRM application and the final decision."""
    record = get_or_404(QualifyingDetermination, determination_id)
    item = record.item
    if not record.is_open:
        flash("The final decision is recorded. This determination is closed.")
        return redirect(url_for("panels.item", item_id=item.id))
    form = DeterminationForm()
    if request.method == "GET":
        form.load_version(record)
        form.letter_date.data = record.letter_date
        form.representations_received_on.data = record.representations_received_on
        form.irm_applied_on.data = record.irm_applied_on
        form.notes.data = record.notes

    def change() -> None:
        values = decisions.DeterminationValues(
            letter_date=form.letter_date.data,
            representations_received_on=form.representations_received_on.data,
            irm_applied_on=form.irm_applied_on.data,
            final_decision=FinalDecision(form.final_decision.data) if form.final_decision.data else None,
            final_decision_date=form.final_decision_date.data,
            notes=form.notes.data,
        )
        decisions.record_determination(record, values, today())

    if save(form, record, change):
        flash("Determination saved.", "success")
        return redirect(url_for("panels.item", item_id=item.id))
    return render_template(
        "panels/determination.html",
        form=form,
        determination=record,
        item=item,
        irm=rules.irm_clock(record, today()),
    ), status_code(form)


@bp.route("/my-items")
@roles(Role.SOCIAL_WORKER)
def my_items():
    """A social worker's panel items: those they present and those about their cases and households."""
    day = today()
    page = db.paginate(queries.own_items_statement(current_user, day), per_page=OWN_ITEMS_PER_PAGE, error_out=False)
    queries.load_applicants(page.items)
    views = queries.item_views(page.items, rules.papers_deadline_for, day)
    return render_template("panels/my_items.html", views=views, page=page, today=day)
