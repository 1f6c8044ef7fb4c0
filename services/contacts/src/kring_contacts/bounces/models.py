"""E-mail addresses that bounce, as the newsletters service reports them on
`kring.newsletters.v1`: a read model, written only by the event handlers."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, WrittenAt


class BouncingAddress(Base):
    __tablename__ = "bouncing_addresses"

    # Lower case, as contacts store their e-mails: the contact view matches on it.
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    contact_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(20))
    bounces: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[WrittenAt]
