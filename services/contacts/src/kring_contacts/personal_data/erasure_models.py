"""Erased contacts: when each was erased. The contact's row stays, blank, so its id keeps
answering (and its events' sequence goes on); nothing else about the person is kept."""

import uuid

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt


class ContactErasure(Base):
    __tablename__ = "contact_erasures"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    erased_at: Mapped[WrittenAt]
