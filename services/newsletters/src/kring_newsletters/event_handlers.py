"""What the newsletters service does with each event of `kring.contacts.v1` and
`kring.memberships.v1`.

The handlers run inside the consumer's transaction, beside the inbox rows, and record their
own events through the same session: an applied event and its consequences commit together.
Group-member events, the bulk of the topic, are applied a run at a time (set-based).
"""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope
from kring_contracts.contacts import (
    ContactDeleted,
    ContactErased,
    ContactMerged,
    FamilyCreated,
    FamilyDeleted,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    FamilyUpdated,
    GroupCreated,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    GroupRenamed,
)
from kring_contracts.memberships import (
    MembershipDeleted,
    MembershipEnded,
    MembershipRegistered,
    MembershipTypeCreated,
    MembershipTypeUpdated,
)
from kring_newsletters.group_sync import group_members_batch, group_sync
from kring_newsletters.personal_data import erasure
from kring_newsletters.read_models import families, memberships
from kring_newsletters.read_models.contacts import contact_read_model
from kring_newsletters.subscriptions import merges
from kring_platform.handlers import EventHandlers
from kring_platform.outbox import EventOutbox


def create_handlers(outbox: EventOutbox) -> EventHandlers:
    handlers = EventHandlers()
    contact_read_model.handle_contact_events(handlers)

    @handlers.on(ContactDeleted)
    async def contact_deleted(session: AsyncSession, event: ContactDeleted, _: Envelope) -> None:
        await group_sync.contact_deleted(session, outbox, contact_id=event.contact_id, erase=False)

    @handlers.on(ContactErased)
    async def contact_erased(session: AsyncSession, event: ContactErased, _: Envelope) -> None:
        await erasure.contact_erased(session, outbox, event.contact_id)

    @handlers.on(ContactMerged)
    async def contact_merged(session: AsyncSession, event: ContactMerged, _: Envelope) -> None:
        await merges.contact_merged(
            session, outbox, contact_id=event.contact_id, into_contact_id=event.into_contact_id
        )

    @handlers.on(GroupCreated)
    async def group_created(session: AsyncSession, event: GroupCreated, _: Envelope) -> None:
        await group_sync.group_named(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on(GroupRenamed)
    async def group_renamed(session: AsyncSession, event: GroupRenamed, _: Envelope) -> None:
        await group_sync.group_named(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on(GroupDeleted)
    async def group_deleted(session: AsyncSession, event: GroupDeleted, _: Envelope) -> None:
        await group_sync.group_deleted(session, outbox, group_id=event.group_id, name=event.name)

    @handlers.on_batch(GroupMemberAdded)
    async def members_added(
        session: AsyncSession, events: Sequence[tuple[GroupMemberAdded, Envelope]]
    ) -> None:
        await group_members_batch.members_added(session, outbox, [e for e, _ in events])

    @handlers.on_batch(GroupMemberRemoved)
    async def members_removed(
        session: AsyncSession, events: Sequence[tuple[GroupMemberRemoved, Envelope]]
    ) -> None:
        await group_members_batch.members_removed(session, outbox, [e for e, _ in events])

    _family_handlers(handlers)
    _membership_handlers(handlers)
    return handlers


def _family_handlers(handlers: EventHandlers) -> None:
    @handlers.on(FamilyCreated)
    async def family_created(session: AsyncSession, event: FamilyCreated, _: Envelope) -> None:
        await families.save_family(session, event.family_id, event.name)

    @handlers.on(FamilyUpdated)
    async def family_updated(session: AsyncSession, event: FamilyUpdated, _: Envelope) -> None:
        await families.save_family(session, event.family_id, event.name)

    @handlers.on(FamilyDeleted)
    async def family_deleted(session: AsyncSession, event: FamilyDeleted, _: Envelope) -> None:
        await families.delete_family(session, event.family_id, event.name)

    @handlers.on(FamilyMemberLinked)
    async def linked(session: AsyncSession, event: FamilyMemberLinked, _: Envelope) -> None:
        await families.link_member(session, event.contact_id, event.family_id, event.role)

    @handlers.on(FamilyMemberUnlinked)
    async def unlinked(session: AsyncSession, event: FamilyMemberUnlinked, _: Envelope) -> None:
        await families.unlink_member(session, event.contact_id, event.family_id)


def _membership_handlers(handlers: EventHandlers) -> None:
    @handlers.on(MembershipTypeCreated)
    async def type_created(
        session: AsyncSession, event: MembershipTypeCreated, _: Envelope
    ) -> None:
        await memberships.save_type(session, event.type_id, event.membership_type.name)

    @handlers.on(MembershipTypeUpdated)
    async def type_updated(
        session: AsyncSession, event: MembershipTypeUpdated, _: Envelope
    ) -> None:
        await memberships.save_type(session, event.type_id, event.membership_type.name)

    @handlers.on(MembershipRegistered)
    async def registered(session: AsyncSession, event: MembershipRegistered, _: Envelope) -> None:
        await memberships.save_membership(
            session, event.membership_id, event.contact_id, event.type_id
        )

    @handlers.on(MembershipEnded)
    async def ended(session: AsyncSession, event: MembershipEnded, _: Envelope) -> None:
        await memberships.save_membership(
            session, event.membership_id, event.contact_id, event.type_id, ended=True
        )

    @handlers.on(MembershipDeleted)
    async def deleted(session: AsyncSession, event: MembershipDeleted, _: Envelope) -> None:
        await memberships.forget_membership(session, event.membership_id)
