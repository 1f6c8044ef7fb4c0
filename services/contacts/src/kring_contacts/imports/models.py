"""The tables of contact import jobs and their per-row report."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt


class ContactImport(Base):
    """An import job: the uploaded file, its column mapping, and how far it got. The job loop
    commits each chunk of rows with `rows_done` and the counts, so a job picks up where it
    stopped after a crash."""

    __tablename__ = "contact_imports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20))  # queued, running, done, failed
    dry_run: Mapped[bool] = mapped_column(sa.Boolean)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    file_format: Mapped[str] = mapped_column(sa.String(10))  # csv, xlsx
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONB)
    total_rows: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    rows_done: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    created: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    updated: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    unchanged: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    duplicates: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    refused: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[WrittenAt]
    updated_at: Mapped[WrittenAt]
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.Index(
            "ix_contact_imports_pending",
            "created_at",
            postgresql_where=sa.text("status IN ('queued', 'running')"),
        ),
    )


class ContactImportRow(Base):
    """What the import did (or, in a dry run, would do) with one row of the file."""

    __tablename__ = "contact_import_rows"

    import_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("contact_imports.id", ondelete="CASCADE"), primary_key=True
    )
    row_number: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    # created, updated, unchanged, duplicate, refused
    outcome: Mapped[str] = mapped_column(sa.String(20))
    contact_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
