"""Subscriptions following group and contact changes from `kring.contacts.v1` (members
joining and leaving a group: group_members_batch).

Each function is given the consumer's unit of work (its transaction, beside the inbox rows)
and takes its locks in the service's order (db_models): name → group → lists → contact →
subscriptions.
"""

import uuid
from typing import Literal

from sqlalchemy import select

from kring_newsletters.db_models import Subscription
from kring_newsletters.group_sync.group_links import link_lists_named, stop_following
from kring_newsletters.mailing_lists.list_rows import lock_lists_of_group
from kring_newsletters.names import lock_name
from kring_newsletters.read_models.contacts import contact_read_model, lock_contacts
from kring_newsletters.subscriptions.rule import Change
from kring_newsletters.subscriptions.subscriptions import change_subscription
from kring_platform.unit_of_work import UnitOfWork

RemovalReason = Literal["removed", "group_deleted", "contact_deleted"]

# The subscription change each reason for leaving a group makes.
LEAVING: dict[RemovalReason, Change] = {
    "removed": "left_group",
    "group_deleted": "group_deleted",
    "contact_deleted": "contact_deleted",
}


async def group_named(work: UnitOfWork, *, group_id: uuid.UUID, name: str) -> None:
    """group.created or group.renamed: lists already linked keep following the group id;
    unlinked lists of the new name start following it. A deleted group stays deleted
    (a late event), and no list follows it again."""
    await lock_name(work.session, name)
    group = await contact_read_model.save_group(work.session, group_id, name)
    if not group.deleted:
        await link_lists_named(work, group)


async def group_deleted(work: UnitOfWork, *, group_id: uuid.UUID, name: str) -> None:
    """The lists stay, unlinked; what the group gave them ends."""
    await contact_read_model.save_group(work.session, group_id, name, deleted=True)
    lists = await lock_lists_of_group(work.session, group_id, share=False)
    # Every list's followers at once, in id order: locking list by list would take
    # contacts out of order across lists.
    followers = await work.session.scalars(
        select(Subscription.contact_id).where(
            Subscription.list_id.in_([mailing_list.id for mailing_list in lists]),
            Subscription.via_group,
        )
    )
    await lock_contacts(work.session, followers)
    for mailing_list in lists:
        await stop_following(work, mailing_list, "group_deleted")
    await contact_read_model.remove_all_members(work.session, group_id)


async def contact_deleted(work: UnitOfWork, *, contact_id: uuid.UUID, erase: bool) -> None:
    """A soft-deleted (or erased) contact loses every subscription; the flags stay, so
    nothing about its choices is lost while it is deleted."""
    contact = await contact_read_model.lock_contact(work.session, contact_id, placeholder=True)
    assert contact is not None
    list_ids = await work.session.scalars(
        select(Subscription.list_id)
        .where(Subscription.contact_id == contact_id, Subscription.active)
        .order_by(Subscription.list_id)
    )
    for list_id in list_ids.all():
        await change_subscription(
            work,
            list_id=list_id,
            contact=contact,
            change="contact_deleted",
            create=False,
        )
    contact_read_model.mark_deleted(contact, erase=erase)
