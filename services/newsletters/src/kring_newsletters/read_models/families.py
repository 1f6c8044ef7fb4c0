"""Families and their members' roles, kept from `kring.contacts.v1`, so a campaign can go
to "the families": each family's adults (parent, partner, other) once, never the children."""

import uuid

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import Family, FamilyMember

ADULT_ROLES = ("parent", "partner", "other")


async def save_family(
    session: AsyncSession, family_id: uuid.UUID, name: str, *, deleted: bool = False
) -> None:
    values = {"name": name, "deleted": deleted}
    upsert = insert(Family).values(id=family_id, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Family.id], set_=values))


async def link_member(
    session: AsyncSession, contact_id: uuid.UUID, family_id: uuid.UUID, role: str
) -> None:
    """A contact is in one family at a time: linking replaces any earlier family."""
    values = {"family_id": family_id, "role": role}
    upsert = insert(FamilyMember).values(contact_id=contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(index_elements=[FamilyMember.contact_id], set_=values)
    )


async def unlink_member(session: AsyncSession, contact_id: uuid.UUID, family_id: uuid.UUID) -> None:
    # Only from that family: a late unlink from an old family leaves the new link alone.
    await session.execute(
        delete(FamilyMember).where(
            FamilyMember.contact_id == contact_id, FamilyMember.family_id == family_id
        )
    )


async def delete_family(session: AsyncSession, family_id: uuid.UUID, name: str) -> None:
    await save_family(session, family_id, name, deleted=True)
    await session.execute(delete(FamilyMember).where(FamilyMember.family_id == family_id))
