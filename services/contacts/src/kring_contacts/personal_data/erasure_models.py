"""Erased contacts: when each was erased. The contact's row stays, blank, so its id keeps
answering (and its events' sequence goes on); nothing else about the person is kept."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, func
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base


class ContactErasure(Base):
    __tablename__ = "contact_erasures"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
