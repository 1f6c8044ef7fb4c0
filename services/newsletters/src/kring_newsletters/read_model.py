"""The local copy of contacts, groups and group members, kept from `kring.contacts.v1`.

Group events and contact events travel under different keys, so they arrive in any order
relative to each other: rows are upserted, and a member event for an unknown contact or
group creates a placeholder that the contact's or group's own events fill in later.
"""

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.contacts import ContactDetails
from kring_newsletters.db_models import Contact, Group, GroupMember
from kring_newsletters.names import same_name


async def save_contact(
    session: AsyncSession, contact_id: uuid.UUID, details: ContactDetails
) -> None:
    """Copies a contact's name and primary (first) e-mail; an erased contact stays erased."""
    values = {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "email": details.emails[0] if details.emails else None,
        "known": True,
    }
    upsert = insert(Contact).values(id=contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[Contact.id], set_=values, where=Contact.erased.is_(False)
        )
    )


async def lock_contact(
    session: AsyncSession, contact_id: uuid.UUID, *, placeholder: bool = False
) -> Contact | None:
    """The contact row, locked for update; with `placeholder`, created if unknown."""
    if placeholder:
        await session.execute(insert(Contact).values(id=contact_id).on_conflict_do_nothing())
    contact: Contact | None = await session.scalar(
        select(Contact)
        .where(Contact.id == contact_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return contact


async def lock_contacts(
    session: AsyncSession, contact_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Contact]:
    """Locks the contacts in id order, the order every bulk change takes them in."""
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    rows = await session.scalars(
        select(Contact)
        .where(Contact.id.in_(ids))
        .order_by(Contact.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {contact.id: contact for contact in rows}


async def lock_group_for_members(
    session: AsyncSession, group_id: uuid.UUID, name_if_new: str | None
) -> Group | None:
    """The group, share-locked: member changes of one group run side by side, while a link
    or a group event (update lock) waits for them. Created as a placeholder when unknown and
    `name_if_new` is given; a member event never renames a known group (its name may be
    older than the group's own rename)."""
    if name_if_new is not None:
        await session.execute(
            insert(Group).values(id=group_id, name=name_if_new).on_conflict_do_nothing()
        )
    group: Group | None = await session.scalar(
        select(Group)
        .where(Group.id == group_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    return group


async def save_group(
    session: AsyncSession, group_id: uuid.UUID, name: str, *, deleted: bool = False
) -> Group:
    """Upserts a group from its own event and holds its row lock."""
    values = {"name": name, "known": True, "deleted": deleted}
    upsert = insert(Group).values(id=group_id, **values)
    group: Group = (
        await session.scalars(
            upsert.on_conflict_do_update(index_elements=[Group.id], set_=values).returning(Group),
            execution_options={"populate_existing": True},
        )
    ).one()
    return group


async def lock_group_named(session: AsyncSession, name: str) -> Group | None:
    """The oldest live group with this name (any case), locked for update."""
    group: Group | None = await session.scalar(
        select(Group)
        .where(same_name(Group.name, name), ~Group.deleted)
        .order_by(Group.created_at, Group.id)
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return group


async def lock_live_group(session: AsyncSession, group_id: uuid.UUID) -> Group | None:
    group: Group | None = await session.scalar(
        select(Group)
        .where(Group.id == group_id, ~Group.deleted)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
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


async def remove_all_members(session: AsyncSession, group_id: uuid.UUID) -> None:
    await session.execute(delete(GroupMember).where(GroupMember.group_id == group_id))


async def member_ids(session: AsyncSession, group_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(GroupMember.contact_id).where(GroupMember.group_id == group_id)
    )
    return set(rows)
