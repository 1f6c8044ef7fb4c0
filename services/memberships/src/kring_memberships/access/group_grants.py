"""Rights granted to contact groups (the right ↔ group mapping lives here; the groups and
their members come from `kring.contacts.v1`), and what group events do to access.

A grant or revocation locks the group row exclusively; member changes share-lock it, so a
contact joining while the group gains a right is either seen by the grant or sees it.
"""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.contacts import GroupMemberAdded, GroupMemberRemoved
from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.access.schemas import GroupRights
from kring_memberships.db_models import Contact, Group, GroupRight
from kring_memberships.read_models.contacts import contact_read_model
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork


async def grant(work: UnitOfWork, group_id: uuid.UUID, right: str, today: date) -> bool:
    """Grants the right to the group's members; False when it was granted already."""
    await _lock_live_group(work.session, group_id)
    granted = await work.session.scalar(
        insert(GroupRight)
        .values(group_id=group_id, right=right)
        .on_conflict_do_nothing()
        .returning(GroupRight.right)
    )
    if granted is None:
        return False
    await refresh_access(work, await contact_read_model.member_ids(work.session, group_id), today)
    return True


async def revoke(work: UnitOfWork, group_id: uuid.UUID, right: str, today: date) -> None:
    await _lock_live_group(work.session, group_id)
    revoked = await work.session.scalar(
        delete(GroupRight)
        .where(GroupRight.group_id == group_id, GroupRight.right == right)
        .returning(GroupRight.right)
    )
    if revoked is None:
        raise NotFound(f"The group does not grant {right!r}.", group_id=str(group_id), right=right)
    await refresh_access(work, await contact_read_model.member_ids(work.session, group_id), today)


async def group_rights(session: AsyncSession, group_id: uuid.UUID) -> GroupRights:
    group = await session.get(Group, group_id)
    if group is None or group.deleted or not group.known:
        raise _group_not_found(group_id)
    rights = await session.scalars(
        select(GroupRight.right).where(GroupRight.group_id == group_id).order_by(GroupRight.right)
    )
    return GroupRights(group_id=group.id, group_name=group.name, rights=list(rights))


async def contacts_joined_groups(
    work: UnitOfWork, joins: Sequence[GroupMemberAdded], today: date
) -> None:
    """A run of joins from one batch of `kring.contacts.v1`, set-based: unknown groups and
    contacts get placeholders, joins of deleted groups are left out (late events: their
    members are gone, and so are their grants), and the joined contacts' access is
    recomputed once, as it would stand after the joins one by one."""
    names = {join.group_id: join.group_name for join in reversed(joins)}  # the first wins
    await contact_read_model.add_placeholder_groups(work.session, names)
    live = await contact_read_model.share_lock_live_groups(work.session, names)
    pairs = {(join.group_id, join.contact_id) for join in joins if join.group_id in live}
    if not pairs:
        return
    contact_ids = {contact_id for _, contact_id in pairs}
    await contact_read_model.add_placeholder_contacts(work.session, contact_ids)
    await _share_lock_contacts(work.session, contact_ids)
    await contact_read_model.add_members(work.session, pairs)
    await refresh_access(work, contact_ids, today)


async def contacts_left_groups(
    work: UnitOfWork, leaves: Sequence[GroupMemberRemoved], today: date
) -> None:
    """A run of leaves, set-based: the memberships go and the known contacts' access is
    recomputed once."""
    pairs = {(leave.group_id, leave.contact_id) for leave in leaves}
    await contact_read_model.share_lock_live_groups(work.session, {g for g, _ in pairs})
    await contact_read_model.remove_members(work.session, pairs)
    known = await _share_lock_contacts(work.session, {contact_id for _, contact_id in pairs})
    await refresh_access(work, known, today)


async def _share_lock_contacts(
    session: AsyncSession, contact_ids: set[uuid.UUID]
) -> list[uuid.UUID]:
    """Share-locks the contacts this service knows of, in id order; their ids."""
    rows = await session.scalars(
        select(Contact.id)
        .where(Contact.id.in_(sorted(contact_ids)))
        .order_by(Contact.id)
        .with_for_update(read=True)
    )
    return list(rows)


async def group_deleted(work: UnitOfWork, *, group_id: uuid.UUID, name: str, today: date) -> None:
    """The group's grants go with it, and its members lose what it gave them."""
    await contact_read_model.save_group(work.session, group_id, name, deleted=True)
    await work.session.execute(delete(GroupRight).where(GroupRight.group_id == group_id))
    members = await contact_read_model.remove_all_members(work.session, group_id)
    await refresh_access(work, members, today)


async def _lock_live_group(session: AsyncSession, group_id: uuid.UUID) -> Group:
    group = await contact_read_model.lock_group(session, group_id)
    if group is None or group.deleted or not group.known:
        raise _group_not_found(group_id)
    return group


def _group_not_found(group_id: uuid.UUID) -> NotFound:
    return NotFound(f"Group {group_id} does not exist.", group_id=str(group_id))
