"""Resources the club hands out (lockers, keys, kit, pitches) and their allocations to a
contact or a group for a period. Two allocations of one resource never overlap: an exclusion
constraint on their date ranges (btree_gist) decides, even between concurrent writers."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt

NO_OVERLAP = "ex_resource_allocations_no_overlap"
"""The exclusion constraint (created in the migration: Alembic cannot compare it)."""


class Resource(Base):
    __tablename__ = "resources"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    code: Mapped[str | None] = mapped_column(sa.String(50))
    location: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text)
    sort_key: Mapped[str] = mapped_column(sa.String(200, collation="C"))
    created_at: Mapped[WrittenAt]
    updated_at: Mapped[WrittenAt]

    __table_args__ = (
        sa.Index("ix_resources_sort_key", "sort_key", "id"),
        # A code (a locker's number, a key's tag) names one resource.
        sa.Index("uq_resources_code", "code", unique=True),
    )


class ResourceAllocation(Base):
    """The resource is with a contact or a group from `start_date` to `end_date` (both
    included; no end: until further notice)."""

    __tablename__ = "resource_allocations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("resources.id"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("contacts.id"))
    group_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("groups.id"))
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[WrittenAt]

    __table_args__ = (
        sa.CheckConstraint("(contact_id IS NULL) <> (group_id IS NULL)", name="holder"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
        sa.Index("ix_resource_allocations_resource_id", "resource_id", "start_date"),
        sa.Index("ix_resource_allocations_contact_id", "contact_id"),
        sa.Index("ix_resource_allocations_group_id", "group_id"),
    )
