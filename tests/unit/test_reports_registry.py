"""How reports are written out: CSV, JSON and the text table."""

from __future__ import annotations

import json
from datetime import date

from carertrack.reports.registry import Table, to_csv, to_json


def test_csv_defuses_text_a_spreadsheet_would_run_but_leaves_numbers_alone():
    table = Table(["reference", "net", "reason"], [["=HYPERLINK(1)", -2, "-waiting"], ["A1", 3, None]])
    assert to_csv(table) == "reference,net,reason\n'=HYPERLINK(1),-2,'-waiting\nA1,3,\n"


def test_json_writes_dates_as_iso_and_none_as_null():
    assert json.loads(to_json({"as_of": date(2025, 3, 31), "median_days": None})) == {
        "as_of": "2025-03-31",
        "median_days": None,
    }
