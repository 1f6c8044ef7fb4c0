"""What the newsletters service does with each event of `kring.contacts.v1`.

The handlers run inside the consumer's transaction, beside the inbox row, and record their
own events through the same session: an applied event and its consequences commit together.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope
from kring_contracts.contacts import (
    ContactCreated,
    ContactDeleted,
    ContactErased,
    ContactUpdated,
    GroupCreated,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    GroupRenamed,
)
from kring_newsletters import group_sync, read_model
from kring_platform.handlers import EventHandlers
from kring_platform.outbox import EventOutbox


def create_handlers(outbox: EventOutbox) -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on(ContactCreated)
    async def contact_created(session: AsyncSession, event: ContactCreated, _: Envelope) -> None:
        await read_model.save_contact(session, event.contact_id, event.contact)

    @handlers.on(ContactUpdated)
    async def contact_updated(session: AsyncSession, event: ContactUpdated, _: Envelope) -> None:
        await read_model.save_contact(session, event.contact_id, event.contact)

    @handlers.on(ContactDeleted)
    async def contact_deleted(session: AsyncSession, event: ContactDeleted, _: Envelope) -> None:
        await group_sync.contact_deleted(session, outbox, contact_id=event.contact_id, erase=False)

    @handlers.on(ContactErased)
    async def contact_erased(session: AsyncSession, event: ContactErased, _: Envelope) -> None:
        await group_sync.contact_deleted(session, outbox, contact_id=event.contact_id, erase=True)

    @handlers.on(GroupCreated)
    async def group_created(session: AsyncSession, event: GroupCreated, _: Envelope) -> None:
        await group_sync.group_named(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on(GroupRenamed)
    async def group_renamed(session: AsyncSession, event: GroupRenamed, _: Envelope) -> None:
        await group_sync.group_named(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on(GroupDeleted)
    async def group_deleted(session: AsyncSession, event: GroupDeleted, _: Envelope) -> None:
        await group_sync.group_deleted(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on(GroupMemberAdded)
    async def member_added(session: AsyncSession, event: GroupMemberAdded, _: Envelope) -> None:
        await group_sync.contact_joined_group(
            session,
            outbox,
            contact_id=event.contact_id,
            group_id=event.group_id,
            group_name=event.group_name,
        )

    @handlers.on(GroupMemberRemoved)
    async def member_removed(session: AsyncSession, event: GroupMemberRemoved, _: Envelope) -> None:
        await group_sync.contact_left_group(
            session,
            outbox,
            contact_id=event.contact_id,
            group_id=event.group_id,
            reason=event.reason,
        )

    return handlers
