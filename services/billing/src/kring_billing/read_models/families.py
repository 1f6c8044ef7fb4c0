"""Billing's copy of families and who is in which, kept from `kring.contacts.v1` for the
letters' `family` merge fields. Upserts and guarded deletes, so a redelivery changes
nothing."""

import uuid

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.letters.models import Family, FamilyMember
from kring_contracts import Envelope
from kring_contracts.contacts import (
    ContactErased,
    FamilyCreated,
    FamilyDeleted,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    FamilyUpdated,
)
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


async def keep_family(session: AsyncSession, event: FamilyCreated | FamilyUpdated) -> None:
    address = event.address
    values = {
        "name": event.name,
        "street": address.street,
        "number": address.number,
        "postcode": address.postcode,
        "city": address.city,
        "country": address.country,
        "deleted": False,
    }
    upsert = insert(Family).values(id=event.family_id, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Family.id], set_=values))


async def link_member(session: AsyncSession, event: FamilyMemberLinked) -> None:
    values = {"family_id": event.family_id, "role": event.role}
    upsert = insert(FamilyMember).values(contact_id=event.contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(index_elements=[FamilyMember.contact_id], set_=values)
    )


async def unlink_member(session: AsyncSession, contact_id: uuid.UUID, family_id: uuid.UUID) -> None:
    # Only that family's link: a move's new link may already be here.
    await session.execute(
        delete(FamilyMember).where(
            FamilyMember.contact_id == contact_id, FamilyMember.family_id == family_id
        )
    )


def register_family_handlers(handlers: EventHandlers) -> None:
    async def family_kept(
        work: UnitOfWork, event: FamilyCreated | FamilyUpdated, envelope: Envelope
    ) -> None:
        await keep_family(work.session, event)

    handlers.on(FamilyCreated)(family_kept)
    handlers.on(FamilyUpdated)(family_kept)

    @handlers.on(FamilyDeleted)
    async def family_deleted(work: UnitOfWork, event: FamilyDeleted, envelope: Envelope) -> None:
        await work.session.execute(
            update(Family).where(Family.id == event.family_id).values(deleted=True)
        )
        await work.session.execute(
            delete(FamilyMember).where(FamilyMember.family_id == event.family_id)
        )

    @handlers.on(FamilyMemberLinked)
    async def member_linked(
        work: UnitOfWork, event: FamilyMemberLinked, envelope: Envelope
    ) -> None:
        await link_member(work.session, event)

    @handlers.on(FamilyMemberUnlinked)
    async def member_unlinked(
        work: UnitOfWork, event: FamilyMemberUnlinked, envelope: Envelope
    ) -> None:
        await unlink_member(work.session, event.contact_id, event.family_id)

    @handlers.on(ContactErased)
    async def contact_erased(work: UnitOfWork, event: ContactErased, envelope: Envelope) -> None:
        await work.session.execute(
            delete(FamilyMember).where(FamilyMember.contact_id == event.contact_id)
        )
