"""The `kring.billing.v1` payloads of an invoice's changes, built from its row."""

from datetime import date
from decimal import Decimal
from typing import cast
from uuid import UUID

from kring_billing.db_models import Invoice, Payment
from kring_billing.money import Balance, balance
from kring_contracts.billing import (
    InvoiceCredited,
    InvoiceIssued,
    InvoiceKind,
    InvoicePaid,
    InvoicePaymentReturned,
    InvoiceSource,
    InvoiceStatus,
    PaymentMethod,
    PaymentRegistered,
)


def invoice_balance(invoice: Invoice) -> Balance:
    """What is open or paid too much of the invoice after its payments and credit notes."""
    return balance(invoice.total, invoice.paid_amount, invoice.credited_amount)


def _issued_fields(invoice: Invoice) -> tuple[str, date, date]:
    assert invoice.number is not None and invoice.issue_date is not None
    assert invoice.due_date is not None
    return invoice.number, invoice.issue_date, invoice.due_date


def invoice_issued(invoice: Invoice) -> InvoiceIssued:
    number, issue_date, due_date = _issued_fields(invoice)
    return InvoiceIssued(
        invoice_id=invoice.id,
        contact_id=invoice.contact_id,
        kind=cast(InvoiceKind, invoice.kind),
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        currency=invoice.currency,
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total=invoice.total,
        source=cast(InvoiceSource, invoice.source),
        credits_invoice_id=invoice.credits_invoice_id,
        membership_id=invoice.membership_id,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        run_id=invoice.run_id,
    )


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
    number, _, _ = _issued_fields(invoice)
    settled = invoice_balance(invoice)
    return PaymentRegistered(
        invoice_id=invoice.id,
        contact_id=invoice.contact_id,
        payment_id=payment.id,
        number=number,
        amount=payment.amount,
        paid_on=payment.paid_on,
        method=cast(PaymentMethod, payment.method),
        paid_amount=invoice.paid_amount,
        open_amount=settled.open_amount,
        credit_balance=settled.credit_balance,
        status=cast(InvoiceStatus, invoice.status),
    )


def invoice_paid(invoice: Invoice, paid_on: date) -> InvoicePaid:
    number, _, _ = _issued_fields(invoice)
    settled = invoice_balance(invoice)
    return InvoicePaid(
        invoice_id=invoice.id,
        contact_id=invoice.contact_id,
        number=number,
        paid_on=paid_on,
        total=invoice.total,
        paid_amount=invoice.paid_amount,
        credit_balance=settled.credit_balance,
    )


def invoice_credited(invoice: Invoice, credit_note: Invoice, reason: str) -> InvoiceCredited:
    number, _, _ = _issued_fields(invoice)
    credit_number, _, _ = _issued_fields(credit_note)
    settled = invoice_balance(invoice)
    return InvoiceCredited(
        invoice_id=invoice.id,
        contact_id=invoice.contact_id,
        number=number,
        credit_note_id=credit_note.id,
        credit_note_number=credit_number,
        credited=credit_note.total,
        credited_amount=invoice.credited_amount,
        open_amount=settled.open_amount,
        status=cast(InvoiceStatus, invoice.status),
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
    number, _, _ = _issued_fields(invoice)
    settled = invoice_balance(invoice)
    return InvoicePaymentReturned(
        invoice_id=invoice.id,
        contact_id=invoice.contact_id,
        number=number,
        collection_id=collection_id,
        amount=amount,
        reason_code=reason_code,
        returned_on=returned_on,
        payment_id=payment.id if payment else None,
        paid_amount=invoice.paid_amount,
        open_amount=settled.open_amount,
        status=cast(InvoiceStatus, invoice.status),
        mandate_reference=mandate_reference,
        mandate_revoked=mandate_revoked,
    )
