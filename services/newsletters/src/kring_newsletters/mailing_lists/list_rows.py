"""Mailing list rows: finding and locking them, their API view."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import Group, MailingList
from kring_newsletters.mailing_lists.schemas import MailingListView
from kring_newsletters.names import same_name
from kring_platform.problems import NotFound
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

LIST_AGGREGATE = "mailing_list"
"""The aggregate type of a list's events (`work.record(mailing_list, ..., aggregate_type=)`)."""


def not_found(list_id: uuid.UUID) -> NotFound:
    return NotFound(f"Mailing list {list_id} does not exist.", list_id=str(list_id))


async def lock_list(work: UnitOfWork, list_id: uuid.UUID, *, share: bool = False) -> MailingList:
    """The live list, locked; `share` for a change of one contact's subscription, which
    only has to keep the list from being deleted or relinked meanwhile."""
    mailing_list = await work.lock(
        MailingList, MailingList.id == list_id, MailingList.deleted_at.is_(None), shared=share
    )
    if mailing_list is None:
        raise not_found(list_id)
    return mailing_list


async def lock_lists_of_group(
    session: AsyncSession, group_id: uuid.UUID, *, share: bool
) -> Sequence[MailingList]:
    """The live lists following the group, locked in id order."""
    rows = await session.scalars(
        select(MailingList)
        .where(MailingList.group_id == group_id, MailingList.deleted_at.is_(None))
        .order_by(MailingList.id)
        .with_for_update(read=share)
        .execution_options(populate_existing=True)
    )
    return rows.all()


async def lock_lists_to_link_by_name(session: AsyncSession, name: str) -> Sequence[MailingList]:
    """Live, unlinked lists of this name that still link by name, locked in id order."""
    rows = await session.scalars(
        select(MailingList)
        .where(
            same_name(MailingList.name, name),
            MailingList.group_id.is_(None),
            MailingList.name_linking,
            MailingList.deleted_at.is_(None),
        )
        .order_by(MailingList.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return rows.all()


async def name_taken(
    session: AsyncSession, name: str, *, other_than: uuid.UUID | None = None
) -> bool:
    query = select(MailingList.id).where(
        same_name(MailingList.name, name), MailingList.deleted_at.is_(None)
    )
    if other_than is not None:
        query = query.where(MailingList.id != other_than)
    return (await session.scalar(query.limit(1))) is not None


async def list_view(session: AsyncSession, mailing_list: MailingList) -> MailingListView:
    group_name = None
    if mailing_list.group_id is not None:
        group_name = await session.scalar(
            select(Group.name).where(Group.id == mailing_list.group_id)
        )
    return view_of(mailing_list, group_name)


def view_of(mailing_list: MailingList, group_name: str | None) -> MailingListView:
    return model_of(MailingListView, mailing_list, group_name=group_name)
