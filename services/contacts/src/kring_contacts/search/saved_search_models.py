"""Saved searches, and the indexes the advanced search's filters and the imports' external id
need on `contacts` (the contact table itself is in `db_models`)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Index,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, Contact

_LIVE = Contact.deleted_at.is_(None)

# A re-import matches contacts on their id in the other system: one contact per id.
Index(
    "uq_contacts_external_id",
    Contact.external_id,
    unique=True,
    postgresql_where=Contact.external_id.isnot(None),
)
# Advanced search: age and date ranges; postcode and city equal to a value (any case).
Index("ix_contacts_birth_date", Contact.birth_date, postgresql_where=_LIVE)
Index("ix_contacts_lower_postcode", func.lower(Contact.postcode), postgresql_where=_LIVE)
Index("ix_contacts_lower_city", func.lower(Contact.city), postgresql_where=_LIVE)


class SavedSearch(Base):
    """An advanced search kept under a name: its filter, sort and columns (`definition`, the
    JSON of `search_filters.ContactQuery`), run again on current data when asked."""

    __tablename__ = "saved_searches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Free text until the gateway names staff users.
    owner: Mapped[str] = mapped_column(String(200))
    shared: Mapped[bool] = mapped_column(Boolean)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_saved_searches_owner", "owner", "name"),)
