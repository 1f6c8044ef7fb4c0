"""What the contacts service does with each event of `kring.memberships.v1`: it keeps the
membership read model that quick search and the member filters read. Bouncing addresses of
`kring.newsletters.v1` are kept by the handlers of `bounces.py`, registered here too.

The handlers are given the consumer's unit of work (its transaction, beside the inbox row):
a redelivered event is a no-op, and an older `sequence` than the one applied is skipped.
"""

from kring_contacts.bounces.bounces import register_bounce_handlers
from kring_contacts.memberships import read_model
from kring_contracts import Envelope
from kring_contracts.memberships import (
    MembershipActivated,
    MembershipDeleted,
    MembershipEnded,
    MembershipEndSet,
    MembershipRegistered,
    MembershipTypeCreated,
    MembershipTypeUpdated,
)
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


def create_handlers() -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on_each(MembershipTypeCreated, MembershipTypeUpdated)
    async def type_saved(
        work: UnitOfWork, event: MembershipTypeCreated | MembershipTypeUpdated, _: Envelope
    ) -> None:
        await read_model.save_type(work.session, event.type_id, event.membership_type.name)

    @handlers.on(MembershipRegistered)
    async def registered(work: UnitOfWork, event: MembershipRegistered, _: Envelope) -> None:
        await read_model.save_membership(work.session, event)

    @handlers.on(MembershipActivated)
    async def activated(work: UnitOfWork, event: MembershipActivated, _: Envelope) -> None:
        await read_model.save_start(
            work.session,
            event.membership_id,
            contact_id=event.contact_id,
            type_id=event.type_id,
            start_date=event.start_date,
        )

    @handlers.on_each(MembershipEndSet, MembershipEnded)
    async def end_saved(
        work: UnitOfWork, event: MembershipEndSet | MembershipEnded, _: Envelope
    ) -> None:
        await read_model.save_end(work.session, event.membership_id, event.end_date)

    @handlers.on(MembershipDeleted)
    async def deleted(work: UnitOfWork, event: MembershipDeleted, _: Envelope) -> None:
        await read_model.forget_membership(work.session, event.membership_id)

    register_bounce_handlers(handlers)  # kring.newsletters.v1
    return handlers
