"""The import's columns and vocabularies are exactly those of CONTRACTS.md sections 1 and 3: a column or a
code added, renamed or dropped in the code breaks the promise to councils, so it fails here first."""

from __future__ import annotations

import pytest

from carertrack.imports.columns import CellError
from carertrack.imports.engine import KINDS

# CONTRACTS.md section 1, in its order; required columns marked.
CONTRACT_COLUMNS = {
    "cases": [
        ("reference", True),
        ("carer_type", True),
        ("applicant_1_name", True),
        ("applicant_2_name", False),
        ("enquiry_date", False),
        ("enquiry_source", False),
        ("initial_visit_date", False),
        ("application_date", False),
        ("allocated_date", False),
        ("allocated_worker", False),
        ("temporary_approval_date", False),
        ("extension_granted", False),
        ("stage1_completed_date", False),
        ("predicted_panel_date", False),
        ("panel_date", False),
        ("panel_recommendation", False),
        ("decision_date", False),
        ("decision", False),
        ("closed_date", False),
        ("closed_reason", False),
        ("delay_reason", False),
    ],
    "households": [
        ("reference", True),
        ("carer_type", False),
        ("carer_1_name", True),
        ("carer_2_name", False),
        ("approval_date", True),
        ("deregistration_date", False),
        ("deregistration_reason", False),
        ("approved_places", False),
        ("age_from", False),
        ("age_to", False),
    ],
    "people": [
        ("household_reference", True),
        ("name", True),
        ("date_of_birth", False),
        ("role", False),
        ("dbs_certificate_number", False),
        ("dbs_issue_date", False),
        ("dbs_update_service", False),
        ("dbs_last_status_check_date", False),
        ("left_household_date", False),
    ],
    "staying-put": [
        ("household_reference", True),
        ("young_person_reference", True),
        ("date_of_birth", True),
        ("start_date", True),
        ("end_date", False),
        ("end_reason", False),
    ],
}

# CONTRACTS.md sections 1 and 3: (kind, column) -> every code it accepts.
VOCABULARIES = {
    ("cases", "carer_type"): ["mainstream", "connected"],
    ("cases", "enquiry_source"): [
        "website",
        "phone",
        "email",
        "event",
        "existing_carer",
        "social_media",
        "ifa_transfer",
        "other",
    ],
    ("cases", "panel_recommendation"): ["approve", "not_approve", "defer"],
    ("cases", "decision"): ["approved", "not_approved"],
    ("cases", "closed_reason"): [
        "AW0",
        "AW1",
        "AW2",
        "AW3",
        "AW4",
        "AW5",
        "counselled_out",
        "unsuitable_stage1",
        "moved_away",
        "chose_ifa",
        "no_response",
        "other",
    ],
    ("households", "carer_type"): ["mainstream", "connected", "short_breaks", "parent_and_child"],
    ("households", "deregistration_reason"): [
        "resigned",
        "retired",
        "transferred_ifa",
        "transferred_la",
        "sgo",
        "adoption",
        "terminated",
        "placement_ended",
        "moved_away",
        "death",
        "other",
    ],
    ("people", "role"): ["carer", "adult_member", "child_member"],
    ("staying-put", "end_reason"): ["turned_21", "moved_on", "breakdown", "returned_home", "other"],
}
YES_NO = {("cases", "extension_granted"), ("people", "dbs_update_service")}
DATES = {
    "cases": {
        "enquiry_date",
        "initial_visit_date",
        "application_date",
        "allocated_date",
        "temporary_approval_date",
        "stage1_completed_date",
        "predicted_panel_date",
        "panel_date",
        "decision_date",
        "closed_date",
    },
    "households": {"approval_date", "deregistration_date"},
    "people": {"date_of_birth", "dbs_issue_date", "dbs_last_status_check_date", "left_household_date"},
    "staying-put": {"date_of_birth", "start_date", "end_date"},
}


def _column(kind: str, name: str):
    return next(column for column in KINDS[kind].columns if column.name == name)


def test_the_kinds_are_those_of_the_contract():
    assert list(KINDS) == ["cases", "households", "people", "staying-put"]


@pytest.mark.parametrize("kind", list(CONTRACT_COLUMNS))
def test_each_kind_has_exactly_the_contract_columns_and_required_ones(kind):
    assert [(column.name, column.required) for column in KINDS[kind].columns] == CONTRACT_COLUMNS[kind]


@pytest.mark.parametrize(("kind", "name"), list(VOCABULARIES))
def test_each_vocabulary_accepts_exactly_its_codes(kind, name):
    column = _column(kind, name)
    for code in VOCABULARIES[(kind, name)]:
        assert column.read(code) == code
        assert column.read(code.upper()) == code  # codes are matched without regard to case
    with pytest.raises(CellError):
        column.read("not_a_code")
    # The message lists every code and nothing else.
    with pytest.raises(CellError) as raised:
        column.read("not_a_code")
    listed = str(raised.value).split(" must be ", 1)[1].split(", not ", 1)[0].replace(" or ", ", ").split(", ")
    assert sorted(listed) == sorted(VOCABULARIES[(kind, name)])


@pytest.mark.parametrize(("kind", "name"), sorted(YES_NO))
def test_booleans_are_yes_or_no(kind, name):
    column = _column(kind, name)
    assert (column.read("yes"), column.read("no")) == (True, False)
    with pytest.raises(CellError):
        column.read("true")


@pytest.mark.parametrize("kind", list(DATES))
def test_every_date_column_takes_iso_and_uk_dates(kind):
    from datetime import date

    for name in DATES[kind]:
        column = _column(kind, name)
        assert column.read("2018-02-01") == date(2018, 2, 1), name
        assert column.read("1/2/2018") == date(2018, 2, 1), name
        assert column.read("01/02/2018") == date(2018, 2, 1), name
        with pytest.raises(CellError):
            column.read("2018/02/01")


@pytest.mark.parametrize("kind", list(CONTRACT_COLUMNS))
def test_blank_means_unknown_in_every_optional_column(kind):
    for column in KINDS[kind].columns:
        if not column.required:
            assert column.read(None) is None, column.name
