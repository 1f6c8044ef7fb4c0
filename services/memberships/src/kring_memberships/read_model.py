"""The local copy of contacts, groups and group members, kept from `kring.contacts.v1`.

Group events and contact events travel under different keys, so they arrive in any order
relative to each other: rows are upserted, and a member event for an unknown contact or
group creates a placeholder that the contact's or group's own events fill in later.
"""

import uuid

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.contacts import ContactDetails
from kring_memberships.db_models import Contact, Group, GroupMember


async def save_contact(
    session: AsyncSession, contact_id: uuid.UUID, details: ContactDetails
) -> None:
    """Copies the contact's name; an erased contact stays erased."""
    values = {"first_name": details.first_name, "last_name": details.last_name, "known": True}
    upsert = insert(Contact).values(id=contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[Contact.id], set_=values, where=Contact.erased.is_(False)
        )
    )


async def lock_contact(
    session: AsyncSession, contact_id: uuid.UUID, *, placeholder: bool = False, share: bool = False
) -> Contact | None:
    """The contact row, locked (shared with `share`); with `placeholder`, created if unknown."""
    if placeholder:
        await session.execute(insert(Contact).values(id=contact_id).on_conflict_do_nothing())
    contact: Contact | None = await session.scalar(
        select(Contact)
        .where(Contact.id == contact_id)
        .with_for_update(read=share)
        .execution_options(populate_existing=True)
    )
    return contact


async def lock_group(
    session: AsyncSession,
    group_id: uuid.UUID,
    *,
    share: bool = False,
    name_if_new: str | None = None,
) -> Group | None:
    """The group row, locked: shared by member changes (they run side by side), exclusive
    for a grant, a revocation or the group's deletion, which then wait for them. Created as
    a placeholder when unknown and `name_if_new` is given; a member event never renames a
    known group (its name may be older than the group's own rename)."""
    if name_if_new is not None:
        await session.execute(
            insert(Group).values(id=group_id, name=name_if_new).on_conflict_do_nothing()
        )
    group: Group | None = await session.scalar(
        select(Group)
        .where(Group.id == group_id)
        .with_for_update(read=share)
        .execution_options(populate_existing=True)
    )
    return group


async def save_group(
    session: AsyncSession, group_id: uuid.UUID, name: str, *, deleted: bool = False
) -> Group:
    """Upserts a group from its own event and holds its row lock."""
    values = {"name": name, "known": True, "deleted": deleted}
    upsert = insert(Group).values(id=group_id, **values)
    if not deleted:
        # A late created/renamed event never brings a deleted group back.
        upsert = upsert.on_conflict_do_update(
            index_elements=[Group.id], set_=values, where=Group.deleted.is_(False)
        )
    else:
        upsert = upsert.on_conflict_do_update(index_elements=[Group.id], set_=values)
    await session.execute(upsert)
    group = await lock_group(session, group_id)
    assert group is not None
    return group


async def add_member(session: AsyncSession, group_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    await session.execute(
        insert(GroupMember)
        .values(group_id=group_id, contact_id=contact_id)
        .on_conflict_do_nothing()
    )


async def remove_member(session: AsyncSession, group_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    await session.execute(
        delete(GroupMember).where(
            GroupMember.group_id == group_id, GroupMember.contact_id == contact_id
        )
    )


async def remove_all_members(session: AsyncSession, group_id: uuid.UUID) -> set[uuid.UUID]:
    """Empties the group; the contacts that were in it."""
    removed = await session.scalars(
        delete(GroupMember)
        .where(GroupMember.group_id == group_id)
        .returning(GroupMember.contact_id)
    )
    return set(removed)


async def member_ids(session: AsyncSession, group_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(GroupMember.contact_id).where(GroupMember.group_id == group_id)
    )
    return set(rows)
