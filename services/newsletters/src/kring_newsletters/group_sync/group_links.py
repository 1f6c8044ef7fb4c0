"""A mailing list following a contact group: linking (explicitly or by equal names),
unlinking, and bringing the list's subscriptions in line with the group's members."""

import uuid
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.newsletters import MailingListGroupLinked, MailingListGroupUnlinked
from kring_newsletters.db_models import Group, MailingList, Subscription
from kring_newsletters.mailing_lists.list_rows import (
    list_view,
    lock_list,
    lock_lists_to_link_by_name,
    record_list_event,
)
from kring_newsletters.mailing_lists.schemas import MailingListView
from kring_newsletters.read_models.contacts import (
    contact_read_model,
    lock_contacts,
    lock_live_group,
)
from kring_newsletters.subscriptions.rule import Change
from kring_newsletters.subscriptions.subscriptions import change_subscription
from kring_platform.outbox import EventOutbox
from kring_platform.problems import NotFound

LinkReason = Literal["explicit", "same_name"]
UnlinkReason = Literal["explicit", "group_deleted"]


async def follow_group(
    session: AsyncSession, outbox: EventOutbox, mailing_list: MailingList, group: Group
) -> None:
    """Points the list at the group: members are subscribed (backfill), and those who
    followed the previous group only lose that part. The caller holds the group's and
    the list's update locks and records the list's event."""
    members = await contact_read_model.member_ids(session, group.id)
    leaving: set[uuid.UUID] = set()
    if mailing_list.group_id is not None and mailing_list.group_id != group.id:
        leaving = await _group_followers(session, mailing_list.id) - members
    contacts = await lock_contacts(session, members | leaving)
    mailing_list.group_id = group.id
    mailing_list.name_linking = True
    for contact_id in sorted(leaving):
        await change_subscription(
            session,
            outbox,
            list_id=mailing_list.id,
            contact=contacts[contact_id],
            change="group_unlinked",
            create=False,
        )
    for contact_id in sorted(members):
        await change_subscription(
            session,
            outbox,
            list_id=mailing_list.id,
            contact=contacts[contact_id],
            change="joined_group",
            create=True,
        )


async def stop_following(
    session: AsyncSession,
    outbox: EventOutbox,
    mailing_list: MailingList,
    reason: UnlinkReason,
) -> None:
    """Unlinks the list (caller holds its update lock) and ends the group-sourced part of
    its subscriptions; manual subscriptions stay."""
    group_id = mailing_list.group_id
    if group_id is None:
        return
    followers = await _group_followers(session, mailing_list.id)
    contacts = await lock_contacts(session, followers)
    change: Change = "group_deleted" if reason == "group_deleted" else "group_unlinked"
    for contact_id in sorted(followers):
        await change_subscription(
            session,
            outbox,
            list_id=mailing_list.id,
            contact=contacts[contact_id],
            change=change,
            create=False,
        )
    mailing_list.group_id = None
    if reason == "explicit":
        mailing_list.name_linking = False  # the user's unlink wins over equal names
    await record_list_event(
        session,
        outbox,
        mailing_list,
        MailingListGroupUnlinked(list_id=mailing_list.id, group_id=group_id, reason=reason),
    )


async def link_group(
    session: AsyncSession, outbox: EventOutbox, list_id: uuid.UUID, group_id: uuid.UUID
) -> MailingListView:
    """Links the list to the group explicitly (replacing any earlier link)."""
    group = await lock_live_group(session, group_id)
    if group is None:
        raise NotFound(f"Group {group_id} does not exist.", group_id=str(group_id))
    mailing_list = await lock_list(session, list_id)
    if mailing_list.group_id != group.id:
        await link(session, outbox, mailing_list, group, "explicit")
    return await list_view(session, mailing_list)


async def unlink_group(session: AsyncSession, outbox: EventOutbox, list_id: uuid.UUID) -> None:
    mailing_list = await lock_list(session, list_id)
    if mailing_list.group_id is not None:
        await stop_following(session, outbox, mailing_list, "explicit")
    else:
        mailing_list.name_linking = False


async def link(
    session: AsyncSession,
    outbox: EventOutbox,
    mailing_list: MailingList,
    group: Group,
    reason: LinkReason,
) -> None:
    await follow_group(session, outbox, mailing_list, group)
    await record_list_event(
        session,
        outbox,
        mailing_list,
        MailingListGroupLinked(list_id=mailing_list.id, group_id=group.id, reason=reason),
    )


async def link_lists_named(session: AsyncSession, outbox: EventOutbox, group: Group) -> None:
    """A group got its name (created or renamed): unlinked lists of that name follow it.
    The caller holds the name lock and the group's update lock."""
    for mailing_list in await lock_lists_to_link_by_name(session, group.name):
        await link(session, outbox, mailing_list, group, "same_name")


async def _group_followers(session: AsyncSession, list_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(Subscription.contact_id).where(
            Subscription.list_id == list_id, Subscription.via_group
        )
    )
    return set(rows)
