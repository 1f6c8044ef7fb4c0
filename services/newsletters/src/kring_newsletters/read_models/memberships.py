"""Which membership types a contact holds now, kept from `kring.memberships.v1`, for the
`membership_type` personalisation field. Type events and membership events travel under
different keys, so a membership may name a type whose name has not arrived yet: the name
is looked up when a mail is made, not copied."""

import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import ContactMembership, MembershipType


async def save_type(session: AsyncSession, type_id: uuid.UUID, name: str) -> None:
    upsert = insert(MembershipType).values(id=type_id, name=name)
    await session.execute(
        upsert.on_conflict_do_update(index_elements=[MembershipType.id], set_={"name": name})
    )


async def save_membership(
    session: AsyncSession,
    membership_id: uuid.UUID,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    *,
    ended: bool = False,
) -> None:
    values = {"contact_id": contact_id, "type_id": type_id}
    upsert = insert(ContactMembership).values(membership_id=membership_id, ended=ended, **values)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[ContactMembership.membership_id], set_={**values, "ended": ended}
        )
    )


async def end_membership(session: AsyncSession, membership_id: uuid.UUID) -> None:
    await session.execute(
        update(ContactMembership)
        .where(ContactMembership.membership_id == membership_id)
        .values(ended=True)
    )


async def forget_membership(session: AsyncSession, membership_id: uuid.UUID) -> None:
    await session.execute(
        delete(ContactMembership).where(ContactMembership.membership_id == membership_id)
    )


async def current_type_names(session: AsyncSession, contact_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(MembershipType.name)
        .join(ContactMembership, ContactMembership.type_id == MembershipType.id)
        .where(ContactMembership.contact_id == contact_id, ~ContactMembership.ended)
        .distinct()
    )
    return sorted(rows)
