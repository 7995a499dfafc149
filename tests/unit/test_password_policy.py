"""The password policy shared by the web pages and `flask users create`."""

from __future__ import annotations

import pytest

from carertrack.auth.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalise_email, password_problem

COMMON = "Password is too common or easy to guess. Try three or four random words together"
NAMED = "Password must not include the person's name or email address"


@pytest.mark.parametrize(
    "password",
    ["copper-kettle-orchard-swim-41", "lantern meadow tractor plum", "Violet!Harbour#Quince7", "x7$Kq9!mZ2@pL4"],
)
def test_strong_passwords_pass(password):
    assert password_problem(password, email="sam.okafor@example.org", name="Sam Okafor") is None


def test_too_short():
    assert password_problem("a" * (MIN_PASSWORD_LENGTH - 1)) == "Password must be 12 characters or more"


def test_too_long():
    assert password_problem("ab3$" * 40) == "Password must be 128 characters or fewer"
    assert MAX_PASSWORD_LENGTH == 128


@pytest.mark.parametrize(
    "password", ["password1234", "qwertyuiop123", "123456789012", "iloveyou2024!", "aaaaaaaaaaaa", "fostering123456"]
)
def test_common_or_guessable_passwords_are_refused(password):
    assert password_problem(password) == COMMON


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("priyashah2024", "priya.shah@example.org", "Priya Shah"),
        ("Gwendolyn-Sunday-88", "g.a@example.org", "Gwendolyn Abernathy"),
        ("my-pshah-account-9", "pshah@example.org", "Priya Shah"),
    ],
)
def test_passwords_built_from_the_persons_name_or_email_are_refused(password, email, name):
    assert password_problem(password, email=email, name=name) == NAMED


def test_short_name_parts_do_not_refuse_ordinary_words():
    assert password_problem("banner-planning-tulip-93", email="ann@example.org", name="Ann Li") is None


def test_email_addresses_compare_without_case_or_spaces():
    assert normalise_email("  Jo.Bloggs@Example.ORG ") == "jo.bloggs@example.org"
    assert normalise_email(None) == ""
