"""A change and its events commit together or not at all."""

import uuid

import pytest
from sqlalchemy import func, select

from kring_contacts.contacts import contacts
from kring_contacts.db_models import Contact, GroupMember
from kring_contacts.groups import group_members, groups
from kring_contacts.schemas import ContactCreate
from kring_contracts import CONTACTS_TOPIC
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.unit_of_work import UnitsOfWork

from .helpers import Boom, failing_unit_of_work

pytestmark = pytest.mark.integration


async def outbox_rows(database: Database, subject: object) -> int:
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.aggregateid == str(subject), outbox.c.topic == CONTACTS_TOPIC)
        )
        return count or 0


async def test_a_failure_after_the_change_leaves_neither_row_nor_event(
    database: Database, units: UnitsOfWork
) -> None:
    draft = ContactCreate(first_name="Never", last_name="Saved")
    created_id: uuid.UUID | None = None
    with pytest.raises(Boom):
        async with units() as work:
            contact = await contacts.create_contact(work, draft)
            created_id = contact.id
            raise Boom("after the change and its event")
    assert created_id is not None
    async with database.transaction() as session:
        assert await session.get(Contact, created_id) is None
    assert await outbox_rows(database, created_id) == 0


async def test_a_failure_midway_through_a_delete_rolls_back_everything(
    database: Database, units: UnitsOfWork
) -> None:
    async with units() as work:
        contact = await contacts.create_contact(
            work, ContactCreate(first_name="Half", last_name="Deleted")
        )
        group_ids = []
        for name in ("A", "B"):
            group = await groups.create_group(work, f"{name} {contact.id}")
            await group_members.add_member(work, group.id, contact.id)
            group_ids.append(group.id)
    before = await outbox_rows(database, contact.id)
    assert before == 3

    # The second group_member.removed fails: the first removal must not survive either.
    with pytest.raises(Boom):
        async with failing_unit_of_work(units, fail_on=2) as work:
            await contacts.delete_contact(work, contact.id)

    async with database.transaction() as session:
        stored = await session.get(Contact, contact.id)
        assert stored is not None and stored.deleted_at is None and stored.version == 3
        links = await session.scalar(
            select(func.count())
            .select_from(GroupMember)
            .where(GroupMember.contact_id == contact.id)
        )
        assert links == 2
    assert await outbox_rows(database, contact.id) == before
