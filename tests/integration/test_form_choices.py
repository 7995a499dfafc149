"""Every choice field in the cases and admin forms is declared with WTForms' SelectChoice, not tuples.

WTForms 3.3 deprecates tuple choices (removed in 3.4). Building and rendering each form with
DeprecationWarning raised as an error fails here the moment a tuple comes back.
"""

from __future__ import annotations

import inspect
import warnings

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice, SelectFieldBase

from carertrack.admin import forms as admin_forms
from carertrack.cases import forms as case_forms
from carertrack.cases.routes_steps import _worker_choices
from carertrack.models.user import Role
from tests.factories import make_user


def _form_classes(module):
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__
    ]


FORMS = _form_classes(case_forms) + _form_classes(admin_forms)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__.split('.')[1]}.{cls.__name__}")
def test_choices_are_select_choices_and_render_without_deprecation(app, form_class):
    with app.test_request_context("/"), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        form = form_class(None) if form_class is admin_forms.SetPasswordForm else form_class()
        for field in form:
            if isinstance(field, SelectFieldBase):
                assert all(isinstance(choice, SelectChoice) for choice in field.choices or []), field.name
                html = str(field())
                for choice in field.choices or []:
                    assert f'value="{choice.value}"' in html, (field.name, choice.value)


def test_the_forms_with_choices_are_all_covered():
    """The walk above really reaches the fields it is meant to check."""
    names = {cls.__name__ for cls in FORMS}
    assert {"EnquiryForm", "MemberForm", "InitialVisitForm", "CheckForm", "CloseForm", "UserDetailsForm"} <= names


def test_worker_choices_built_in_routes_are_select_choices(app):
    make_user(app, Role.SOCIAL_WORKER, name="Ana Worker")
    with app.app_context():
        choices = _worker_choices()
    assert choices[0] == SelectChoice("", "Select a social worker")
    assert [c.label for c in choices[1:]] == ["Ana Worker"]
    assert all(isinstance(c, SelectChoice) for c in choices)
