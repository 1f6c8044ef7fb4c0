"""The newsletters service's tables: its own mailing lists and subscriptions, and the read
model of contacts, groups and group members fed by `kring.contacts.v1`.

Lock order, to keep concurrent writers free of deadlocks (consumer partitions and API
requests run at once): name lock (see name_locks) → group → mailing list → contacts (by id)
→ subscriptions. Every subscription change holds its contact's row lock.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, synonym

from kring_read_models.contacts import ContactColumns, GroupColumns, GroupMemberColumns


class Base(DeclarativeBase):
    pass


class Contact(ContactColumns, Base):
    """The read model's columns (kring_read_models.contacts) and the contact's
    primary e-mail."""

    __tablename__ = "contacts"

    email: Mapped[str | None] = mapped_column(sa.Text)


class Group(GroupColumns, Base):
    __tablename__ = "groups"
    __table_args__ = (sa.Index("groups_lower_name", sa.func.lower(sa.text("name"))),)

    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class GroupMember(GroupMemberColumns, Base):
    __tablename__ = "group_members"


class MailingList(Base):
    __tablename__ = "mailing_lists"
    __table_args__ = (
        sa.Index(
            "mailing_lists_lower_name",
            sa.func.lower(sa.text("name")),
            unique=True,
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    group_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    # False after an explicit unlink: the list then no longer links by name on its own.
    name_linking: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Subscription(Base):
    """One row per (list, contact), re-activated when the contact comes back. `version`
    counts the events emitted for it, so it is the events' sequence."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        sa.UniqueConstraint("list_id", "contact_id", name="subscriptions_list_contact"),
        sa.Index("subscriptions_active_by_list", "list_id", postgresql_where=sa.text("active")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    list_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("mailing_lists.id"))
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), index=True)
    via_group: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    manual: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    opted_out: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # The source that started the current (or last) active period.
    source: Mapped[str | None] = mapped_column(sa.String(20))
    version: Mapped[int] = mapped_column(sa.Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(sa.String(40))


class MembershipType(Base):
    """A membership type's name, from `kring.memberships.v1` (for personalisation)."""

    __tablename__ = "membership_types"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)


class ContactMembership(Base):
    """A contact's membership and its type; current until it ended. A deleted membership
    is forgotten. No foreign keys: membership events arrive in any order with type events."""

    __tablename__ = "contact_memberships"

    membership_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    type_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    ended: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class Family(Base):
    __tablename__ = "families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text, default="")
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class FamilyMember(Base):
    """A contact's place in a family (one family at a time), from `kring.contacts.v1`."""

    __tablename__ = "family_members"

    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    role: Mapped[str] = mapped_column(sa.String(20))


class AllListsOptOut(Base):
    """The contact chose "no mail from any list" (through an unsubscribe link): left out of
    every send, explicit audiences included, until opted in again."""

    __tablename__ = "all_lists_opt_outs"

    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class BouncingAddress(Base):
    """Bounce counts per address (lower case). `bouncing` addresses are left out of every
    send until cleared; `version` is the sequence of the address's events."""

    __tablename__ = "address_bounces"

    email: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    hard_bounces: Mapped[int] = mapped_column(sa.Integer, default=0)
    soft_bounces: Mapped[int] = mapped_column(sa.Integer, default=0)
    bouncing: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    kind: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_bounce_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    # The address is the aggregate: the subject of its events (`work.record` reads `id`).
    id: Mapped[str] = synonym("email")


class SeenBounceReport(Base):
    """A bounce already counted: one row per report and recipient, so a report posted
    again counts nothing. The report is known by its own Message-ID or, lacking one, by
    the Message-ID of the mail that bounced (`report_key` says which)."""

    __tablename__ = "seen_bounce_reports"

    report_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    email: Mapped[str] = mapped_column(sa.Text, primary_key=True, index=True)
    seen_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class Campaign(Base):
    """A message to an audience. draft → scheduled → sending → sent, or cancelled before
    it is sent. Recipients are resolved when sending starts."""

    __tablename__ = "campaigns"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    # {"list_ids": [...], "contact_ids": [...], "family_ids": [...]}
    audience: Mapped[dict[str, list[str]]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    send_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    recipients: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Delivery(Base):
    """One recipient of a campaign: queued → sent, or failed with the reason. A sender
    claims queued rows for `claimed_until`; the row id makes the stable Message-ID."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "email", name="deliveries_campaign_email"),
        sa.Index(
            "deliveries_queued",
            "campaign_id",
            "id",
            postgresql_where=sa.text("status = 'queued'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("campaigns.id"))
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    email: Mapped[str] = mapped_column(sa.Text)
    # The list the recipient was reached through (what its unsubscribe link offers).
    list_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    # The personalisation fields as resolved at send time.
    fields: Mapped[dict[str, str]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(sa.String(20))
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    claimed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    bounced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    unsubscribed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
