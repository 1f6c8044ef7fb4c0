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
        session: AsyncSession, event: FamilyCreated | FamilyUpdated, envelope: Envelope
    ) -> None:
        await keep_family(session, event)

    handlers.on(FamilyCreated)(family_kept)
    handlers.on(FamilyUpdated)(family_kept)

    @handlers.on(FamilyDeleted)
    async def family_deleted(
        session: AsyncSession, event: FamilyDeleted, envelope: Envelope
    ) -> None:
        await session.execute(
            update(Family).where(Family.id == event.family_id).values(deleted=True)
        )
        await session.execute(delete(FamilyMember).where(FamilyMember.family_id == event.family_id))

    @handlers.on(FamilyMemberLinked)
    async def member_linked(
        session: AsyncSession, event: FamilyMemberLinked, envelope: Envelope
    ) -> None:
        await link_member(session, event)

    @handlers.on(FamilyMemberUnlinked)
    async def member_unlinked(
        session: AsyncSession, event: FamilyMemberUnlinked, envelope: Envelope
    ) -> None:
        await unlink_member(session, event.contact_id, event.family_id)

    @handlers.on(ContactErased)
    async def contact_erased(
        session: AsyncSession, event: ContactErased, envelope: Envelope
    ) -> None:
        await session.execute(
            delete(FamilyMember).where(FamilyMember.contact_id == event.contact_id)
        )
