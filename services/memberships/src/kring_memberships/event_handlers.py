"""What the memberships service does with each event of `kring.contacts.v1`: keep its read
model of contacts, groups and group members, and publish the access those change.

The handlers run in the consumer's unit of work, beside the inbox row, and record their own
events in it: an applied event and its consequences commit together.
"""

from collections.abc import Sequence

from kring_contracts import Envelope, contacts
from kring_memberships.access import group_grants
from kring_memberships.memberships import merges
from kring_memberships.personal_data.erasure import contact_deleted
from kring_memberships.read_models.contacts import contact_read_model
from kring_platform.clock import Clock
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


def create_handlers(clock: Clock) -> EventHandlers:
    handlers = EventHandlers()
    contact_read_model.handle_contact_events(handlers)
    _register_contact_ends(handlers, clock)
    _register_groups(handlers, clock)
    return handlers


def _register_contact_ends(handlers: EventHandlers, clock: Clock) -> None:
    """A contact deleted, erased or merged away: its memberships and access follow."""

    @handlers.on(contacts.ContactDeleted)
    async def deleted(work: UnitOfWork, event: contacts.ContactDeleted, _: Envelope) -> None:
        await contact_deleted(work, contact_id=event.contact_id, erase=False, today=clock.today())

    @handlers.on(contacts.ContactErased)
    async def erased(work: UnitOfWork, event: contacts.ContactErased, _: Envelope) -> None:
        await contact_deleted(work, contact_id=event.contact_id, erase=True, today=clock.today())

    @handlers.on(contacts.ContactMerged)
    async def merged(work: UnitOfWork, event: contacts.ContactMerged, _: Envelope) -> None:
        await merges.contact_merged(
            work,
            contact_id=event.contact_id,
            into_contact_id=event.into_contact_id,
            today=clock.today(),
        )


def _register_groups(handlers: EventHandlers, clock: Clock) -> None:
    """Groups and their members into the read model; the rights groups grant follow."""

    @handlers.on_each(contacts.GroupCreated, contacts.GroupRenamed)
    async def group_named(
        work: UnitOfWork, event: contacts.GroupCreated | contacts.GroupRenamed, _: Envelope
    ) -> None:
        await contact_read_model.save_group(work.session, event.group_id, event.name)

    @handlers.on(contacts.GroupDeleted)
    async def group_deleted(work: UnitOfWork, event: contacts.GroupDeleted, _: Envelope) -> None:
        await group_grants.group_deleted(
            work, group_id=event.group_id, name=event.name, today=clock.today()
        )

    # Runs of joins and leaves are applied set-based: a bulk group action brings thousands.
    @handlers.on_batch(contacts.GroupMemberAdded)
    async def members_added(
        work: UnitOfWork, events: Sequence[tuple[contacts.GroupMemberAdded, Envelope]]
    ) -> None:
        await group_grants.contacts_joined_groups(work, [e for e, _ in events], clock.today())

    @handlers.on_batch(contacts.GroupMemberRemoved)
    async def members_removed(
        work: UnitOfWork, events: Sequence[tuple[contacts.GroupMemberRemoved, Envelope]]
    ) -> None:
        await group_grants.contacts_left_groups(work, [e for e, _ in events], clock.today())
