"""Billing's copy of contacts, kept from `kring.contacts.v1`.

Every function is an upsert or a guarded update, so applying an event twice (or an update
before its create) leaves the same rows.
"""

import uuid

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact
from kring_contracts.contacts import ContactDetails


async def keep_contact(
    session: AsyncSession, contact_id: uuid.UUID, details: ContactDetails
) -> None:
    values = {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "email": details.emails[0] if details.emails else None,
        **details.address.model_dump(),  # the PostalAddress columns
        "iban": details.iban,
        "phone": details.phone,
        "birth_date": details.birth_date,
        "known": True,
    }
    upsert = insert(Contact).values(id=contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[Contact.id],
            set_=values,
            # An erased person stays erased, whatever arrives later.
            where=Contact.erased.is_(False),
        )
    )


async def ensure_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """A placeholder for a contact whose events have not arrived yet."""
    await session.execute(insert(Contact).values(id=contact_id).on_conflict_do_nothing())


async def mark_contact_deleted(session: AsyncSession, contact_id: uuid.UUID) -> None:
    await ensure_contact(session, contact_id)
    await session.execute(update(Contact).where(Contact.id == contact_id).values(deleted=True))
