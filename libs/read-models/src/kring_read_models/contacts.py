"""A service's copy of contacts, groups and group members, kept from `kring.contacts.v1`.

Each service that needs it (memberships, newsletters) keeps the copy in its own tables
`contacts`, `groups` and `group_members`: its models mix in the columns below and add their
own (newsletters' e-mail, say). `ContactReadModel`, built on those models, keeps the rows;
what the service does on top (access, subscriptions) stays in the service.

Group events and contact events travel under different keys, so they arrive in any order
relative to each other: rows are upserted, and a member event for an unknown contact or
group creates a placeholder that the contact's or group's own events fill in later. An
erased contact stays erased and a deleted group stays deleted, whatever arrives later.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import Boolean, DateTime, ForeignKey, Text, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from kring_contracts import Envelope
from kring_contracts.contacts import ContactCreated, ContactDetails, ContactUpdated
from kring_platform.handlers import EventHandlers
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork


class ContactColumns:
    """A contact as another service copies it. A placeholder (`known` false) stands in for a
    contact whose group membership arrived before its contact.created."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(Text, default="")
    last_name: Mapped[str] = mapped_column(Text, default="")
    known: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class GroupColumns:
    """A contact group. `known` turns true with the group's own events; before that its
    name comes from a member event."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    known: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class GroupMemberColumns:
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contacts.id"), primary_key=True, index=True
    )


ContactT = TypeVar("ContactT", bound=ContactColumns)
GroupT = TypeVar("GroupT", bound=GroupColumns)
RowT = TypeVar("RowT", bound=ContactColumns | GroupColumns)

ContactValues = Callable[[ContactDetails], dict[str, Any]]
Pair = tuple[uuid.UUID, uuid.UUID]  # (group id, contact id)

# What erasure leaves of a contact's copied values: they are copied from blank details.
_ERASED = ContactDetails(first_name="", last_name="")


def _names_only(_: ContactDetails) -> dict[str, Any]:
    return {}


def _unnest(values: list[Any], of: type[TypeEngine[Any]]) -> ColumnElement[Any]:
    """A list sent as one array parameter and unnested: one statement for a whole run,
    whatever its length."""
    return sa.func.unnest(sa.cast(values, ARRAY(of())))


def _columns(pairs: Iterable[Pair]) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The pairs in order, as their two columns."""
    ordered = sorted(set(pairs))
    return [first for first, _ in ordered], [second for _, second in ordered]


async def _locked(
    session: AsyncSession, model: type[RowT], row_id: uuid.UUID, *, share: bool
) -> RowT | None:
    """The row, locked (shared with `share`) and read afresh: a copy the session already
    holds may be older than what the lock waited for."""
    row: RowT | None = await session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update(read=share)
        .execution_options(populate_existing=True)
    )
    return row


@dataclass(frozen=True)
class ContactReadModel(Generic[ContactT, GroupT]):
    """The copy kept in one service's models. `extra_values` gives the columns the service
    copies beyond the names; given blank details (erasure) it must blank them too.

    Locks: a group is share-locked by member changes (they run side by side) and
    update-locked by its own events and by what the service changes for the whole group,
    which then wait for the member changes; a contact is locked after its group.
    """

    contact: type[ContactT]
    group: type[GroupT]
    member: type[GroupMemberColumns]
    extra_values: ContactValues = _names_only

    def handle_contact_events(self, handlers: EventHandlers) -> None:
        """contact.created and contact.updated: the copy takes the contact's values."""

        @handlers.on_each(ContactCreated, ContactUpdated)
        async def contact_kept(
            work: UnitOfWork, event: ContactCreated | ContactUpdated, _: Envelope
        ) -> None:
            await self.save_contact(work.session, event.contact_id, event.contact)

    async def save_contact(
        self, session: AsyncSession, contact_id: uuid.UUID, details: ContactDetails
    ) -> None:
        """Copies the contact's values; an erased contact stays erased."""
        values = self._values(details) | {"known": True}
        upsert = insert(self.contact).values(id=contact_id, **values)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=[self.contact.id], set_=values, where=self.contact.erased.is_(False)
            )
        )

    async def lock_contact(
        self,
        session: AsyncSession,
        contact_id: uuid.UUID,
        *,
        placeholder: bool = False,
        share: bool = False,
    ) -> ContactT | None:
        """The contact row, locked (shared with `share`); with `placeholder`, created if
        unknown."""
        if placeholder:
            await session.execute(
                insert(self.contact).values(id=contact_id).on_conflict_do_nothing()
            )
        return await _locked(session, self.contact, contact_id, share=share)

    async def known_copy(self, session: AsyncSession, contact_id: uuid.UUID) -> ContactT:
        """The contact as this service copied it, for the service's part of an access
        request (GDPR art. 15); 404 when the service knows no such contact."""
        contact = await session.get(self.contact, contact_id)
        if contact is None:
            raise NotFound(f"Contact {contact_id} is not known here.", contact_id=str(contact_id))
        return contact

    def mark_deleted(self, contact: ContactT, *, erase: bool) -> None:
        """Flags the (locked) contact deleted: it keeps its values, as it may be restored.
        Erased, it keeps none of them."""
        contact.deleted = True
        if erase:
            contact.erased = True
            for column, value in self._values(_ERASED).items():
                setattr(contact, column, value)

    async def lock_group(
        self,
        session: AsyncSession,
        group_id: uuid.UUID,
        *,
        share: bool = False,
        name_if_new: str | None = None,
    ) -> GroupT | None:
        """The group row, locked (shared with `share`, for member changes). Created as a
        placeholder when unknown and `name_if_new` is given; a member event never renames a
        known group (its name may be older than the group's own rename)."""
        if name_if_new is not None:
            await session.execute(
                insert(self.group).values(id=group_id, name=name_if_new).on_conflict_do_nothing()
            )
        return await _locked(session, self.group, group_id, share=share)

    async def save_group(
        self, session: AsyncSession, group_id: uuid.UUID, name: str, *, deleted: bool = False
    ) -> GroupT:
        """Upserts a group from its own event and holds its row's update lock. A late
        created or renamed event never brings a deleted group back: the row stays as the
        deletion left it (the caller sees `deleted`)."""
        values = {"name": name, "known": True, "deleted": deleted}
        upsert = insert(self.group).values(id=group_id, **values)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=[self.group.id],
                set_=values,
                where=None if deleted else self.group.deleted.is_(False),
            )
        )
        group = await self.lock_group(session, group_id)
        assert group is not None  # just upserted
        return group

    async def add_placeholder_groups(
        self, session: AsyncSession, names: Mapping[uuid.UUID, str]
    ) -> None:
        """The groups a run of member events names, created as placeholders where unknown
        (in id order, as every run inserts them: an insert waits on a conflicting one, so two
        runs never deadlock). A member event never renames a known group."""
        ids = sorted(names)
        await session.execute(
            insert(self.group)
            .from_select(
                ["id", "name"],
                select(_unnest(ids, UUID), _unnest([names[group_id] for group_id in ids], Text)),
            )
            .on_conflict_do_nothing()
        )

    async def share_lock_live_groups(
        self, session: AsyncSession, group_ids: Iterable[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Share-locks the groups (in id order) for member changes; the live ones."""
        rows = await session.execute(
            select(self.group.id, self.group.deleted)
            .where(self.group.id == sa.any_(sa.cast(sorted(group_ids), ARRAY(UUID))))
            .order_by(self.group.id)
            .with_for_update(read=True)
        )
        return {group_id for group_id, deleted in rows if not deleted}

    async def add_placeholder_contacts(
        self, session: AsyncSession, contact_ids: Iterable[uuid.UUID]
    ) -> None:
        """Contacts a member event names before their contact.created, in id order."""
        await session.execute(
            insert(self.contact)
            .from_select(["id"], select(_unnest(sorted(contact_ids), UUID)))
            .on_conflict_do_nothing()
        )

    async def add_members(self, session: AsyncSession, pairs: Iterable[Pair]) -> None:
        """(group id, contact id) pairs become memberships; known ones stay as they are."""
        groups, contacts = _columns(pairs)
        await session.execute(
            insert(self.member)
            .from_select(
                ["group_id", "contact_id"], select(_unnest(groups, UUID), _unnest(contacts, UUID))
            )
            .on_conflict_do_nothing()
        )

    async def remove_members(self, session: AsyncSession, pairs: Iterable[Pair]) -> None:
        groups, contacts = _columns(pairs)
        gone = select(_unnest(groups, UUID).label("g"), _unnest(contacts, UUID).label("c"))
        gone_pairs = gone.subquery()
        await session.execute(
            delete(self.member).where(
                self.member.group_id == gone_pairs.c.g, self.member.contact_id == gone_pairs.c.c
            )
        )

    async def remove_all_members(
        self, session: AsyncSession, group_id: uuid.UUID
    ) -> set[uuid.UUID]:
        """Empties the group; the contacts that were in it."""
        removed = await session.scalars(
            delete(self.member)
            .where(self.member.group_id == group_id)
            .returning(self.member.contact_id)
        )
        return set(removed)

    async def member_ids(self, session: AsyncSession, group_id: uuid.UUID) -> set[uuid.UUID]:
        rows = await session.scalars(
            select(self.member.contact_id).where(self.member.group_id == group_id)
        )
        return set(rows)

    def _values(self, details: ContactDetails) -> dict[str, Any]:
        names = {"first_name": details.first_name, "last_name": details.last_name}
        return names | self.extra_values(details)
