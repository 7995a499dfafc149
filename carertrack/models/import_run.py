"""A spreadsheet import that was written: who ran it, when, which file, and what it created.

Failed and dry-run imports write nothing, so they leave no row here. Each run is audited on
create like any other record, so the audit log shows the import beside the records it created.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, utcnow
from carertrack.models.user import User


class ImportRun(Base):
    """One import written to the database, with its counts."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200), nullable=False)
    # How the run came in: "command line" or "web".
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    created_rows: Mapped[int] = mapped_column(Integer, nullable=False)
    unchanged_rows: Mapped[int] = mapped_column(Integer, nullable=False)
    completed_rows: Mapped[int] = mapped_column(Integer, nullable=False)
    # What was created, by kind of record: {"cases": 120, "households": 31, ...}.
    created: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    actor: Mapped[User | None] = relationship(User, lazy="joined")

    def audit_label(self) -> str:
        return f"Import of {self.file_name} ({self.kind}): {self.rows} rows, {self.created_rows} created"

    def __repr__(self) -> str:
        return f"<ImportRun {self.kind} {self.file_name}>"
