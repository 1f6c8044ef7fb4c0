"""The invoices' request and response bodies (apart from the tables, see db_models)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from kring_billing.db_models import Invoice, InvoiceLine, Payment
from kring_billing.documents.invoice_document import DocumentLine
from kring_billing.invoices.invoices import LineInput, credit_balance, open_amount
from kring_billing.schemas import Body, Day
from kring_contracts.billing import InvoiceKind, InvoiceSource, InvoiceStatus, PaymentMethod
from kring_platform.schemas import model_of
from kring_platform.validation import LongText, ShortText

Amount = Annotated[Decimal, Field(max_digits=12, decimal_places=2, allow_inf_nan=False)]
PositiveAmount = Annotated[
    Decimal, Field(gt=0, max_digits=12, decimal_places=2, allow_inf_nan=False)
]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3, allow_inf_nan=False)]
VatRate = Annotated[
    Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class LineIn(Body):
    description: ShortText
    quantity: Quantity = Decimal(1)
    unit_price: Amount
    vat_rate: VatRate = Decimal(0)

    def to_input(self) -> LineInput:
        return LineInput(self.description, self.quantity, self.unit_price, self.vat_rate)


Lines = Annotated[list[LineIn], Field(min_length=1, max_length=200)]


class InvoiceCreate(Body):
    contact_id: uuid.UUID
    lines: Lines
    due_date: Day | None = None
    note: LongText = ""
    currency: Currency = "EUR"


class InvoiceChange(Body):
    """A draft's new lines, due date or note; what is left out stays."""

    lines: Lines | None = None
    due_date: Day | None = None
    note: LongText | None = None


class PaymentCreate(Body):
    amount: PositiveAmount
    paid_on: Day
    method: PaymentMethod = "bank_transfer"
    reference: Annotated[str, Field(max_length=200)] = ""


class CreditNoteCreate(Body):
    """Credits the given lines, or the whole invoice when `lines` is left out."""

    reason: ShortText
    lines: Lines | None = None


class LineOut(DocumentLine):
    @classmethod
    def of(cls, line: InvoiceLine) -> "LineOut":
        return cls.model_validate(line, from_attributes=True)


class PaymentOut(BaseModel):
    id: uuid.UUID
    amount: Decimal
    paid_on: date
    method: str
    reference: str
    # Set when the payment was taken back (a returned direct debit): it no longer counts.
    reversed_on: date | None = None
    reversal_reason: str | None = None

    @classmethod
    def of(cls, payment: Payment) -> "PaymentOut":
        return cls.model_validate(payment, from_attributes=True)


def _balance(invoice: Invoice) -> dict[str, object]:
    """The invoice bodies' amounts that are no column of the invoice."""
    return {"open_amount": open_amount(invoice), "credit_balance": credit_balance(invoice)}


class InvoiceSummary(BaseModel):
    id: uuid.UUID
    kind: InvoiceKind
    status: InvoiceStatus
    contact_id: uuid.UUID
    number: str | None
    issue_date: date | None
    due_date: date | None
    currency: str
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    paid_amount: Decimal
    credited_amount: Decimal
    open_amount: Decimal
    credit_balance: Decimal
    billing_name: str
    source: InvoiceSource
    credits_invoice_id: uuid.UUID | None
    membership_id: uuid.UUID | None
    period_start: date | None
    period_end: date | None
    run_id: uuid.UUID | None
    sent_at: datetime | None
    submitted_for_collection_at: datetime | None

    @classmethod
    def of(cls, invoice: Invoice) -> "InvoiceSummary":
        return model_of(cls, invoice, **_balance(invoice))


class InvoiceOut(InvoiceSummary):
    billing_address: str | None
    billing_email: str | None
    note: str
    lines: list[LineOut]
    payments: list[PaymentOut]
    credit_note_ids: list[uuid.UUID]
    version: int = Field(
        description="Bumped by every change, a draft's edits too; the ETag of the invoice"
    )

    @classmethod
    def full(
        cls,
        invoice: Invoice,
        lines: list[InvoiceLine],
        payments: list[Payment],
        credit_note_ids: list[uuid.UUID],
    ) -> "InvoiceOut":
        return model_of(
            cls,
            invoice,
            **_balance(invoice),
            lines=[LineOut.of(line) for line in lines],
            payments=[PaymentOut.of(payment) for payment in payments],
            credit_note_ids=credit_note_ids,
        )


class OpenItems(BaseModel):
    """A contact's issued invoices with something still due, and any credit balance."""

    contact_id: uuid.UUID
    items: list[InvoiceSummary]
    open_total: Decimal
    credit_balance: Decimal
