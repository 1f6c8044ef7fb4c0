"""The affiliation export's tables. Lock order: a profile row is locked before anything an
export of it writes, so the exports of one profile (and their snapshots) form one chain."""

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kring_memberships.db_models import Base


class AffiliationProfile(Base):
    """What one federation receives: `columns` is a list of `{"column", "header"}` in file
    order; no `type_ids` means members of every type. `exports_made` numbers its exports."""

    __tablename__ = "affiliation_profiles"
    __table_args__ = (
        sa.Index("affiliation_profiles_lower_name", sa.func.lower(sa.text("name")), unique=True),
        sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name="file_format_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    federation: Mapped[str] = mapped_column(sa.String(200))
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    type_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid()))
    file_format: Mapped[str] = mapped_column(sa.String(4))
    csv_separator: Mapped[str] = mapped_column(sa.String(3))
    csv_encoding: Mapped[str] = mapped_column(sa.String(20))
    change_header: Mapped[str] = mapped_column(sa.String(100))
    exports_made: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))
    # The sequence of the profile's events: bumped by each save and each export.
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default=sa.text("1"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class AffiliationExport(Base):
    """One export as it was made: who, when, which day and mode, its counts and its file
    (kept, so it can be downloaded again). Counts of new/changed/ended only for a delta."""

    __tablename__ = "affiliation_exports"
    __table_args__ = (
        sa.Index("affiliation_exports_by_profile", "profile_id", "number", unique=True),
        sa.CheckConstraint("mode IN ('full', 'delta')", name="mode_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    profile_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("affiliation_profiles.id"))
    number: Mapped[int] = mapped_column(sa.Integer)
    mode: Mapped[str] = mapped_column(sa.String(5))
    on: Mapped[date] = mapped_column(sa.Date)
    created_by: Mapped[str | None] = mapped_column(sa.String(100))
    members: Mapped[int] = mapped_column(sa.Integer)
    rows: Mapped[int] = mapped_column(sa.Integer)
    new: Mapped[int | None] = mapped_column(sa.Integer)
    changed: Mapped[int | None] = mapped_column(sa.Integer)
    ended: Mapped[int | None] = mapped_column(sa.Integer)
    file_name: Mapped[str] = mapped_column(sa.String(300))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class AffiliationExportRow(Base):
    """A member as the federation knows them after the export: the exported values by column
    id. The next delta compares against these, so "changed" means changed for the federation."""

    __tablename__ = "affiliation_export_rows"

    export_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("affiliation_exports.id"), primary_key=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), primary_key=True)
    values: Mapped[dict[str, str]] = mapped_column(JSONB)
