"""The contacts service's tables, as SQLAlchemy models (the API's shapes are in `schemas`).

Contacts and groups are aggregates: each row has a `version`, its event sequence, bumped
under a row lock with every event about it. Group member events belong to the contact's
sequence (they are keyed by contact), so adding or removing a member bumps the contact.

`membership_types` and `memberships` are a read model of `kring.memberships.v1`, owned by the
memberships service: written only by this service's event handlers, never by its API.
"""

import uuid
from datetime import date, datetime
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


WrittenAt = Annotated[
    datetime, mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
]
"""When a row, or a change of it, was written: the database's clock unless the insert says."""


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class VersionedRow:
    """An aggregate's row: `version` is its event sequence (`UnitOfWork.record` bumps it)."""

    version: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[WrittenAt]
    updated_at: Mapped[WrittenAt]


class PostalAddress:
    """The address columns contacts, families and companies share (`address_fields`)."""

    street: Mapped[str | None] = mapped_column(sa.String(200))
    number: Mapped[str | None] = mapped_column(sa.String(20))
    postcode: Mapped[str | None] = mapped_column(sa.String(20))
    city: Mapped[str | None] = mapped_column(sa.String(200))
    country: Mapped[str | None] = mapped_column(sa.String(2))


class Contact(VersionedRow, PostalAddress, Base):
    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(200))
    last_name: Mapped[str] = mapped_column(sa.String(200))
    emails: Mapped[list[str]] = mapped_column(ARRAY(sa.String(254)))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    iban: Mapped[str | None] = mapped_column(sa.String(34))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text)
    # The id a contact has in another system; a re-import matches on it (see imports.py).
    external_id: Mapped[str | None] = mapped_column(sa.String(100))

    # Derived on every write by `search_text.py`; never set from outside.
    search_text: Mapped[str] = mapped_column(sa.Text)
    name_words: Mapped[list[str]] = mapped_column(ARRAY(sa.Text))
    sort_key: Mapped[str] = mapped_column(sa.String(401, collation="C"))

    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (  # every index serves live contacts only
        # Quick search: candidates by `LIKE '%fragment%'`, and exact name words first.
        sa.Index(
            "ix_contacts_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index(
            "ix_contacts_name_words",
            "name_words",
            postgresql_using="gin",
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index(
            "ix_contacts_sort_key", "sort_key", "id", postgresql_where=sa.text("deleted_at IS NULL")
        ),
    )


class Group(VersionedRow, Base):
    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Derived on every write by `search_text.py`: folded, so "Élèves" sorts near "Eleven".
    sort_key: Mapped[str] = mapped_column(sa.String(200, collation="C"))
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


# A group name is unique case-insensitively among live groups; a deleted group's name is free.
sa.Index(
    "uq_groups_live_name",
    sa.func.lower(Group.name),
    unique=True,
    postgresql_where=Group.deleted_at.is_(None),
)

sa.Index(
    "ix_groups_sort_key", Group.sort_key, Group.id, postgresql_where=Group.deleted_at.is_(None)
)


class GroupMember(Base):
    """A contact's place in a group. Removing a member deletes the row (the events keep the
    history)."""

    __tablename__ = "group_members"

    group_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("groups.id"), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True)
    added_at: Mapped[WrittenAt]

    __table_args__ = (sa.Index("ix_group_members_contact_id", "contact_id", "group_id"),)


class MembershipType(Base):
    """A membership type's name, as its last event told it."""

    __tablename__ = "membership_types"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[WrittenAt]


class Membership(Base):
    """A contact's membership, as its events told it. Whether it is active on a day is
    derived from the dates (`membership_status.active_on`), never stored.

    No foreign keys: a membership event may arrive before its contact exists here, and a
    membership may name a type whose own event is still on its way (events of different
    keys are not ordered relative to each other).
    """

    __tablename__ = "memberships"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID]
    type_id: Mapped[uuid.UUID]
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[WrittenAt]

    __table_args__ = (
        # A page's summaries, and "member on D" checked contact by contact.
        sa.Index("ix_memberships_contact_id", "contact_id", "start_date"),
        # "Members of type X on D": the type's memberships not ended before D.
        sa.Index("ix_memberships_type_id", "type_id", "end_date", "start_date"),
    )
