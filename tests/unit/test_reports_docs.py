"""docs/reports.md defines every column of the annual return CSV (issue: "document each column's definition")."""

from __future__ import annotations

import re
from pathlib import Path

from carertrack.reports.annual_return import COLUMNS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def documented_columns() -> set[str]:
    """The column names of the table under "The annual return", expanding `a_b_c` / `_d` to a_b_d."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## The annual return", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        tokens = re.findall(r"`([a-z0-9_]+)`", first_cell)
        full = [t for t in tokens if not t.startswith("_")]
        names.update(full)
        if full:
            parts = full[0].split("_")
            prefixes = ["_".join(parts[:cut]) for cut in range(1, len(parts))]
            for suffix in (t for t in tokens if t.startswith("_")):
                names.update(prefix + suffix for prefix in prefixes)
    return names


def test_every_annual_return_column_is_defined_in_the_docs():
    missing = [column for column in COLUMNS if column not in documented_columns()]
    assert not missing, f"docs/reports.md does not define: {missing}"


def test_the_check_finds_an_undocumented_column():
    assert "applications_withdrawn_aw3" in documented_columns()
    assert "applications_withdrawn_aw9" not in documented_columns()
