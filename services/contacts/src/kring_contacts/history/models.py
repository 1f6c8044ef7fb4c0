"""The history of each contact: what changed, from what to what, when, and through which
request. Written by `contact_history` in the transaction of the change."""

import uuid

from sqlalchemy import BigInteger, Identity, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt


class ContactHistoryEntry(Base):
    __tablename__ = "contact_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # No foreign key: the history of an erased contact may outlive its row.
    contact_id: Mapped[uuid.UUID]
    # The contact's version after the change: entries of one change share it.
    version: Mapped[int] = mapped_column(BigInteger)
    change: Mapped[str] = mapped_column(String(20))
    # Why a link was undone (removed, moved, group_deleted, contact_deleted, …).
    reason: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # What the value is about when it names another thing (a group, family or company id).
    related_id: Mapped[uuid.UUID | None]
    event_type: Mapped[str] = mapped_column(String(100))
    # The request's W3C trace context: the trace id is the request id across services.
    traceparent: Mapped[str | None] = mapped_column(String(55))
    changed_at: Mapped[WrittenAt]

    __table_args__ = (Index("ix_contact_history_contact_id", "contact_id", "id"),)
