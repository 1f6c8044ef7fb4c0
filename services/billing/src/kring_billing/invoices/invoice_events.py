"""The `kring.billing.v1` payloads of an invoice's changes, built from its row."""

from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from kring_billing.db_models import Invoice, Payment
from kring_billing.money import Balance, balance
from kring_contracts.billing import (
    BillingEvent,
    InvoiceCredited,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentReturned,
    PaymentRegistered,
)
from kring_platform.schemas import model_of

Event = TypeVar("Event", bound=BillingEvent)


def invoice_balance(invoice: Invoice) -> Balance:
    """What is open or paid too much of the invoice after its payments and credit notes."""
    return balance(invoice.total, invoice.paid_amount, invoice.credited_amount)


def about_invoice(event: type[Event], invoice: Invoice, **given: object) -> Event:
    """`event` about the issued invoice: the fields `given`, the invoice's id, and each other
    field the invoice's column of its name (contact, number, amounts, status ...)."""
    return model_of(event, invoice, invoice_id=invoice.id, **given)


def invoice_issued(invoice: Invoice) -> InvoiceIssued:
    return about_invoice(InvoiceIssued, invoice)


# `invoice_issued` in SQL, over an invoices row aliased `i`: the same JSON as
# `invoice_issued(invoice).model_dump(mode="json")` (amounts as strings, dates ISO), for a
# whole chunk's events in one statement (`UnitOfWork.record_from_query`).
INVOICE_ISSUED_DATA_SQL = """jsonb_build_object(
    'invoice_id', i.id, 'contact_id', i.contact_id, 'kind', i.kind, 'number', i.number,
    'issue_date', i.issue_date, 'due_date', i.due_date, 'currency', i.currency,
    'total_net', i.total_net::text, 'total_vat', i.total_vat::text, 'total', i.total::text,
    'source', i.source, 'credits_invoice_id', i.credits_invoice_id,
    'membership_id', i.membership_id, 'period_start', i.period_start,
    'period_end', i.period_end, 'run_id', i.run_id
)"""


def payment_registered(invoice: Invoice, payment: Payment) -> PaymentRegistered:
    settled = invoice_balance(invoice)
    return about_invoice(
        PaymentRegistered,
        invoice,
        payment_id=payment.id,
        amount=payment.amount,
        paid_on=payment.paid_on,
        method=payment.method,
        open_amount=settled.open_amount,
        credit_balance=settled.credit_balance,
    )


def invoice_paid(invoice: Invoice, paid_on: date) -> InvoicePaid:
    credit_balance = invoice_balance(invoice).credit_balance
    return about_invoice(InvoicePaid, invoice, paid_on=paid_on, credit_balance=credit_balance)


def invoice_credited(invoice: Invoice, credit_note: Invoice, reason: str) -> InvoiceCredited:
    return about_invoice(
        InvoiceCredited,
        invoice,
        credit_note_id=credit_note.id,
        credit_note_number=credit_note.number,
        credited=credit_note.total,
        open_amount=invoice_balance(invoice).open_amount,
        reason=reason,
    )


def payment_returned(
    invoice: Invoice,
    *,
    collection_id: UUID,
    amount: Decimal,
    reason_code: str | None,
    returned_on: date,
    payment: Payment | None,
    mandate_reference: str,
    mandate_revoked: bool,
) -> InvoicePaymentReturned:
    return about_invoice(
        InvoicePaymentReturned,
        invoice,
        collection_id=collection_id,
        amount=amount,
        reason_code=reason_code,
        returned_on=returned_on,
        payment_id=payment.id if payment else None,
        open_amount=invoice_balance(invoice).open_amount,
        mandate_reference=mandate_reference,
        mandate_revoked=mandate_revoked,
    )
