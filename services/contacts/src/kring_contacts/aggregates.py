"""Loading a contact or a group, under the row lock that orders its events, and recording
those events."""

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from kring_contacts import state
from kring_contacts.db_models import Contact, Group
from kring_contacts.found import found
from kring_contacts.history import contact_history
from kring_contacts.merges.lookup import missing_contact
from kring_contracts.contacts import ContactCreated, ContactsEvent
from kring_platform.outbox import OutboxEvent
from kring_platform.problems import NotFound
from kring_platform.state_topics import StateTopic, touch
from kring_platform.unit_of_work import Aggregate, UnitOfWork

CONTACT = "contact"


async def lock_contact(work: UnitOfWork, contact_id: uuid.UUID) -> Contact:
    """The live contact, locked for update until the transaction ends; 404 otherwise (410
    naming the survivor for a merged contact).

    Every event about a contact (membership changes included) is written under this lock,
    so its `version` — the event sequence — follows commit order.
    """
    contact = await work.lock(Contact, Contact.id == contact_id, Contact.deleted_at.is_(None))
    if contact is None:
        raise await missing_contact(work.session, contact_id)
    contact_history.remember(work.session, contact)
    return contact


async def lock_contacts_where(
    session: AsyncSession, *criteria: ColumnElement[bool]
) -> Sequence[Contact]:
    """Every contact that meets `criteria` (deleted ones too), locked in id order — so two
    transactions locking sets this way never deadlock — and remembered for their history,
    as `lock_contact` does for one: a chunk of an import in one statement."""
    contacts = (
        await session.scalars(
            select(Contact)
            .where(*criteria)
            .order_by(Contact.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    for contact in contacts:
        contact_history.remember(session, contact)
    return contacts


async def lock_group(work: UnitOfWork, group_id: uuid.UUID, *, shared: bool = False) -> Group:
    """The live group, locked until the transaction ends; 404 otherwise.

    Changing members takes a shared lock (members of one group change concurrently, but
    never while the group is renamed or deleted); changing the group takes an exclusive one.
    Locks are always taken group first, then contact, so writers cannot deadlock.
    """
    return found(
        await work.lock(Group, Group.id == group_id, Group.deleted_at.is_(None), shared=shared),
        "group",
        group_id,
    )


async def lock_and_unlink_all(
    session: AsyncSession,
    link_owner: InstrumentedAttribute[uuid.UUID],
    link_contact: InstrumentedAttribute[uuid.UUID],
    owner_id: uuid.UUID,
) -> list[Contact]:
    """Deletes every link to the (locked) group, family or company `owner_id` — `link_owner`
    and `link_contact` are the link table's columns — and returns the contacts whose link
    this deleted, locked, in id order, for their events.

    The linked contacts are locked in id order (as every writer does), then the links are
    deleted in a statement of its own: its fresh snapshot leaves out a contact that left
    (was deleted, or moved away) while this transaction waited for its lock.
    """
    linked_ids = select(link_contact).where(link_owner == owner_id)
    contacts = (
        await session.scalars(
            select(Contact)
            .where(Contact.id.in_(linked_ids))
            .order_by(Contact.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    unlinked = set(
        (
            await session.scalars(
                delete(link_owner.class_).where(link_owner == owner_id).returning(link_contact)
            )
        ).all()
    )
    return [contact for contact in contacts if contact.id in unlinked]


async def lock_and_unlink(
    work: UnitOfWork,
    link_owner: InstrumentedAttribute[uuid.UUID],
    link_contact: InstrumentedAttribute[uuid.UUID],
    owner_id: uuid.UUID,
    contact_id: uuid.UUID,
    *,
    missing: str,
) -> Contact:
    """Locks the contact and deletes its one link to the (locked) group, family or company
    `owner_id`; returns the contact, for the event. A 404 saying `missing`, naming both ids,
    when there is none."""
    contact = await lock_contact(work, contact_id)
    removed = await work.session.scalars(
        delete(link_owner.class_)
        .where(link_owner == owner_id, link_contact == contact.id)
        .returning(link_contact)
    )
    if removed.first() is None:
        raise NotFound(
            missing, **{link_owner.key: str(owner_id), link_contact.key: str(contact.id)}
        )
    return contact


async def live_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    """The live contact, read without a lock; 404 otherwise."""
    contact = await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.deleted_at.is_(None))
    )
    if contact is None:
        raise await missing_contact(session, contact_id)
    return contact


async def live_group(session: AsyncSession, group_id: uuid.UUID) -> Group:
    """The live group, read without a lock; 404 otherwise."""
    live = select(Group).where(Group.id == group_id, Group.deleted_at.is_(None))
    return found(await session.scalar(live), "group", group_id)


async def record_contact_event(work: UnitOfWork, contact: Contact, event: ContactsEvent) -> None:
    """Records `event` about the locked contact (`work.record` bumps its version, the
    sequence), keyed by the contact id so a contact's events stay in order; and, in the same
    transaction, the contact's state snapshot and its history of the change."""
    await work.record(contact, event, aggregate_type=CONTACT, key=contact.id)
    state.contacts_changed(work.session, [contact.id])
    await contact_history.record_change(work.session, contact, event)


async def record_contacts_created(work: UnitOfWork, events: Sequence[ContactCreated]) -> None:
    """The events of contacts just inserted at version 1 (a bulk creation such as an import's
    chunk), with their history: what `record_contact_event` writes for each, in one COPY for
    the outbox and one for the history instead of a statement (or an ORM object) per contact."""
    await work.record_many(
        [OutboxEvent(event, CONTACT, event.contact_id, 1, event.contact_id) for event in events]
    )
    state.contacts_changed(work.session, (event.contact_id for event in events))
    await contact_history.record_creations(work.session, events)


async def record_with_snapshot(
    work: UnitOfWork, row: Aggregate, event: ContactsEvent, topic: StateTopic
) -> None:
    """Records `event` about the locked group, family or company `row` (`work.record` bumps
    its version) and touches its snapshot on `topic`, the state topic of its kind."""
    await work.record(row, event, aggregate_type=topic.aggregate_type)
    touch(work.session, topic, [row.id])
