"""What a contact's deletion or erasure does here: the contact holds no access any more
(its memberships stay in the history; an erased contact's name, e-mail, birth date and address
are blanked, here and in the rows the affiliation export keeps for its next delta)."""

import uuid
from datetime import date

from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.affiliation.erasure import forget_contact
from kring_memberships.read_models.contacts import contact_read_model
from kring_platform.unit_of_work import UnitOfWork


async def contact_deleted(
    work: UnitOfWork, *, contact_id: uuid.UUID, erase: bool, today: date
) -> None:
    contact = await contact_read_model.lock_contact(work.session, contact_id, placeholder=True)
    assert contact is not None
    contact_read_model.mark_deleted(contact, erase=erase)
    if erase:
        await forget_contact(work.session, contact_id)
    await work.session.flush()
    await refresh_access(work, [contact_id], today)
