"""A contact joining or leaving a group. Both are events of the contact (its sequence, its
key), so a consumer sees them in order with the contact's other changes."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.aggregates import (
    live_contact,
    live_group,
    lock_contact,
    lock_group,
    record_contact_event,
)
from kring_contacts.db_models import Contact, Group, GroupMember
from kring_contacts.listing import Listing, fetch_listing
from kring_contracts.contacts import GroupMemberAdded, GroupMemberRemoved
from kring_platform.outbox import EventOutbox
from kring_platform.problems import NotFound


async def add_member(
    session: AsyncSession, outbox: EventOutbox, group_id: uuid.UUID, contact_id: uuid.UUID
) -> tuple[GroupMember, bool]:
    """Puts the contact in the group; returns the membership and whether it is new.

    Idempotent: adding a member again returns the existing membership and emits nothing.
    """
    group = await lock_group(session, group_id, shared=True)
    contact = await lock_contact(session, contact_id)
    existing = await session.get(GroupMember, (group.id, contact.id))
    if existing is not None:
        return existing, False
    member = GroupMember(group_id=group.id, contact_id=contact.id, added_at=datetime.now(UTC))
    session.add(member)
    await session.flush()
    added = GroupMemberAdded(contact_id=contact.id, group_id=group.id, group_name=group.name)
    await record_contact_event(session, outbox, contact, added)
    return member, True


async def remove_member(
    session: AsyncSession, outbox: EventOutbox, group_id: uuid.UUID, contact_id: uuid.UUID
) -> None:
    """Takes the contact out of the group; 404 when it is not a member."""
    group = await lock_group(session, group_id, shared=True)
    contact = await lock_contact(session, contact_id)
    removed_rows = await session.scalars(
        delete(GroupMember)
        .where(GroupMember.group_id == group.id, GroupMember.contact_id == contact.id)
        .returning(GroupMember.contact_id)
    )
    if removed_rows.first() is None:
        raise NotFound(
            f"Contact {contact_id} is not a member of group {group_id}.",
            group_id=str(group_id),
            contact_id=str(contact_id),
        )
    removed = GroupMemberRemoved(
        contact_id=contact.id, group_id=group.id, group_name=group.name, reason="removed"
    )
    await record_contact_event(session, outbox, contact, removed)


async def list_members(
    session: AsyncSession, group_id: uuid.UUID, *, limit: int, offset: int
) -> Listing[Contact]:
    """The group's members by last name, then first name; 404 for an unknown group."""
    await live_group(session, group_id)
    query = (
        select(Contact)
        .join(GroupMember, GroupMember.contact_id == Contact.id)
        .where(GroupMember.group_id == group_id, Contact.deleted_at.is_(None))
        .order_by(Contact.sort_key, Contact.id)
    )
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def list_contact_groups(
    session: AsyncSession, contact_id: uuid.UUID, *, limit: int, offset: int
) -> Listing[Group]:
    """The groups the contact is in, by name; 404 for an unknown contact."""
    await live_contact(session, contact_id)
    query = (
        select(Group)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.contact_id == contact_id, Group.deleted_at.is_(None))
        .order_by(Group.sort_key, Group.id)
    )
    return await fetch_listing(session, query, limit=limit, offset=offset)
