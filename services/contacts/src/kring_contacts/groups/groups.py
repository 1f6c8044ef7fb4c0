"""Creating, renaming and deleting groups, each change with its event in the same unit of
work."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.aggregates import (
    live_group,
    lock_and_unlink_all,
    lock_group,
    record_contact_event,
    record_with_snapshot,
)
from kring_contacts.db_models import Group, GroupMember
from kring_contacts.search.search_text import group_sort_key
from kring_contacts.state import GROUP_STATE
from kring_contracts.contacts import GroupCreated, GroupDeleted, GroupMemberRemoved, GroupRenamed
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import Conflict
from kring_platform.unit_of_work import UnitOfWork


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A group named {name!r} already exists.", name=name)


async def _refuse_taken_name(
    session: AsyncSession, name: str, *, other_than: uuid.UUID | None = None
) -> None:
    query = select(Group.id).where(
        func.lower(Group.name) == name.lower(), Group.deleted_at.is_(None)
    )
    if other_than is not None:
        query = query.where(Group.id != other_than)
    if await session.scalar(query.limit(1)) is not None:
        raise _name_taken(name)


async def _flush_name(session: AsyncSession, name: str) -> None:
    # The unique index decides a race between two writers that both passed the check.
    try:
        await session.flush()
    except IntegrityError:
        raise _name_taken(name) from None


async def create_group(work: UnitOfWork, name: str) -> Group:
    """A new group; 409 when a live group has the same name, ignoring case."""
    session = work.session
    await _refuse_taken_name(session, name)
    now = datetime.now(UTC)
    group = Group(
        id=uuid.uuid4(),
        name=name,
        sort_key=group_sort_key(name),
        version=0,
        created_at=now,
        updated_at=now,
    )
    session.add(group)
    await _flush_name(session, name)
    created = GroupCreated(group_id=group.id, name=name)
    await record_with_snapshot(work, group, created, GROUP_STATE)
    return group


async def get_group(session: AsyncSession, group_id: uuid.UUID) -> Group:
    return await live_group(session, group_id)


async def list_groups(session: AsyncSession, *, limit: int, offset: int) -> Listing[Group]:
    """Live groups by name."""
    query = select(Group).where(Group.deleted_at.is_(None)).order_by(Group.sort_key, Group.id)
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def rename_group(work: UnitOfWork, group_id: uuid.UUID, name: str) -> Group:
    """Renames the group; the same name again changes nothing and emits nothing."""
    group = await lock_group(work, group_id)
    if name == group.name:
        return group
    await _refuse_taken_name(work.session, name, other_than=group.id)
    old_name, group.name, group.sort_key = group.name, name, group_sort_key(name)
    group.updated_at = datetime.now(UTC)
    await _flush_name(work.session, name)
    renamed = GroupRenamed(group_id=group.id, old_name=old_name, name=name)
    await record_with_snapshot(work, group, renamed, GROUP_STATE)
    return group


async def delete_group(work: UnitOfWork, group_id: uuid.UUID) -> None:
    """Removes every member (an event in each member's own sequence), then the group."""
    group = await lock_group(work, group_id)
    members = await lock_and_unlink_all(
        work.session, GroupMember.group_id, GroupMember.contact_id, group.id
    )
    for contact in members:
        removed = GroupMemberRemoved(
            contact_id=contact.id,
            group_id=group.id,
            group_name=group.name,
            reason="group_deleted",
        )
        await record_contact_event(work, contact, removed)
    group.deleted_at = group.updated_at = datetime.now(UTC)
    await work.session.flush()
    deleted = GroupDeleted(group_id=group.id, name=group.name)
    await record_with_snapshot(work, group, deleted, GROUP_STATE)
