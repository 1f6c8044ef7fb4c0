"""An issued invoice or credit note as the document that is printed and sent."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice
from kring_billing.documents.invoice_document import (
    DocumentLine,
    InvoiceDocument,
    Party,
    PaymentInstructions,
)
from kring_billing.documents.payment_reference import payment_reference
from kring_billing.invoices.invoices import lines_of, open_amount
from kring_billing.organisation.organisation import OrganisationSettings
from kring_billing.organisation.preferences import reference_scheme
from kring_platform.problems import Conflict, NotFound


async def issued_invoice(session: AsyncSession, invoice_id: uuid.UUID) -> Invoice:
    """The invoice or credit note, refused while it is a draft (no number, may change)."""
    invoice = await session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id}.")
    if invoice.status == "draft" or invoice.number is None or invoice.issue_date is None:
        raise Conflict(
            "A draft has no document yet: issue it first.", invoice_status=invoice.status
        )
    return invoice


async def invoice_document(
    session: AsyncSession, invoice: Invoice, organisation: OrganisationSettings
) -> InvoiceDocument:
    assert invoice.number is not None and invoice.issue_date is not None
    lines = await lines_of(session, invoice.id)
    corrects = None
    if invoice.credits_invoice_id is not None:
        corrects = await session.scalar(
            select(Invoice.number).where(Invoice.id == invoice.credits_invoice_id)
        )
    due = open_amount(invoice)
    payment = None
    if invoice.kind == "invoice":
        payment = PaymentInstructions(
            iban=organisation.organisation_iban,
            bic=organisation.organisation_bic,
            reference=payment_reference(
                invoice.number, await reference_scheme(session, organisation)
            ),
        )
    return InvoiceDocument(
        kind="credit_note" if invoice.kind == "credit_note" else "invoice",
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date if invoice.kind == "invoice" else None,
        seller=Party(
            organisation.organisation_name,
            tuple(organisation.organisation_address),
            organisation.organisation_vat_number,
        ),
        buyer=Party(
            invoice.billing_name,
            # Billing keeps the address as one line, its parts joined by ", ".
            tuple((invoice.billing_address or "").split(", ")) if invoice.billing_address else (),
        ),
        lines=tuple(DocumentLine.model_validate(line, from_attributes=True) for line in lines),
        currency=invoice.currency,
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total=invoice.total,
        amount_paid=invoice.paid_amount,
        amount_due=due,
        payment=payment,
        corrects_number=corrects,
        notes=(invoice.note,) if invoice.note else (),
    )
