"""What the newsletters service does with each event of `kring.contacts.v1` and
`kring.memberships.v1`.

Each handler is given the consumer's unit of work (its transaction, beside the inbox rows) and
hands it straight to the domain function, which records its events with it: an applied event
and its consequences commit together. Group-member events, the bulk of the topic, are applied
a run at a time (set-based).
"""

from collections.abc import Sequence

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
from kring_contracts.memberships import (
    MembershipDeleted,
    MembershipEnded,
    MembershipRegistered,
    MembershipTypeCreated,
    MembershipTypeUpdated,
)
from kring_newsletters.group_sync import group_members_batch, group_sync
from kring_newsletters.personal_data import erasure
from kring_newsletters.read_models import memberships
from kring_newsletters.read_models.contacts import contact_read_model
from kring_newsletters.read_models.families import family_read_model
from kring_newsletters.subscriptions import merges
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


def create_handlers() -> EventHandlers:
    handlers = EventHandlers()
    contact_read_model.handle_contact_events(handlers)

    @handlers.on(ContactDeleted)
    async def contact_deleted(work: UnitOfWork, event: ContactDeleted, _: Envelope) -> None:
        await group_sync.contact_deleted(work, contact_id=event.contact_id, erase=False)

    @handlers.on(ContactErased)
    async def contact_erased(work: UnitOfWork, event: ContactErased, _: Envelope) -> None:
        await erasure.contact_erased(work, event.contact_id)

    @handlers.on(ContactMerged)
    async def contact_merged(work: UnitOfWork, event: ContactMerged, _: Envelope) -> None:
        await merges.contact_merged(
            work, contact_id=event.contact_id, into_contact_id=event.into_contact_id
        )

    @handlers.on_each(GroupCreated, GroupRenamed)
    async def group_named(
        work: UnitOfWork, event: GroupCreated | GroupRenamed, _: Envelope
    ) -> None:
        await group_sync.group_named(work, group_id=event.group_id, name=event.name)

    @handlers.on(GroupDeleted)
    async def group_deleted(work: UnitOfWork, event: GroupDeleted, _: Envelope) -> None:
        await group_sync.group_deleted(work, group_id=event.group_id, name=event.name)

    @handlers.on_batch(GroupMemberAdded)
    async def members_added(
        work: UnitOfWork, events: Sequence[tuple[GroupMemberAdded, Envelope]]
    ) -> None:
        await group_members_batch.members_added(work, [e for e, _ in events])

    @handlers.on_batch(GroupMemberRemoved)
    async def members_removed(
        work: UnitOfWork, events: Sequence[tuple[GroupMemberRemoved, Envelope]]
    ) -> None:
        await group_members_batch.members_removed(work, [e for e, _ in events])

    family_read_model.handle_family_events(handlers)
    _membership_handlers(handlers)
    return handlers


def _membership_handlers(handlers: EventHandlers) -> None:
    @handlers.on_each(MembershipTypeCreated, MembershipTypeUpdated)
    async def type_saved(
        work: UnitOfWork, event: MembershipTypeCreated | MembershipTypeUpdated, _: Envelope
    ) -> None:
        await memberships.save_type(work.session, event.type_id, event.membership_type.name)

    @handlers.on(MembershipRegistered)
    async def registered(work: UnitOfWork, event: MembershipRegistered, _: Envelope) -> None:
        await memberships.save_membership(
            work.session, event.membership_id, event.contact_id, event.type_id
        )

    @handlers.on(MembershipEnded)
    async def ended(work: UnitOfWork, event: MembershipEnded, _: Envelope) -> None:
        await memberships.save_membership(
            work.session, event.membership_id, event.contact_id, event.type_id, ended=True
        )

    @handlers.on(MembershipDeleted)
    async def deleted(work: UnitOfWork, event: MembershipDeleted, _: Envelope) -> None:
        await memberships.forget_membership(work.session, event.membership_id)
