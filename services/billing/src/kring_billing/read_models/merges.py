"""What `contact.merged` does here: the duplicate's invoices and memberships follow the
contact it was merged into."""

import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact, Invoice, Membership
from kring_billing.read_models.contacts import ensure_contact


async def merge_contact(
    session: AsyncSession, contact_id: uuid.UUID, into_contact_id: uuid.UUID
) -> None:
    """Re-points the duplicate's invoices and memberships to the contact it was merged into."""
    await ensure_contact(session, contact_id)
    await ensure_contact(session, into_contact_id)
    await session.execute(
        update(Contact).where(Contact.id == contact_id).values(merged_into=into_contact_id)
    )
    await session.execute(
        update(Invoice).where(Invoice.contact_id == contact_id).values(contact_id=into_contact_id)
    )
    await session.execute(
        update(Membership)
        .where(Membership.contact_id == contact_id)
        .values(contact_id=into_contact_id)
    )
