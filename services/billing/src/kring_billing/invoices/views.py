"""Reading invoices for the API: one invoice in full, and filtered pages of them."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice, Payment
from kring_billing.invoices.invoices import lines_of
from kring_billing.invoices.schemas import InvoiceOut, InvoiceSummary
from kring_platform.paging import Page, fetch_listing
from kring_platform.problems import NotFound

OPEN_STATUSES = ("issued", "partly_paid")


async def invoice_view(session: AsyncSession, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = await session.get(Invoice, invoice_id, populate_existing=True)
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id}.")
    payments = await session.scalars(
        select(Payment)
        .where(Payment.invoice_id == invoice_id)
        .order_by(Payment.paid_on, Payment.created_at)
    )
    credit_notes = await session.scalars(
        select(Invoice.id)
        .where(Invoice.credits_invoice_id == invoice_id)
        .order_by(Invoice.sequence_number)
    )
    return InvoiceOut.full(
        invoice, await lines_of(session, invoice_id), list(payments), list(credit_notes)
    )


@dataclass(frozen=True)
class InvoiceFilter:
    contact_id: uuid.UUID | None = None
    status: str | None = None
    kind: str | None = None
    open_only: bool = False
    due_before: date | None = None
    run_id: uuid.UUID | None = None
    number: str | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.contact_id is not None:
            query = query.where(Invoice.contact_id == self.contact_id)
        if self.status is not None:
            query = query.where(Invoice.status == self.status)
        if self.kind is not None:
            query = query.where(Invoice.kind == self.kind)
        if self.open_only:
            query = query.where(Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice")
        if self.due_before is not None:
            query = query.where(Invoice.due_date < self.due_before)
        if self.run_id is not None:
            query = query.where(Invoice.run_id == self.run_id)
        if self.number is not None:
            query = query.where(Invoice.number == self.number)
        return query


async def invoice_page(
    session: AsyncSession, where: InvoiceFilter, *, limit: int, offset: int
) -> Page[InvoiceSummary]:
    query = where.apply(select(Invoice))
    order = (
        (Invoice.due_date, Invoice.sequence_number)
        if where.open_only
        else (Invoice.created_at.desc(), Invoice.sequence_number.desc())
    )
    listing = await fetch_listing(
        session, query.order_by(*order, Invoice.id), limit=limit, offset=offset
    )
    return Page(
        items=[InvoiceSummary.of(invoice) for invoice in listing.items],
        total=listing.total,
        limit=limit,
        offset=offset,
    )
