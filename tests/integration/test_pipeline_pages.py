"""The pipeline's pages (worked out per stage from the stage counts, over a narrow sorted row) hold exactly
the cases of the whole ordered list, page after page, under every filter; and the search finds the same
cases whichever of its two forms runs."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.cases import queries
from carertrack.cases.rules import ClockSettings
from carertrack.extensions import db
from carertrack.models.case import CarerType, Case, Stage
from carertrack.models.case_records import CaseApplicant
from tests.integration.test_cases_status_sql import AS_OF, build_cases

FILTERS = [
    queries.PipelineFilters(),
    queries.PipelineFilters(stage=Stage.STAGE2),
    queries.PipelineFilters(stage=Stage.PANEL, carer_type=CarerType.CONNECTED),
    queries.PipelineFilters(status="at_risk"),
    queries.PipelineFilters(status="none"),
    queries.PipelineFilters(query="SQL-01"),
    queries.PipelineFilters(query="smi"),
    queries.PipelineFilters(query="1"),
    queries.PipelineFilters(query="ab 1"),
]


@pytest.fixture
def varied(app):
    """The status test's cases spread over the open stages, some with applicants and postcodes."""
    build_cases(app, 160)
    rng = random.Random(77)
    stages = [stage for stage in Stage if stage != Stage.DECIDED]
    names = ["Ann Smith", "Bob Smithson", "Cy Jones", "Di O'Smith", "Ed 100%"]
    with app.app_context(), acting_as("test setup"):
        for case in db.session.scalars(select(Case)):
            case.stage = rng.choice(stages)
            case.postcode = rng.choice([None, "AB1 2CD", "SM1 1TH", "ab12 3ef"])
            if rng.random() < 0.5:
                db.session.add(CaseApplicant(case_id=case.id, position=1, name=rng.choice(names)))
        db.session.commit()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f))
def test_pages_are_the_whole_list_in_order(app, varied, filters):
    settings = ClockSettings()
    per_page = 7
    with app.app_context():
        whole = list(db.session.scalars(queries.pipeline_statement(filters, AS_OF, settings)).unique())
        counts = queries.stage_counts(filters, AS_OF, settings)
        total = counts[filters.stage]["total"] if filters.stage else sum(c["total"] for c in counts.values())
        assert total == len(whole)
        paged: list[Case] = []
        for number in range(1, len(whole) // per_page + 3):  # one page past the end, which is empty
            statement = queries.pipeline_page_statement(filters, AS_OF, settings, counts, number, per_page)
            page = list(db.session.scalars(statement).unique())
            assert len(page) <= per_page
            paged += page
        assert [c.id for c in paged] == [c.id for c in whole]
        if filters == queries.PipelineFilters():
            assert len({c.stage for c in whole}) > 3, "the pages cross stage boundaries"


@pytest.mark.parametrize("term", ["smi", "SMITH", "sm1 1", "ab12", "SQL-00", "100%", "o'sm", "zzz", "a", "1"])
def test_search_forms_agree(app, varied, term, monkeypatch):
    """The indexed form (a union of id lookups, PostgreSQL from three characters) and the plain form match
    the same cases."""
    with app.app_context():
        found = {}
        for indexed in (True, False):
            monkeypatch.setattr(queries, "_trigram_served", lambda query, indexed=indexed: indexed)
            found[indexed] = set(db.session.scalars(select(Case.id).where(queries.search_condition(term))))
        assert found[True] == found[False]
