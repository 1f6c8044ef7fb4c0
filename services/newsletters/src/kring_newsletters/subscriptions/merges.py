"""What a contact's merge (`contact.merged`) does here: the duplicate's subscriptions and
opt-outs join the survivor's, and the duplicate holds no active subscription any more.

Per list the duplicate had a standing on: an opt-out of either contact wins (the survivor
opts out, ending its subscription if it had one); a manual subscription of the duplicate
becomes the survivor's (started if nothing stops it). One row per (list, contact) stays the
rule, so the survivor never holds two subscriptions of a list. The duplicate's own rows end
(`contact_deleted`) and stay as its history. An "all lists" opt-out of the duplicate becomes
the survivor's. Group-made subscriptions follow the contacts service's `group_member` events
(the duplicate leaves its groups, the survivor joins them). The membership read model's
rows of the duplicate follow the survivor.
"""

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from kring_newsletters.db_models import (
    AllListsOptOut,
    ContactMembership,
    MailingList,
    Subscription,
)
from kring_newsletters.group_sync import group_sync
from kring_newsletters.read_models.contacts import contact_read_model
from kring_newsletters.subscriptions.subscriptions import change_subscription
from kring_platform.unit_of_work import UnitOfWork


async def contact_merged(
    work: UnitOfWork, *, contact_id: uuid.UUID, into_contact_id: uuid.UUID
) -> None:
    session = work.session
    # Lock order (db_models): lists (shared, in id order) → contacts (in id order) → rows.
    standings = (
        await session.execute(
            select(Subscription.list_id, Subscription.manual, Subscription.opted_out)
            .join(MailingList, MailingList.id == Subscription.list_id)
            .where(Subscription.contact_id == contact_id, MailingList.deleted_at.is_(None))
            .order_by(Subscription.list_id)
        )
    ).all()
    await session.scalars(
        select(MailingList.id)
        .where(MailingList.id.in_([list_id for list_id, _, _ in standings]))
        .order_by(MailingList.id)
        .with_for_update(read=True)
    )
    for locked_id in sorted({contact_id, into_contact_id}):
        await contact_read_model.lock_contact(session, locked_id, placeholder=True)
    survivor = await contact_read_model.lock_contact(session, into_contact_id)
    assert survivor is not None

    for list_id, manual, opted_out in standings:
        if opted_out:
            await change_subscription(
                work, list_id=list_id, contact=survivor, change="opted_out", create=True
            )
        if manual:
            await change_subscription(
                work, list_id=list_id, contact=survivor, change="subscribed", create=True
            )
    if await session.get(AllListsOptOut, contact_id) is not None:
        await session.execute(
            insert(AllListsOptOut).values(contact_id=into_contact_id).on_conflict_do_nothing()
        )
    await session.execute(
        update(ContactMembership)
        .where(ContactMembership.contact_id == contact_id)
        .values(contact_id=into_contact_id)
    )
    # The duplicate's subscriptions end, and it takes no new ones.
    await group_sync.contact_deleted(work, contact_id=contact_id, erase=False)
