"""Saved searches, and the indexes the advanced search's filters and the imports' external id
need on `contacts` (the contact table itself is in `db_models`)."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, Contact, WrittenAt

_LIVE = Contact.deleted_at.is_(None)

# A re-import matches contacts on their id in the other system: one contact per id.
sa.Index(
    "uq_contacts_external_id",
    Contact.external_id,
    unique=True,
    postgresql_where=Contact.external_id.isnot(None),
)
# Advanced search: age and date ranges; postcode and city equal to a value (any case).
sa.Index("ix_contacts_birth_date", Contact.birth_date, postgresql_where=_LIVE)
sa.Index("ix_contacts_lower_postcode", sa.func.lower(Contact.postcode), postgresql_where=_LIVE)
sa.Index("ix_contacts_lower_city", sa.func.lower(Contact.city), postgresql_where=_LIVE)


class SavedSearch(Base):
    """An advanced search kept under a name: its filter, sort and columns (`definition`, the
    JSON of `search_filters.ContactQuery`), run again on current data when asked."""

    __tablename__ = "saved_searches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Free text until the gateway names staff users.
    owner: Mapped[str] = mapped_column(sa.String(200))
    shared: Mapped[bool] = mapped_column(sa.Boolean)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[WrittenAt]
    updated_at: Mapped[WrittenAt]

    __table_args__ = (sa.Index("ix_saved_searches_owner", "owner", "name"),)
