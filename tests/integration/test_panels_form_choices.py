"""Every choice in the households and panels forms, and in the lists their routes build, is a WTForms
SelectChoice, never a tuple (deprecated in WTForms 3.3, removed in 3.4).

Each form is built and rendered, and each page that fills choices in its route is fetched, with
DeprecationWarning raised as an error, so a tuple coming back fails here.
"""

from __future__ import annotations

import inspect
import warnings
from datetime import timedelta

import pytest
from flask import template_rendered
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice, SelectFieldBase

from carertrack.dates import today
from carertrack.households import forms as household_forms
from carertrack.models.panel_agenda import ItemKind
from carertrack.models.user import Role
from carertrack.panels import forms as panel_forms
from carertrack.panels import item_forms
from tests.factories import make_user
from tests.household_factories import make_household
from tests.panel_factories import book, make_case, make_meeting, make_members


def _form_classes(*modules):
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__
    ]


FORMS = _form_classes(household_forms, panel_forms, item_forms)
KIND_FORMS = {item_forms.OutcomeForm, item_forms.DecisionForm}


def _build(form_class):
    if form_class in KIND_FORMS:
        return [form_class(kind) for kind in ItemKind]
    return [form_class()]


def _check_choices(form) -> None:
    for field in form:
        if isinstance(field, SelectFieldBase) and field.choices is not None:
            assert all(isinstance(choice, SelectChoice) for choice in field.choices), field.name
            html = str(field())
            for choice in field.choices:
                assert f'value="{choice.value}"' in html, (field.name, choice.value)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__.split('.')[-1]}.{cls.__name__}")
def test_declared_choices_are_select_choices(app, form_class):
    with app.test_request_context("/"), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for form in _build(form_class):
            _check_choices(form)


def test_the_walk_reaches_the_forms_with_choices():
    names = {cls.__name__ for cls in FORMS}
    assert {"NewHouseholdForm", "MemberForm", "DbsCheckForm", "DeregistrationForm"} <= names
    assert {"MeetingForm", "AttendanceForm", "BookingForm", "OutcomeForm", "DecisionForm", "DeterminationForm"} <= names


def test_pages_whose_routes_fill_choices_render_without_deprecation(app, client, signed_in_as):
    signed_in_as(Role.PANEL_ADMIN)
    worker = make_user(app, Role.SOCIAL_WORKER)
    make_members(app)
    meeting_id = make_meeting(app, today() + timedelta(days=14))
    make_meeting(app, today() + timedelta(days=42))
    make_household(app, worker_id=worker.id)
    item_id = book(app, meeting_id, worker.id, case_id=make_case(app, worker_id=worker.id))
    urls = [
        "/panels/meetings/new",
        f"/panels/meetings/{meeting_id}/edit",
        f"/panels/meetings/{meeting_id}/expected",
        f"/panels/meetings/{meeting_id}/items/new",
        f"/panels/items/{item_id}/move",
        f"/panels/items/{item_id}/conflicts/new",
    ]
    # WTForms warns only when a field is built with tuples, not when a route assigns them afterwards, so
    # the choices of every form each page renders are checked as the template receives them.
    checked: list[str] = []

    def check_form(sender, template, context, **extra):
        form = context.get("form")
        if form is not None:
            for field in form:
                if isinstance(field, SelectFieldBase) and field.choices:
                    assert all(isinstance(c, SelectChoice) for c in field.choices), (template.name, field.name)
                    checked.append(f"{template.name}:{field.name}")

    with warnings.catch_warnings(), template_rendered.connected_to(check_form, app):
        warnings.simplefilter("error", DeprecationWarning)
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert {
        "panels/meeting_form.html:chair_id",
        "panels/attendance.html:members",
        "panels/book_item.html:case_id",
        "panels/book_item.html:household_id",
        "panels/book_item.html:presenter_id",
        "panels/item_form.html:meeting_id",
        "panels/item_form.html:member_id",
    } <= set(checked)
