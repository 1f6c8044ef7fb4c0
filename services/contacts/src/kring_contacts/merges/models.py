"""Merged contacts: the tombstone of each contact merged into another.

The merged contact's row stays as it was (soft-deleted), so its history is kept; this row
says where it went. A chain (A into B, then B into C) is kept flat: A's row is re-pointed
to C when B is merged, so one lookup names the survivor.
"""

import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt


class ContactMerge(Base):
    __tablename__ = "contact_merges"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    into_contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    # The fields whose value the survivor took from the merged contact.
    taken_fields: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    merged_at: Mapped[WrittenAt]

    __table_args__ = (Index("ix_contact_merges_into_contact_id", "into_contact_id"),)
