"""`FamilyReadModel` on models of the test's own (plus an address column, as billing keeps),
fed through its event handlers, against a real Postgres."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlalchemy import String, Text, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kring_contracts import Envelope, EventPayload
from kring_contracts.contacts import (
    Address,
    FamilyCreated,
    FamilyDeleted,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    FamilyUpdated,
)
from kring_platform.db import Database
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork
from kring_read_models.families import FamilyEvent, FamilyReadModel

from .databases import database_with

pytestmark = pytest.mark.integration


class Base(DeclarativeBase):
    pass


class Family(Base):
    __tablename__ = "families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(default=False)


class FamilyMember(Base):
    __tablename__ = "family_members"

    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    role: Mapped[str] = mapped_column(String(20))


def city(event: FamilyEvent) -> dict[str, Any]:
    return {"city": event.address.city}


read_model = FamilyReadModel(Family, FamilyMember, extra_values=city)


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    async with database_with("read_models_families", Base.metadata) as database:
        yield database


async def _apply(database: Database, *events: EventPayload) -> None:
    """Runs the events through the read model's handlers, each in its own transaction (the
    handlers use the unit of work's session only)."""
    handlers = EventHandlers()
    read_model.handle_family_events(handlers)
    for event in events:
        envelope = Envelope(
            id=uuid.uuid4(),
            source="/kring/contacts",
            type=event.event_type,
            time=datetime.now(UTC),
            subject=str(uuid.uuid4()),
            sequence=1,
            data=event.model_dump(mode="json"),
        )
        async with database.transaction() as session:
            work = cast(UnitOfWork, SimpleNamespace(session=session))
            for handler in handlers.for_type(event.event_type):
                await handler(work, event, envelope)


async def _links(session: AsyncSession) -> dict[uuid.UUID, tuple[uuid.UUID, str]]:
    rows = await session.execute(select(FamilyMember))
    return {member.contact_id: (member.family_id, member.role) for (member,) in rows}


async def test_a_family_and_its_links_are_kept_and_a_move_replaces_the_old_link(
    database: Database,
) -> None:
    first, second, contact = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    address = Address(city="Gent")
    await _apply(
        database,
        FamilyCreated(family_id=first, name="Peeters", address=address),
        FamilyUpdated(family_id=first, name="Peeters-Claes", address=address),
        FamilyMemberLinked(contact_id=contact, family_id=first, role="parent"),
        FamilyMemberLinked(contact_id=contact, family_id=second, role="child"),
        # A late unlink from the old family leaves the move's new link.
        FamilyMemberUnlinked(contact_id=contact, family_id=first, reason="moved"),
    )
    async with database.transaction() as session:
        family = await session.get(Family, first)
        assert family is not None
        assert (family.name, family.city, family.deleted) == ("Peeters-Claes", "Gent", False)
        assert await _links(session) == {contact: (second, "child")}

    await _apply(
        database, FamilyMemberUnlinked(contact_id=contact, family_id=second, reason="removed")
    )
    async with database.transaction() as session:
        assert await _links(session) == {}


async def test_a_deleted_family_keeps_its_row_without_links_and_a_forgotten_contact_has_none(
    database: Database,
) -> None:
    family_id, kept, erased = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    other_family = uuid.uuid4()
    await _apply(
        database,
        FamilyCreated(family_id=family_id, name="Janssens"),
        FamilyMemberLinked(contact_id=kept, family_id=family_id, role="parent"),
        FamilyMemberLinked(contact_id=erased, family_id=other_family, role="child"),
        FamilyDeleted(family_id=family_id, name="Janssens"),
    )
    async with database.transaction() as session:
        family = await session.get(Family, family_id)
        assert family is not None and (family.name, family.deleted) == ("Janssens", True)
        assert await _links(session) == {erased: (other_family, "child")}
        await read_model.forget_contact(session, erased)
        assert await _links(session) == {}
