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
from kring_platform.outbox import EventOutbox
from kring_platform.testing import runtime_of

pytestmark = pytest.mark.integration

OUTBOX = EventOutbox("/kring/newsletters")


def joined(contact_id: uuid.UUID, group_id: uuid.UUID) -> GroupMemberAdded:
    return GroupMemberAdded(contact_id=contact_id, group_id=group_id, group_name="Batch")


def left(contact_id: uuid.UUID, group_id: uuid.UUID) -> GroupMemberRemoved:
    return GroupMemberRemoved(
        contact_id=contact_id, group_id=group_id, group_name="Batch", reason="removed"
    )


async def test_runs_of_joins_and_leaves_apply_as_one_by_one(app: FastAPI, unique: str) -> None:
    database = runtime_of(app).database
    group, gone_group, list_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ann, bob, opted_out = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as session:
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

    async with database.transaction() as session:
        await members_added(
            session,
            OUTBOX,
            [joined(ann, group), joined(bob, group), joined(ann, group), joined(opted_out, group)],
        )
        await members_removed(session, OUTBOX, [left(ann, group), left(bob, gone_group)])
        await members_added(session, OUTBOX, [joined(ann, group), joined(bob, gone_group)])

    async with database.transaction() as session:
        rows = {
            s.contact_id: (s.active, s.via_group, s.version, s.source, s.end_reason)
            for s in await session.scalars(
                select(Subscription).where(Subscription.list_id == list_id)
            )
        }
        members = set(
            await session.scalars(
                select(GroupMember.contact_id).where(GroupMember.group_id == group)
            )
        )
        gone_members = set(
            await session.scalars(
                select(GroupMember.contact_id).where(GroupMember.group_id == gone_group)
            )
        )
        placeholders = {
            c.id: c.known
            for c in await session.scalars(select(Contact).where(Contact.id.in_([ann, bob])))
        }
        recorded = await session.execute(
            select(outbox.c.messagekey, outbox.c.type, outbox.c.payload["sequence"].as_integer())
            .where(outbox.c.messagekey.in_([str(ann), str(bob), str(opted_out)]))
            .order_by(outbox.c.position)
        )
        events: dict[str, list[tuple[str, int]]] = {}
        for key, kind, sequence in recorded:
            events.setdefault(key, []).append((kind.rsplit(".", 1)[1], sequence))

    assert rows == {
        ann: (True, True, 3, "group", None),  # started, ended, started again
        bob: (True, True, 1, "group", None),
        opted_out: (False, True, 0, None, None),  # follows the group, the opt-out wins
    }
    assert members == {ann, bob, opted_out}
    assert gone_members == set()  # a late join of a deleted group changes nothing
    assert placeholders == {ann: False, bob: False}
    assert events == {
        str(ann): [("started", 1), ("ended", 2), ("started", 3)],
        str(bob): [("started", 1)],
    }
