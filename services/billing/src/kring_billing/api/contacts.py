"""A contact's invoices and open items."""

import uuid

from fastapi import APIRouter
from sqlalchemy import select

from kring_billing.db_models import Invoice
from kring_billing.invoice_views import OPEN_STATUSES, InvoiceFilter, invoice_page
from kring_billing.invoices import credit_balance, open_amount
from kring_billing.money import ZERO
from kring_billing.schemas import InvoiceSummary, OpenItems
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.get("/{contact_id}/invoices", response_model=Page[InvoiceSummary])
async def contact_invoices(
    contact_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[InvoiceSummary]:
    """The contact's invoices and credit notes, newest first."""
    async with runtime.database.transaction() as session:
        return await invoice_page(
            session, InvoiceFilter(contact_id=contact_id), limit=limit, offset=offset
        )


@router.get("/{contact_id}/open-items", response_model=OpenItems)
async def contact_open_items(contact_id: uuid.UUID, runtime: RuntimeDep) -> OpenItems:
    """What the contact still owes, invoice by invoice, and what was overpaid."""
    async with runtime.database.transaction() as session:
        rows = list(
            await session.scalars(
                select(Invoice)
                .where(
                    Invoice.contact_id == contact_id,
                    Invoice.kind == "invoice",
                    Invoice.status.in_((*OPEN_STATUSES, "paid")),
                )
                .order_by(Invoice.due_date, Invoice.sequence_number)
            )
        )
    open_items = [invoice for invoice in rows if open_amount(invoice) > ZERO]
    return OpenItems(
        contact_id=contact_id,
        items=[InvoiceSummary.of(invoice) for invoice in open_items],
        open_total=sum((open_amount(invoice) for invoice in open_items), ZERO),
        credit_balance=sum((credit_balance(invoice) for invoice in rows), ZERO),
    )
