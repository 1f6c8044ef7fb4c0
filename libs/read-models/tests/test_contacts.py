"""`ContactReadModel` on models of the test's own, as a service builds them from the column
mixins (plus an e-mail column of its own), against a real Postgres."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Text, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kring_contracts.contacts import ContactDetails
from kring_platform.db import Database
from kring_platform.problems import NotFound
from kring_read_models.contacts import (
    ContactColumns,
    ContactReadModel,
    GroupColumns,
    GroupMemberColumns,
)

from .databases import database_with

pytestmark = pytest.mark.integration


class Base(DeclarativeBase):
    pass


class Contact(ContactColumns, Base):
    __tablename__ = "contacts"

    email: Mapped[str | None] = mapped_column(Text)


class Group(GroupColumns, Base):
    __tablename__ = "groups"


class GroupMember(GroupMemberColumns, Base):
    __tablename__ = "group_members"


def first_email(details: ContactDetails) -> dict[str, Any]:
    return {"email": details.emails[0] if details.emails else None}


read_model = ContactReadModel(Contact, Group, GroupMember, extra_values=first_email)


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    async with database_with("platform_read_model", Base.metadata) as database:
        yield database


async def test_a_member_event_first_leaves_placeholders_that_the_own_events_fill_in(
    database: Database,
) -> None:
    group_id, contact_id = uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as session:
        group = await read_model.lock_group(session, group_id, share=True, name_if_new="Early")
        contact = await read_model.lock_contact(session, contact_id, placeholder=True, share=True)
        await read_model.add_members(session, [(group_id, contact_id)])
        await read_model.add_members(session, [(group_id, contact_id)])  # a redelivery
        assert group is not None and (group.name, group.known) == ("Early", False)
        assert contact is not None and (contact.known, contact.email) == (False, None)

    async with database.transaction() as session:
        await read_model.save_group(session, group_id, "Early birds")
        # A later member event carries an older name: the group keeps its own.
        group = await read_model.lock_group(session, group_id, name_if_new="Early")
        details = ContactDetails(first_name="Erik", last_name="Early", emails=["e@example.org"])
        await read_model.save_contact(session, contact_id, details)
        contact = await read_model.lock_contact(session, contact_id)
        assert group is not None and (group.name, group.known) == ("Early birds", True)
        assert contact is not None
        assert (contact.first_name, contact.email, contact.known) == ("Erik", "e@example.org", True)
        assert await read_model.member_ids(session, group_id) == {contact_id}

        await read_model.remove_members(session, [(group_id, contact_id)])
        assert await read_model.member_ids(session, group_id) == set()
        assert await read_model.lock_contact(session, uuid.uuid4()) is None


async def test_a_deleted_contact_keeps_its_values_and_an_erased_one_stays_blank(
    database: Database,
) -> None:
    kept, erased = uuid.uuid4(), uuid.uuid4()
    details = ContactDetails(first_name="Eva", last_name="Gone", emails=["eva@example.org"])
    async with database.transaction() as session:
        for contact_id in (kept, erased):
            await read_model.save_contact(session, contact_id, details)
            contact = await read_model.lock_contact(session, contact_id)
            assert contact is not None
            read_model.mark_deleted(contact, erase=contact_id == erased)

    async with database.transaction() as session:
        await read_model.save_contact(session, erased, details)  # a late contact.updated
        deleted = await read_model.lock_contact(session, kept)
        blank = await read_model.lock_contact(session, erased)
        assert deleted is not None and blank is not None
        assert (deleted.deleted, deleted.erased, deleted.email) == (True, False, "eva@example.org")
        assert (blank.deleted, blank.erased) == (True, True)
        assert (blank.first_name, blank.last_name, blank.email) == ("", "", None)


async def test_a_late_created_or_renamed_event_does_not_bring_a_deleted_group_back(
    database: Database,
) -> None:
    group_id, members = uuid.uuid4(), {uuid.uuid4(), uuid.uuid4()}
    async with database.transaction() as session:
        await read_model.save_group(session, group_id, "Donors")
        await read_model.add_placeholder_contacts(session, members)
        await read_model.add_members(session, [(group_id, contact_id) for contact_id in members])

    async with database.transaction() as session:
        group = await read_model.save_group(session, group_id, "Old donors", deleted=True)
        assert (group.name, group.deleted) == ("Old donors", True)
        assert await read_model.remove_all_members(session, group_id) == members

    async with database.transaction() as session:
        group = await read_model.save_group(session, group_id, "Donors")
        assert (group.name, group.known, group.deleted) == ("Old donors", True, True)
        again = await read_model.save_group(session, group_id, "Donors 2")
        assert again.deleted and again.name == "Old donors"
        assert await read_model.member_ids(session, group_id) == set()


async def test_member_changes_share_the_group_lock_and_a_group_event_waits_for_them(
    database: Database,
) -> None:
    group_id = uuid.uuid4()
    async with database.transaction() as session:
        await read_model.save_group(session, group_id, "Busy")

    async with database.transaction() as first, database.transaction() as second:
        assert await read_model.lock_group(first, group_id, share=True) is not None
        await second.execute(text("SET LOCAL lock_timeout = '300ms'"))
        assert await read_model.lock_group(second, group_id, share=True) is not None

    with pytest.raises(OperationalError, match="lock timeout"):
        async with database.transaction() as member, database.transaction() as event:
            await read_model.lock_group(member, group_id, share=True)
            await event.execute(text("SET LOCAL lock_timeout = '300ms'"))
            await read_model.save_group(event, group_id, "Renamed")


async def test_the_known_copy_answers_an_access_request_and_an_unknown_contact_is_404(
    database: Database,
) -> None:
    known = uuid.uuid4()
    details = ContactDetails(first_name="Ada", last_name="Known", emails=["ada@example.org"])
    async with database.transaction() as session:
        await read_model.save_contact(session, known, details)
        contact = await read_model.known_copy(session, known)
        assert (contact.first_name, contact.email, contact.deleted) == (
            "Ada",
            "ada@example.org",
            False,
        )
        with pytest.raises(NotFound, match="is not known here"):
            await read_model.known_copy(session, uuid.uuid4())


async def test_a_run_of_member_events_is_applied_set_based(database: Database) -> None:
    """Placeholders for the unknown, live groups share-locked, pairs added and removed in one
    statement each; a deleted group is not live, a known name is not overwritten."""
    known, early, gone = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ann, bob = uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as session:
        await read_model.save_group(session, known, "Board")
        await read_model.save_group(session, gone, "Old", deleted=True)

    async with database.transaction() as session:
        await read_model.add_placeholder_groups(session, {known: "Renamed", early: "Early"})
        live = await read_model.share_lock_live_groups(session, {known, early, gone})
        await read_model.add_placeholder_contacts(session, {ann, bob})
        await read_model.add_members(session, [(known, ann), (known, bob), (early, ann)] * 2)
        assert live == {known, early}
        assert await read_model.member_ids(session, known) == {ann, bob}
        group = await read_model.lock_group(session, known)
        placeholder = await read_model.lock_group(session, early)
        assert group is not None and (group.name, group.known) == ("Board", True)
        assert placeholder is not None and (placeholder.name, placeholder.known) == ("Early", False)

    async with database.transaction() as session:
        await read_model.remove_members(session, [(known, bob), (early, ann), (early, bob)])
        assert await read_model.member_ids(session, known) == {ann}
        assert await read_model.member_ids(session, early) == set()
