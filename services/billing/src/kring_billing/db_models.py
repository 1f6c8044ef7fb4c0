"""The billing service's tables.

Read models, fed by `kring.contacts.v1` and `kring.memberships.v1` (billing never calls
another service): contacts, membership types with their fee versions, memberships.

Billing's own: invoices and credit notes (one table, `kind` tells them apart) with their
lines and payments, the gap-free number counter per year, contribution runs with their work
items, the types' periods they billed and what they skipped.

Lock order, so that API requests, the consumers and the workers never deadlock:
invoice (the one credited or paid) → invoice counter (locked last, just before commit,
so the numbering lock is held briefly).
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kring_platform.idempotency import idempotency_table

MONEY = sa.Numeric(14, 2)
QUANTITY = sa.Numeric(12, 3)
VAT_RATE = sa.Numeric(5, 2)

INVOICE_KINDS = ("invoice", "credit_note")
INVOICE_STATUSES = ("draft", "issued", "partly_paid", "paid", "credited")
INVOICE_SOURCES = ("manual", "contribution_run", "membership_change")


class Base(DeclarativeBase):
    pass


# --- read models ---------------------------------------------------------------------------


class PostalAddress:
    """The columns of an address in the parts contacts publishes (kring_contracts.contacts
    Address, whose `model_dump()` are their values)."""

    street: Mapped[str | None] = mapped_column(sa.Text)
    number: Mapped[str | None] = mapped_column(sa.Text)
    postcode: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str | None] = mapped_column(sa.Text)


class Contact(PostalAddress, Base):
    """A contact as billing needs it: who an invoice is addressed to. A placeholder (`known`
    false) stands in for a contact whose membership arrived before its contact.created."""

    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    last_name: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    email: Mapped[str | None] = mapped_column(sa.Text)
    iban: Mapped[str | None] = mapped_column(sa.Text)
    # For letters' merge fields (letters/): phone and date of birth.
    phone: Mapped[str | None] = mapped_column(sa.Text)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    known: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    erased: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    merged_into: Mapped[uuid.UUID | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )


class MembershipType(Base):
    __tablename__ = "membership_types"
    __table_args__ = (
        sa.CheckConstraint(
            "billing_period IN ('yearly', 'monthly', 'one_off')", name="billing_period_known"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    billing_period: Mapped[str] = mapped_column(sa.String(10))
    period_start_month: Mapped[int] = mapped_column(
        sa.SmallInteger, default=1, server_default=sa.text("1")
    )
    period_start_day: Mapped[int] = mapped_column(
        sa.SmallInteger, default=1, server_default=sa.text("1")
    )
    pro_rata: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    refund_on_early_end: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())


class FeeVersion(Base):
    __tablename__ = "fee_versions"

    type_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("membership_types.id", ondelete="CASCADE"), primary_key=True
    )
    valid_from: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(
        sa.String(3), default="EUR", server_default=sa.text("'EUR'")
    )


class Membership(Base):
    """A membership as memberships publishes it. No foreign key to the type or the contact:
    their events travel on other partitions and may arrive later."""

    __tablename__ = "memberships"
    __table_args__ = (sa.Index("memberships_period", "start_date", "end_date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(index=True)
    type_id: Mapped[uuid.UUID] = mapped_column(index=True)
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    replaces: Mapped[uuid.UUID | None] = mapped_column()
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())


# --- invoices ------------------------------------------------------------------------------


class InvoiceCounter(Base):
    """The last number issued in a year. The issuing transaction locks the row, so numbers
    are gap-free: a rolled back issue gives its number back with the rest of its work."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"))


class Invoice(Base):
    """An invoice or a credit note (`kind`). Amounts are exact decimals; a credit note's are
    positive and reduce the open amount of the invoice it `credits`.

    A document made for a membership and period (`membership_id`, `period_start`) exists at
    most once per kind: a rerun, a redelivered work item or two runs at once create nothing
    twice. `source_event_id` names the event a membership change made it from."""

    __tablename__ = "invoices"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {INVOICE_KINDS}", name="kind_known"),
        sa.CheckConstraint(f"status IN {INVOICE_STATUSES}", name="status_known"),
        sa.CheckConstraint(f"source IN {INVOICE_SOURCES}", name="source_known"),
        sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_iff_issued"),
        sa.CheckConstraint("kind = 'invoice' OR credits_invoice_id IS NOT NULL", name="credit_of"),
        sa.UniqueConstraint("year", "sequence_number", name="invoices_year_sequence"),
        sa.Index(
            "invoices_membership_period_kind",
            "membership_id",
            "period_start",
            "kind",
            unique=True,
            postgresql_where=sa.text("membership_id IS NOT NULL"),
        ),
        sa.Index("invoices_contact", "contact_id", "created_at"),
        sa.Index(
            "invoices_open",
            "due_date",
            postgresql_where=sa.text("status IN ('issued', 'partly_paid')"),
        ),
        sa.Index("invoices_run", "run_id", postgresql_where=sa.text("run_id IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        sa.String(12), default="invoice", server_default=sa.text("'invoice'")
    )
    status: Mapped[str] = mapped_column(
        sa.String(12), default="draft", server_default=sa.text("'draft'")
    )
    contact_id: Mapped[uuid.UUID] = mapped_column()
    # Set at issue: "2026-000042", the year's counter value and the year.
    number: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    year: Mapped[int | None] = mapped_column(sa.Integer)
    sequence_number: Mapped[int | None] = mapped_column(sa.Integer)
    issue_date: Mapped[date | None] = mapped_column(sa.Date)
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    currency: Mapped[str] = mapped_column(
        sa.String(3), default="EUR", server_default=sa.text("'EUR'")
    )
    total_net: Mapped[Decimal] = mapped_column(
        MONEY, default=Decimal("0"), server_default=sa.text("0")
    )
    total_vat: Mapped[Decimal] = mapped_column(
        MONEY, default=Decimal("0"), server_default=sa.text("0")
    )
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"), server_default=sa.text("0"))
    paid_amount: Mapped[Decimal] = mapped_column(
        MONEY, default=Decimal("0"), server_default=sa.text("0")
    )
    credited_amount: Mapped[Decimal] = mapped_column(
        MONEY, default=Decimal("0"), server_default=sa.text("0")
    )
    # The person as addressed when issued; contact.erased blanks these, not the amounts.
    billing_name: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    billing_address: Mapped[str | None] = mapped_column(sa.Text)
    billing_email: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    # For a credit note: the invoice it corrects, and why.
    credits_invoice_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("invoices.id"))
    # Where it came from: by hand, a contribution run, or a membership change.
    source: Mapped[str] = mapped_column(
        sa.String(20), default="manual", server_default=sa.text("'manual'")
    )
    membership_id: Mapped[uuid.UUID | None] = mapped_column()
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    run_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("contribution_runs.id"))
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    # Documents and SEPA (see documents/ and sepa/): when it was sent, and whether a direct
    # debit collection holds it (then it is not offered for another collection).
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_for_collection_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    collection_reference: Mapped[str | None] = mapped_column(sa.Text)
    # The sequence of the invoice's events.
    version: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    description: Mapped[str] = mapped_column(sa.Text)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    vat_rate: Mapped[Decimal] = mapped_column(
        VAT_RATE, default=Decimal("0"), server_default=sa.text("0")
    )
    net_amount: Mapped[Decimal] = mapped_column(MONEY)
    vat_amount: Mapped[Decimal] = mapped_column(MONEY)


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date] = mapped_column(sa.Date)
    method: Mapped[str] = mapped_column(sa.String(20))
    reference: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    # A payment taken back (a returned direct debit): kept for the record, no longer counted
    # in the invoice's paid amount.
    reversed_on: Mapped[date | None] = mapped_column(sa.Date)
    reversal_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


# --- contribution runs ---------------------------------------------------------------------


class ContributionRun(Base):
    """A contribution run: its items are queued with it (outbox) and done by the workers;
    progress is read from the items, so workers never contend on this row."""

    __tablename__ = "contribution_runs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    period_day: Mapped[date] = mapped_column(sa.Date)
    reference_day: Mapped[date] = mapped_column(sa.Date)
    issue_date: Mapped[date] = mapped_column(sa.Date)
    due_date: Mapped[date] = mapped_column(sa.Date)
    membership_count: Mapped[int] = mapped_column(sa.Integer)
    item_count: Mapped[int] = mapped_column(sa.Integer)
    expected_total: Mapped[Decimal] = mapped_column(MONEY)
    # Reason → how many memberships were left out when the run was made.
    skipped: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=sa.text("'{}'")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class RunPeriod(Base):
    """What a run bills per type: the type's period holding the run's period day and the fee
    valid at its start. For one-off types `period_start` is null (each membership's own start
    is its period). Membership changes later bill a period only once a run billed it."""

    __tablename__ = "run_periods"
    __table_args__ = (sa.Index("run_periods_type", "type_id", "period_start"),)

    run_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("contribution_runs.id", ondelete="CASCADE"), primary_key=True
    )
    type_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    billing_period: Mapped[str] = mapped_column(sa.String(10))
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(sa.String(3))
    description: Mapped[str] = mapped_column(sa.Text)


class RunItem(Base):
    """One work item: a chunk of membership ids, done once by whichever worker gets it."""

    __tablename__ = "run_items"

    run_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("contribution_runs.id", ondelete="CASCADE"), primary_key=True
    )
    chunk: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    membership_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid()))
    size: Mapped[int] = mapped_column(sa.Integer)
    invoices_created: Mapped[int | None] = mapped_column(sa.Integer)
    errors: Mapped[int | None] = mapped_column(sa.Integer)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class RunSkip(Base):
    """A membership a run left out, and why (the run report lists them)."""

    __tablename__ = "run_skips"

    run_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("contribution_runs.id", ondelete="CASCADE"), primary_key=True
    )
    membership_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(40))
    during_run: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())


# Idempotency-Key of payments and credit notes: the answer given, stored with the booking.
idempotency_keys = idempotency_table(Base.metadata)
