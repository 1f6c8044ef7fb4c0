"""Mailing lists: create, rename, delete, read. Names are unique case-insensitively among
live lists; a list whose name equals a group's follows that group."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.newsletters import MailingListCreated, MailingListDeleted, MailingListRenamed
from kring_newsletters.db_models import Group, MailingList, Subscription
from kring_newsletters.group_sync.group_links import follow_group, link
from kring_newsletters.mailing_lists.list_rows import (
    LIST_AGGREGATE,
    list_view,
    lock_list,
    name_taken,
    not_found,
    view_of,
)
from kring_newsletters.mailing_lists.schemas import MailingListView
from kring_newsletters.names import lock_name
from kring_newsletters.read_models.contacts import lock_contacts, lock_group_named
from kring_newsletters.subscriptions.subscriptions import change_list_subscriptions
from kring_platform.concurrency import UNCONDITIONAL, Precondition
from kring_platform.paging import Page
from kring_platform.problems import Conflict
from kring_platform.unit_of_work import UnitOfWork


def name_clash(name: str) -> Conflict:
    return Conflict(f"A mailing list named {name!r} already exists.", name=name)


async def create_list(work: UnitOfWork, name: str) -> MailingListView:
    await lock_name(work.session, name)
    if await name_taken(work.session, name):
        raise name_clash(name)
    group = await lock_group_named(work.session, name)
    mailing_list = MailingList(
        id=uuid.uuid4(),
        name=name,
        group_id=None,
        name_linking=True,
        version=0,  # recording its creation makes it 1
        created_at=datetime.now(UTC),
    )
    work.session.add(mailing_list)
    await work.session.flush()
    if group is not None:
        await follow_group(work, mailing_list, group)
    await work.record(
        mailing_list,
        MailingListCreated(list_id=mailing_list.id, name=name, group_id=mailing_list.group_id),
        aggregate_type=LIST_AGGREGATE,
    )
    return await list_view(work.session, mailing_list)


async def rename_list(
    work: UnitOfWork,
    list_id: uuid.UUID,
    name: str,
    precondition: Precondition = UNCONDITIONAL,
) -> MailingListView:
    """Renames the list; an unlinked list that takes a group's name follows that group."""
    await lock_name(work.session, name)
    group = await lock_group_named(work.session, name)
    mailing_list = await lock_list(work, list_id)
    await precondition.check(mailing_list.version)
    if mailing_list.name == name:
        return await list_view(work.session, mailing_list)
    if await name_taken(work.session, name, other_than=list_id):
        raise name_clash(name)
    old_name, mailing_list.name = mailing_list.name, name
    await work.record(
        mailing_list,
        MailingListRenamed(list_id=list_id, old_name=old_name, name=name),
        aggregate_type=LIST_AGGREGATE,
    )
    if group is not None and mailing_list.group_id is None and mailing_list.name_linking:
        await link(work, mailing_list, group, "same_name")
    return await list_view(work.session, mailing_list)


async def delete_list(work: UnitOfWork, list_id: uuid.UUID) -> None:
    """Ends the list's subscriptions and deletes it; its name is free again."""
    mailing_list = await lock_list(work, list_id)
    subscriber_ids = set(
        await work.session.scalars(
            select(Subscription.contact_id).where(
                Subscription.list_id == list_id, Subscription.active
            )
        )
    )
    contacts = await lock_contacts(work.session, subscriber_ids)
    await change_list_subscriptions(
        work,
        list_id=list_id,
        contacts=contacts,
        contact_ids=subscriber_ids,
        change="list_deleted",
        create=False,
    )
    mailing_list.deleted_at = datetime.now(UTC)
    await work.record(
        mailing_list,
        MailingListDeleted(list_id=list_id, name=mailing_list.name),
        aggregate_type=LIST_AGGREGATE,
    )


async def get_list(session: AsyncSession, list_id: uuid.UUID) -> MailingListView:
    row = (
        await session.execute(
            select(MailingList, Group.name)
            .outerjoin(Group, Group.id == MailingList.group_id)
            .where(MailingList.id == list_id, MailingList.deleted_at.is_(None))
        )
    ).first()
    if row is None:
        raise not_found(list_id)
    return view_of(row[0], row[1])


async def lists_page(session: AsyncSession, *, limit: int, offset: int) -> Page[MailingListView]:
    live = MailingList.deleted_at.is_(None)
    total = await session.scalar(select(func.count()).select_from(MailingList).where(live))
    rows = await session.execute(
        select(MailingList, Group.name)
        .outerjoin(Group, Group.id == MailingList.group_id)
        .where(live)
        .order_by(func.lower(MailingList.name), MailingList.id)
        .limit(limit)
        .offset(offset)
    )
    return Page(
        items=[view_of(mailing_list, group_name) for mailing_list, group_name in rows],
        total=total or 0,
        limit=limit,
        offset=offset,
    )
