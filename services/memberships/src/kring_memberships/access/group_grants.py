"""Rights granted to contact groups (the right ↔ group mapping lives here; the groups and
their members come from `kring.contacts.v1`), and what group events do to access.

A grant or revocation locks the group row exclusively; member changes share-lock it, so a
contact joining while the group gains a right is either seen by the grant or sees it.
"""

import uuid
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.access.schemas import GroupRights
from kring_memberships.db_models import Group, GroupRight
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


async def contact_joined_group(
    work: UnitOfWork,
    *,
    contact_id: uuid.UUID,
    group_id: uuid.UUID,
    group_name: str,
    today: date,
) -> None:
    group = await contact_read_model.lock_group(
        work.session, group_id, share=True, name_if_new=group_name
    )
    if group is None or group.deleted:
        return  # a late join of a deleted group: its members are gone, and so are its grants
    await contact_read_model.lock_contact(work.session, contact_id, placeholder=True, share=True)
    await contact_read_model.add_member(work.session, group_id, contact_id)
    await refresh_access(work, [contact_id], today)


async def contact_left_group(
    work: UnitOfWork,
    *,
    contact_id: uuid.UUID,
    group_id: uuid.UUID,
    today: date,
) -> None:
    await contact_read_model.lock_group(work.session, group_id, share=True)
    await contact_read_model.remove_member(work.session, group_id, contact_id)
    if await contact_read_model.lock_contact(work.session, contact_id, share=True) is not None:
        await refresh_access(work, [contact_id], today)


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
