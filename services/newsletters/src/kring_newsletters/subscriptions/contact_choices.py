"""What staff or the contact choose for one list: a manual subscription, its end, an
opt-out and an opt-in. The opt-out wins over everything until the contact opts in again."""

import uuid

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import AllListsOptOut, Contact
from kring_newsletters.mailing_lists.list_rows import lock_list
from kring_newsletters.read_models.contacts import contact_read_model
from kring_newsletters.subscriptions.rule import Change
from kring_newsletters.subscriptions.schemas import ContactSubscription
from kring_newsletters.subscriptions.subscriptions import change_subscription, lock_subscription
from kring_newsletters.subscriptions.views import standing
from kring_platform.problems import Conflict, NotFound
from kring_platform.unit_of_work import UnitOfWork


async def subscribe(
    work: UnitOfWork, list_id: uuid.UUID, contact_id: uuid.UUID
) -> ContactSubscription:
    """A manual subscription; refused while the contact has opted out of the list."""
    contact = await _lock_list_and_contact(work, list_id, contact_id)
    if contact.deleted:
        raise Conflict(f"Contact {contact_id} is deleted.", contact_id=str(contact_id))
    existing = await lock_subscription(work, list_id, contact_id, create=False)
    if existing is not None and existing.opted_out:
        raise Conflict(
            "The contact opted out of this list; only the contact can opt in again.",
            contact_id=str(contact_id),
            list_id=str(list_id),
        )
    await change_subscription(
        work, list_id=list_id, contact=contact, change="subscribed", create=True
    )
    return await standing(work.session, list_id, contact_id)


async def unsubscribe(work: UnitOfWork, list_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Ends the manual part; a subscription through the group stays."""
    await _choose(work, list_id, contact_id, "unsubscribed", create=False)


async def opt_out(
    work: UnitOfWork, contact_id: uuid.UUID, list_id: uuid.UUID
) -> ContactSubscription:
    await _choose(work, list_id, contact_id, "opted_out", create=True)
    return await standing(work.session, list_id, contact_id)


async def opt_in(work: UnitOfWork, contact_id: uuid.UUID, list_id: uuid.UUID) -> None:
    """Lifts the opt-out: the subscription comes back if the group or a manual one holds it."""
    await _choose(work, list_id, contact_id, "opted_in", create=False)


async def opt_in_to_all(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """Removes the all-lists opt-out an unsubscribe link recorded (no event: it is not a
    subscription of a list)."""
    await _lock_contact(session, contact_id)
    await session.execute(delete(AllListsOptOut).where(AllListsOptOut.contact_id == contact_id))


async def _choose(
    work: UnitOfWork, list_id: uuid.UUID, contact_id: uuid.UUID, change: Change, *, create: bool
) -> None:
    contact = await _lock_list_and_contact(work, list_id, contact_id)
    await change_subscription(work, list_id=list_id, contact=contact, change=change, create=create)


async def _lock_list_and_contact(
    work: UnitOfWork, list_id: uuid.UUID, contact_id: uuid.UUID
) -> Contact:
    """The list shared (kept from being deleted or relinked meanwhile), then the contact."""
    await lock_list(work, list_id, share=True)
    return await _lock_contact(work.session, contact_id)


async def _lock_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    contact = await contact_read_model.lock_contact(session, contact_id)
    if contact is None:
        raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
    return contact
