"""A service's copy of families and who is in which (with what role), kept from
`kring.contacts.v1`.

Each service that needs it (billing for the letters' `family` merge fields, newsletters for
campaigns to "the families") keeps the copy in its own tables `families` and
`family_members`, with columns of its own (billing's address). `FamilyReadModel`, built on
those models, keeps the rows. Family events travel under the family's key, member events
under the contact's: rows are upserted and unlinks are guarded, so a redelivery or a late
unlink changes nothing.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from kring_contracts import Envelope
from kring_contracts.contacts import (
    FamilyCreated,
    FamilyDeleted,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    FamilyUpdated,
)
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


# The models' columns as the read model queries them (class attributes): a service's own
# models qualify as they are, whatever columns they add.
class FamilyTable(Protocol):
    """What the read model needs of a service's `families` model."""

    id: ClassVar[InstrumentedAttribute[uuid.UUID]]
    name: ClassVar[InstrumentedAttribute[str]]
    deleted: ClassVar[InstrumentedAttribute[bool]]


class FamilyMemberTable(Protocol):
    """What the read model needs of a service's `family_members` model: one row a contact
    (a contact is in one family at a time)."""

    contact_id: ClassVar[InstrumentedAttribute[uuid.UUID]]
    family_id: ClassVar[InstrumentedAttribute[uuid.UUID]]
    role: ClassVar[InstrumentedAttribute[str]]


FamilyT = TypeVar("FamilyT", bound=FamilyTable)
FamilyMemberT = TypeVar("FamilyMemberT", bound=FamilyMemberTable)

FamilyEvent = FamilyCreated | FamilyUpdated
FamilyValues = Callable[[FamilyEvent], dict[str, Any]]


def _name_only(_: FamilyEvent) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class FamilyReadModel(Generic[FamilyT, FamilyMemberT]):
    """The copy kept in one service's models. `extra_values` gives the columns the service
    copies from a family's created or updated event beyond its name."""

    family: type[FamilyT]
    member: type[FamilyMemberT]
    extra_values: FamilyValues = _name_only

    def handle_family_events(self, handlers: EventHandlers) -> None:
        """The family's own events and its members' links, into the copy."""

        @handlers.on_each(FamilyCreated, FamilyUpdated)
        async def family_kept(work: UnitOfWork, event: FamilyEvent, _: Envelope) -> None:
            values = {"name": event.name} | self.extra_values(event)
            await self.save_family(work.session, event.family_id, values)

        @handlers.on(FamilyDeleted)
        async def family_deleted(work: UnitOfWork, event: FamilyDeleted, _: Envelope) -> None:
            await self.delete_family(work.session, event.family_id, event.name)

        @handlers.on(FamilyMemberLinked)
        async def linked(work: UnitOfWork, event: FamilyMemberLinked, _: Envelope) -> None:
            await self.link_member(work.session, event.contact_id, event.family_id, event.role)

        @handlers.on(FamilyMemberUnlinked)
        async def unlinked(work: UnitOfWork, event: FamilyMemberUnlinked, _: Envelope) -> None:
            await self.unlink_member(work.session, event.contact_id, event.family_id)

    async def save_family(
        self,
        session: AsyncSession,
        family_id: uuid.UUID,
        values: dict[str, Any],
        *,
        deleted: bool = False,
    ) -> None:
        """Upserts the family with the given column values."""
        values = values | {"deleted": deleted}
        upsert = insert(self.family).values(id=family_id, **values)
        await session.execute(
            upsert.on_conflict_do_update(index_elements=[self.family.id], set_=values)
        )

    async def delete_family(self, session: AsyncSession, family_id: uuid.UUID, name: str) -> None:
        """Flags the family deleted (kept with its last name) and drops its links."""
        await self.save_family(session, family_id, {"name": name}, deleted=True)
        await session.execute(delete(self.member).where(self.member.family_id == family_id))

    async def link_member(
        self, session: AsyncSession, contact_id: uuid.UUID, family_id: uuid.UUID, role: str
    ) -> None:
        """A contact is in one family at a time: linking replaces any earlier family."""
        values = {"family_id": family_id, "role": role}
        upsert = insert(self.member).values(contact_id=contact_id, **values)
        await session.execute(
            upsert.on_conflict_do_update(index_elements=[self.member.contact_id], set_=values)
        )

    async def unlink_member(
        self, session: AsyncSession, contact_id: uuid.UUID, family_id: uuid.UUID
    ) -> None:
        # Only from that family: a late unlink from an old family leaves a move's new link.
        await session.execute(
            delete(self.member).where(
                self.member.contact_id == contact_id, self.member.family_id == family_id
            )
        )

    async def forget_contact(self, session: AsyncSession, contact_id: uuid.UUID) -> None:
        """Drops the contact's link, whichever family it is in (an erased contact)."""
        await session.execute(delete(self.member).where(self.member.contact_id == contact_id))
