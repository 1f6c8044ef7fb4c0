"""The memberships service's tables: membership types with their fee versions, memberships,
rights granted to groups and the access last published per contact; and the read model of
contacts, groups and group members fed by `kring.contacts.v1`.

Lock order, so that API requests, the consumer's partitions and the scheduler never
deadlock: membership type or group (the rows whose rights are read) → contact → membership
→ access state (by contact id). Whoever changes what grants a right locks the type or group
row first, so a membership or group member being added at the same moment is either seen
by the change or sees it.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kring_read_models.contacts import ContactColumns, GroupColumns, GroupMemberColumns

RIGHT_LENGTH = 100


class Base(DeclarativeBase):
    pass


class Contact(ContactColumns, Base):
    """The read model's columns (kring_read_models.contacts), plus what the federation
    affiliation export sends (`affiliation/`): first e-mail, birth date, address."""

    __tablename__ = "contacts"

    email: Mapped[str | None] = mapped_column(sa.Text)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    street: Mapped[str | None] = mapped_column(sa.Text)
    house_number: Mapped[str | None] = mapped_column(sa.Text)
    postcode: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str | None] = mapped_column(sa.Text)


class Group(GroupColumns, Base):
    __tablename__ = "groups"


class GroupMember(GroupMemberColumns, Base):
    __tablename__ = "group_members"


class GroupRight(Base):
    """A right the group's members hold (the right ↔ group mapping is kept here)."""

    __tablename__ = "group_rights"

    group_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("groups.id"), primary_key=True)
    right: Mapped[str] = mapped_column(sa.String(RIGHT_LENGTH), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class MembershipType(Base):
    """`version` counts the type's events (their sequence)."""

    __tablename__ = "membership_types"
    __table_args__ = (
        sa.Index("membership_types_lower_name", sa.func.lower(sa.text("name")), unique=True),
        sa.CheckConstraint(
            "billing_period IN ('yearly', 'monthly', 'one_off')", name="billing_period_known"
        ),
        sa.CheckConstraint(
            "term_kind IN ('seasonal', 'rolling', 'fixed_end', 'fixed_months')",
            name="term_kind_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    billing_period: Mapped[str] = mapped_column(sa.String(10))
    period_start_month: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    period_start_day: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    term_kind: Mapped[str] = mapped_column(sa.String(20))
    term_months: Mapped[int | None] = mapped_column(sa.Integer)
    term_end_date: Mapped[date | None] = mapped_column(sa.Date)
    pro_rata: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    refund_on_early_end: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    rights: Mapped[list[str]] = mapped_column(ARRAY(sa.String(RIGHT_LENGTH)), default=list)
    archived: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    version: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class FeeVersion(Base):
    """The fee from `valid_from` on. Rows are only ever added: what was billed stays true."""

    __tablename__ = "fee_versions"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="fee_not_negative"),)

    type_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("membership_types.id"), primary_key=True
    )
    valid_from: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    currency: Mapped[str] = mapped_column(sa.String(3))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


member_number_sequence = sa.Sequence("member_number_seq", metadata=Base.metadata)


class MemberNumber(Base):
    """A contact's member number: given with its first membership, kept for life."""

    __tablename__ = "member_numbers"

    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True)
    number: Mapped[int] = mapped_column(sa.BigInteger, unique=True)


class Membership(Base):
    """One membership: its dates decide its status on any day. `activated_at`/`ended_at`
    only record that the scheduler announced the start and the end, exactly once.
    `version` counts the membership's events (their sequence). A membership entered by
    mistake is deleted softly (`deleted_at`), so its events keep their sequence."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        # Two memberships of one type and contact never share a day, even when two requests
        # race: the database refuses the second.
        ExcludeConstraint(
            (sa.text("contact_id"), "="),
            (sa.text("type_id"), "="),
            (sa.text("daterange(start_date, end_date, '[]')"), "&&"),
            name="memberships_no_overlap",
            using="gist",
            where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index(
            "memberships_by_type_and_period",
            sa.text("type_id"),
            sa.text("daterange(start_date, end_date, '[]')"),
            postgresql_using="gist",
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index(
            "memberships_due_activation",
            "start_date",
            postgresql_where=sa.text("activated_at IS NULL AND deleted_at IS NULL"),
        ),
        sa.Index(
            "memberships_due_end",
            "end_date",
            postgresql_where=sa.text(
                "ended_at IS NULL AND end_date IS NOT NULL AND deleted_at IS NULL"
            ),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), index=True)
    type_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("membership_types.id"))
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    member_number: Mapped[str] = mapped_column(sa.String(40))
    replaces: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("memberships.id"))
    version: Mapped[int] = mapped_column(sa.Integer)
    activated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class AccessState(Base):
    """The right set last published for a contact (`kring.access.v1`): a new event goes out
    only when the set computed for today differs. `version` is the events' sequence."""

    __tablename__ = "access_states"

    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True)
    rights: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(RIGHT_LENGTH)), server_default=sa.text("'{}'")
    )
    on: Mapped[date | None] = mapped_column(sa.Date)
    version: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))
    changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
