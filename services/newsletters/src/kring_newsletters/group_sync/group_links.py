"""A mailing list following a contact group: linking (explicitly or by equal names),
unlinking, and bringing the list's subscriptions in line with the group's members."""

import uuid
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.newsletters import MailingListGroupLinked, MailingListGroupUnlinked
from kring_newsletters.db_models import Group, MailingList, Subscription
from kring_newsletters.mailing_lists.list_rows import (
    LIST_AGGREGATE,
    list_view,
    lock_list,
    lock_lists_to_link_by_name,
)
from kring_newsletters.mailing_lists.schemas import MailingListView
from kring_newsletters.read_models.contacts import contact_read_model, lock_contacts
from kring_newsletters.subscriptions.rule import Change
from kring_newsletters.subscriptions.subscriptions import change_list_subscriptions
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

LinkReason = Literal["explicit", "same_name"]
UnlinkReason = Literal["explicit", "group_deleted"]


async def follow_group(work: UnitOfWork, mailing_list: MailingList, group: Group) -> None:
    """Points the list at the group: members are subscribed (backfill), and those who
    followed the previous group only lose that part. The caller holds the group's and
    the list's update locks and records the list's event."""
    members = await contact_read_model.member_ids(work.session, group.id)
    leaving: set[uuid.UUID] = set()
    if mailing_list.group_id is not None and mailing_list.group_id != group.id:
        leaving = await _group_followers(work.session, mailing_list.id) - members
    contacts = await lock_contacts(work.session, members | leaving)
    mailing_list.group_id = group.id
    mailing_list.name_linking = True
    await change_list_subscriptions(
        work,
        list_id=mailing_list.id,
        contacts=contacts,
        contact_ids=leaving,
        change="group_unlinked",
        create=False,
    )
    await change_list_subscriptions(
        work,
        list_id=mailing_list.id,
        contacts=contacts,
        contact_ids=members,
        change="joined_group",
        create=True,
    )


async def stop_following(work: UnitOfWork, mailing_list: MailingList, reason: UnlinkReason) -> None:
    """Unlinks the list (caller holds its update lock) and ends the group-sourced part of
    its subscriptions; manual subscriptions stay."""
    group_id = mailing_list.group_id
    if group_id is None:
        return
    followers = await _group_followers(work.session, mailing_list.id)
    contacts = await lock_contacts(work.session, followers)
    change: Change = "group_deleted" if reason == "group_deleted" else "group_unlinked"
    await change_list_subscriptions(
        work,
        list_id=mailing_list.id,
        contacts=contacts,
        contact_ids=followers,
        change=change,
        create=False,
    )
    mailing_list.group_id = None
    if reason == "explicit":
        mailing_list.name_linking = False  # the user's unlink wins over equal names
    await work.record(
        mailing_list,
        MailingListGroupUnlinked(list_id=mailing_list.id, group_id=group_id, reason=reason),
        aggregate_type=LIST_AGGREGATE,
    )


async def link_group(work: UnitOfWork, list_id: uuid.UUID, group_id: uuid.UUID) -> MailingListView:
    """Links the list to the group explicitly (replacing any earlier link)."""
    group = await work.lock(Group, Group.id == group_id, ~Group.deleted)
    if group is None:
        raise NotFound(f"Group {group_id} does not exist.", group_id=str(group_id))
    mailing_list = await lock_list(work, list_id)
    if mailing_list.group_id != group.id:
        await link(work, mailing_list, group, "explicit")
    return await list_view(work.session, mailing_list)


async def unlink_group(work: UnitOfWork, list_id: uuid.UUID) -> None:
    mailing_list = await lock_list(work, list_id)
    if mailing_list.group_id is not None:
        await stop_following(work, mailing_list, "explicit")
    else:
        mailing_list.name_linking = False


async def link(
    work: UnitOfWork, mailing_list: MailingList, group: Group, reason: LinkReason
) -> None:
    await follow_group(work, mailing_list, group)
    await work.record(
        mailing_list,
        MailingListGroupLinked(list_id=mailing_list.id, group_id=group.id, reason=reason),
        aggregate_type=LIST_AGGREGATE,
    )


async def link_lists_named(work: UnitOfWork, group: Group) -> None:
    """A group got its name (created or renamed): unlinked lists of that name follow it.
    The caller holds the name lock and the group's update lock."""
    for mailing_list in await lock_lists_to_link_by_name(work.session, group.name):
        await link(work, mailing_list, group, "same_name")


async def _group_followers(session: AsyncSession, list_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(Subscription.contact_id).where(
            Subscription.list_id == list_id, Subscription.via_group
        )
    )
    return set(rows)
