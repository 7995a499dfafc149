"""pipeline and search indexes: open cases (covering), trigram search (PostgreSQL only)

The pipeline's stage counts and urgency order read only open cases: a partial index on them holding
every column they read lets PostgreSQL answer from the index alone. Searching cases by reference,
postcode and applicant name (ILIKE '%term%') uses trigram GIN indexes from the pg_trgm extension,
on PostgreSQL only; the database role must be allowed to create pg_trgm (a trusted extension since
PostgreSQL 13, so the database owner can), or a superuser creates it once beforehand.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 11:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN_CASE_PREDICATE = "closed_date IS NULL AND decision IS NULL"
OPEN_CASE_INDEX_COLUMNS = [
    "stage",
    "carer_type",
    "allocated_worker_id",
    "application_date",
    "eight_month_deadline",
    "reg24_deadline",
    "placement_date",
    "predicted_panel_date",
    "panel_date",
    "panel_recommendation",
    "recommendation_date",
    "decision_date",
    "closed_date",
    "reference",
    "id",
]


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.create_index(
        "ix_case_open",
        "case",
        OPEN_CASE_INDEX_COLUMNS,
        unique=False,
        if_not_exists=True,
        postgresql_where=sa.text(OPEN_CASE_PREDICATE),
        sqlite_where=sa.text(OPEN_CASE_PREDICATE),
    )
    if _postgresql():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_case_reference_trgm",
            "case",
            ["reference"],
            unique=False,
            if_not_exists=True,
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        )
        op.create_index(
            "ix_case_postcode_trgm",
            "case",
            [sa.func.replace(sa.column("postcode"), " ", "").label("postcode_compact")],
            unique=False,
            if_not_exists=True,
            postgresql_using="gin",
            postgresql_ops={"postcode_compact": "gin_trgm_ops"},
        )
        op.create_index(
            "ix_case_applicant_name_trgm",
            "case_applicant",
            ["name"],
            unique=False,
            if_not_exists=True,
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )


def downgrade():
    if _postgresql():
        op.drop_index("ix_case_applicant_name_trgm", table_name="case_applicant", if_exists=True)
        op.drop_index("ix_case_postcode_trgm", table_name="case", if_exists=True)
        op.drop_index("ix_case_reference_trgm", table_name="case", if_exists=True)
        # The extension stays: other objects may use it, and dropping it needs the right to.
    op.drop_index("ix_case_open", table_name="case", if_exists=True)
