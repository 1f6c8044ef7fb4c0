"""Invoice documents: the PDF of an invoice or credit note, and its RF payment reference."""

from kring_billing.documents.invoice_document import (
    DocumentKind,
    DocumentLine,
    InvoiceDocument,
    Party,
    PaymentInstructions,
)
from kring_billing.documents.invoice_pdf import render_invoice_pdf
from kring_billing.documents.payment_reference import (
    InvalidReference,
    creditor_reference,
    parse_reference,
    reference_body,
)

__all__ = [
    "DocumentKind",
    "DocumentLine",
    "InvalidReference",
    "InvoiceDocument",
    "Party",
    "PaymentInstructions",
    "creditor_reference",
    "parse_reference",
    "reference_body",
    "render_invoice_pdf",
]
