"""Families: households that link contacts (parents, children, partners) under one shared
address. A family is an aggregate with its own event sequence; a contact's link to it is an
event of the contact (its sequence, its key), like a group membership."""

import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, PostalAddress, VersionedRow, WrittenAt


class Family(VersionedRow, PostalAddress, Base):
    __tablename__ = "families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Folded name (`search_text.group_sort_key`), so lists sort "Élise" near "Elisa".
    sort_key: Mapped[str] = mapped_column(String(200, collation="C"))

    __table_args__ = (Index("ix_families_sort_key", "sort_key", "id"),)


class FamilyMember(Base):
    """A contact's place in a family. The contact id is the key: one family at a time."""

    __tablename__ = "family_members"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"))
    role: Mapped[str] = mapped_column(String(20))
    linked_at: Mapped[WrittenAt]

    __table_args__ = (Index("ix_family_members_family_id", "family_id", "contact_id"),)
