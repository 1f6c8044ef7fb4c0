"""What the memberships service does with each event of `kring.contacts.v1`: keep its read
model of contacts, groups and group members, and publish the access those change.

The handlers run inside the consumer's transaction, beside the inbox row, and record their
own events through the same session: an applied event and its consequences commit together.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope
from kring_contracts.contacts import (
    ContactDeleted,
    ContactErased,
    ContactMerged,
    GroupCreated,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    GroupRenamed,
)
from kring_memberships import group_grants, merges
from kring_memberships.contact_changes import contact_deleted
from kring_memberships.read_model import contact_read_model
from kring_platform.clock import Clock
from kring_platform.handlers import EventHandlers
from kring_platform.outbox import EventOutbox


def create_handlers(outbox: EventOutbox, clock: Clock) -> EventHandlers:
    handlers = EventHandlers()
    contact_read_model.handle_contact_events(handlers)
    _register_contact_ends(handlers, outbox, clock)
    _register_groups(handlers, outbox, clock)
    return handlers


def _register_contact_ends(handlers: EventHandlers, outbox: EventOutbox, clock: Clock) -> None:
    """A contact deleted, erased or merged away: its memberships and access follow."""

    @handlers.on(ContactDeleted)
    async def deleted(session: AsyncSession, event: ContactDeleted, _: Envelope) -> None:
        await contact_deleted(
            session, outbox, contact_id=event.contact_id, erase=False, today=clock.today()
        )

    @handlers.on(ContactErased)
    async def erased(session: AsyncSession, event: ContactErased, _: Envelope) -> None:
        await contact_deleted(
            session, outbox, contact_id=event.contact_id, erase=True, today=clock.today()
        )

    @handlers.on(ContactMerged)
    async def merged(session: AsyncSession, event: ContactMerged, _: Envelope) -> None:
        await merges.contact_merged(
            session,
            outbox,
            contact_id=event.contact_id,
            into_contact_id=event.into_contact_id,
            today=clock.today(),
        )


def _register_groups(handlers: EventHandlers, outbox: EventOutbox, clock: Clock) -> None:
    """Groups and their members into the read model; the rights groups grant follow."""

    @handlers.on(GroupCreated)
    async def group_created(session: AsyncSession, event: GroupCreated, _: Envelope) -> None:
        await contact_read_model.save_group(session, event.group_id, event.name)

    @handlers.on(GroupRenamed)
    async def group_renamed(session: AsyncSession, event: GroupRenamed, _: Envelope) -> None:
        await contact_read_model.save_group(session, event.group_id, event.name)

    @handlers.on(GroupDeleted)
    async def group_deleted(session: AsyncSession, event: GroupDeleted, _: Envelope) -> None:
        await group_grants.group_deleted(
            session, outbox, group_id=event.group_id, name=event.name, today=clock.today()
        )

    @handlers.on(GroupMemberAdded)
    async def member_added(session: AsyncSession, event: GroupMemberAdded, _: Envelope) -> None:
        await group_grants.contact_joined_group(
            session,
            outbox,
            contact_id=event.contact_id,
            group_id=event.group_id,
            group_name=event.group_name,
            today=clock.today(),
        )

    @handlers.on(GroupMemberRemoved)
    async def member_removed(session: AsyncSession, event: GroupMemberRemoved, _: Envelope) -> None:
        await group_grants.contact_left_group(
            session,
            outbox,
            contact_id=event.contact_id,
            group_id=event.group_id,
            today=clock.today(),
        )
