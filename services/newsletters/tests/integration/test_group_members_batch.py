"""Runs of group-member events applied set-based give what applying them one by one gives:
joins and leaves of one contact in one transaction, a repeated join, an opted-out contact,
a deleted group, placeholders for unknown contacts, one event per flip in the outbox."""

import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_contracts.contacts import GroupMemberAdded, GroupMemberRemoved
from kring_newsletters.db_models import Contact, Group, GroupMember, MailingList, Subscription
from kring_newsletters.group_sync.group_members_batch import members_added, members_removed
from kring_platform.event_tables import outbox
from kring_platform.testing import runtime_of

pytestmark = pytest.mark.integration


def joined(contact_id: uuid.UUID, group_id: uuid.UUID) -> GroupMemberAdded:
    return GroupMemberAdded(contact_id=contact_id, group_id=group_id, group_name="Batch")


def left(contact_id: uuid.UUID, group_id: uuid.UUID) -> GroupMemberRemoved:
    return GroupMemberRemoved(
        contact_id=contact_id, group_id=group_id, group_name="Batch", reason="removed"
    )


async def test_runs_of_joins_and_leaves_apply_as_one_by_one(app: FastAPI, unique: str) -> None:
    units = runtime_of(app).unit_of_work
    group, gone_group, list_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ann, bob, opted_out = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await seed_list_of_group(app, unique, group, gone_group, list_id, opted_out)

    async with units() as work:
        await members_added(
            work,
            [joined(ann, group), joined(bob, group), joined(ann, group), joined(opted_out, group)],
        )
        await members_removed(work, [left(ann, group), left(bob, gone_group)])
        await members_added(work, [joined(ann, group), joined(bob, gone_group)])

    assert await subscription_rows(app, list_id) == {
        ann: (True, True, 3, "group", None),  # started, ended, started again
        bob: (True, True, 1, "group", None),
        opted_out: (False, True, 0, None, None),  # follows the group, the opt-out wins
    }
    assert await member_ids(app, group) == {ann, bob, opted_out}
    assert await member_ids(app, gone_group) == set()  # a late join of a deleted group: nothing
    assert await known_flags(app, [ann, bob]) == {ann: False, bob: False}  # placeholders
    assert await subscription_events(app, [ann, bob, opted_out]) == {
        str(ann): [("started", 1), ("ended", 2), ("started", 3)],
        str(bob): [("started", 1)],
    }


async def seed_list_of_group(
    app: FastAPI,
    unique: str,
    group: uuid.UUID,
    gone_group: uuid.UUID,
    list_id: uuid.UUID,
    opted_out: uuid.UUID,
) -> None:
    """A live group with a list following it, a deleted group, and a contact that opted out
    of the list before it joins the group."""
    async with runtime_of(app).database.transaction() as session:
        session.add_all(
            [
                Group(id=group, name=f"Batch {unique}", known=True),
                Group(id=gone_group, name=f"Gone {unique}", known=True, deleted=True),
                Contact(id=opted_out, known=True),
            ]
        )
        await session.flush()
        session.add(MailingList(id=list_id, name=f"Batch {unique}", group_id=group, version=1))
        await session.flush()
        session.add(
            Subscription(id=uuid.uuid4(), list_id=list_id, contact_id=opted_out, opted_out=True)
        )


async def subscription_rows(
    app: FastAPI, list_id: uuid.UUID
) -> dict[uuid.UUID, tuple[object, ...]]:
    """Per contact: active, via_group, version, source, end_reason."""
    async with runtime_of(app).database.transaction() as session:
        return {
            s.contact_id: (s.active, s.via_group, s.version, s.source, s.end_reason)
            for s in await session.scalars(
                select(Subscription).where(Subscription.list_id == list_id)
            )
        }


async def member_ids(app: FastAPI, group_id: uuid.UUID) -> set[uuid.UUID]:
    async with runtime_of(app).database.transaction() as session:
        return set(
            await session.scalars(
                select(GroupMember.contact_id).where(GroupMember.group_id == group_id)
            )
        )


async def known_flags(app: FastAPI, contact_ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
    async with runtime_of(app).database.transaction() as session:
        return {
            c.id: c.known
            for c in await session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))
        }


async def subscription_events(
    app: FastAPI, contact_ids: list[uuid.UUID]
) -> dict[str, list[tuple[str, int]]]:
    """The outbox's events keyed by these contacts, in order: (started|ended, sequence)."""
    async with runtime_of(app).database.transaction() as session:
        recorded = await session.execute(
            select(outbox.c.messagekey, outbox.c.type, outbox.c.payload["sequence"].as_integer())
            .where(outbox.c.messagekey.in_([str(contact_id) for contact_id in contact_ids]))
            .order_by(outbox.c.position)
        )
        events: dict[str, list[tuple[str, int]]] = {}
        for key, kind, sequence in recorded:
            events.setdefault(key, []).append((kind.rsplit(".", 1)[1], sequence))
    return events
