"""The tables of SEPA direct debit: mandates, collections and their items, and the bank
transactions imported from statements."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import MONEY, Base

MANDATE_STATUSES = ("active", "revoked")
TRANSACTION_OUTCOMES = ("matched", "unmatched", "returned", "ignored")


class Mandate(Base):
    """A SEPA core direct debit mandate a contact signed. Its first collection goes as FRST,
    later ones as RCUR (`first_collected_at` tells which)."""

    __tablename__ = "mandates"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {MANDATE_STATUSES}", name="mandate_status_known"),
        sa.Index("mandates_contact", "contact_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column()
    reference: Mapped[str] = mapped_column(sa.String(35), unique=True)
    iban: Mapped[str] = mapped_column(sa.String(34))
    bic: Mapped[str | None] = mapped_column(sa.String(11))
    signed_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    revoked_on: Mapped[date | None] = mapped_column(sa.Date)
    first_collected_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(sa.Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class Collection(Base):
    """A pain.008 file of direct debits, kept as offered to the bank."""

    __tablename__ = "collections"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(35), unique=True)
    collection_date: Mapped[date] = mapped_column(sa.Date)
    transaction_count: Mapped[int] = mapped_column(sa.Integer)
    control_sum: Mapped[Decimal] = mapped_column(MONEY)
    xml: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # Invoices asked for but left out: [{"invoice_id", "number", "reason"}].
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=sa.text("'[]'")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CollectionItem(Base):
    """An invoice in a collection. An invoice is in at most one collection that the bank has
    not returned (a partial unique index): never collected twice, but collected again after
    a return. `payment_id` is the payment the collection's credit booked; a return reverses
    it and records its reason code and day."""

    __tablename__ = "collection_items"
    __table_args__ = (
        sa.Index(
            "collection_items_invoice_not_returned",
            "invoice_id",
            unique=True,
            postgresql_where=sa.text("returned_on IS NULL"),
        ),
    )

    collection_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    invoice_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("invoices.id"), primary_key=True)
    mandate_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("mandates.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    sequence_type: Mapped[str] = mapped_column(sa.String(4))
    end_to_end_id: Mapped[str] = mapped_column(sa.String(35), index=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("payments.id"))
    returned_on: Mapped[date | None] = mapped_column(sa.Date)
    return_reason: Mapped[str | None] = mapped_column(sa.String(35))


class BankTransaction(Base):
    """A booked transaction of an imported statement, by its stable key: importing the
    same statement again finds it here and books nothing twice."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        sa.CheckConstraint(f"outcome IN {TRANSACTION_OUTCOMES}", name="transaction_outcome_known"),
    )

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    statement_id: Mapped[str] = mapped_column(sa.Text)
    credit: Mapped[bool] = mapped_column(sa.Boolean)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    booking_date: Mapped[date | None] = mapped_column(sa.Date)
    reference: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str] = mapped_column(sa.String(10))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("payments.id"))
    imported_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
