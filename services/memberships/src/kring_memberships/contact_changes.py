"""What a contact's deletion or erasure does here: the contact holds no access any more
(its memberships stay in the history; an erased contact's name is blanked)."""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships import read_model
from kring_memberships.access_publishing import refresh_access
from kring_platform.outbox import EventOutbox


async def contact_deleted(
    session: AsyncSession, outbox: EventOutbox, *, contact_id: uuid.UUID, erase: bool, today: date
) -> None:
    contact = await read_model.lock_contact(session, contact_id, placeholder=True)
    assert contact is not None
    contact.deleted = True
    if erase:
        contact.erased = True
        contact.first_name = ""
        contact.last_name = ""
    await session.flush()
    await refresh_access(session, outbox, [contact_id], today)
