"""Events of the billing service.

On `kring.billing.v1` (public): invoices and credit notes issued, sent, reminded, paid,
credited, payments registered, direct debits submitted and returned, mandates, letter
templates saved and deleted (subject and key: the template id). Subject: the invoice id
(sequence per invoice); key: the contact id, so a contact's billing history stays ordered
in one partition. Amounts are exact decimals (JSON strings), in the invoice's currency.

On `kring.billing.runs.v1` (billing's own work queue): the work items of contribution runs,
shared by the billing workers of one consumer group.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from kring_contracts.envelope import EventPayload
from kring_contracts.topics import BILLING_RUNS_TOPIC, BILLING_TOPIC


class BillingEvent(EventPayload):
    topic: ClassVar[str] = BILLING_TOPIC


InvoiceKind = Literal["invoice", "credit_note"]
InvoiceSource = Literal["manual", "contribution_run", "membership_change"]
InvoiceStatus = Literal["draft", "issued", "partly_paid", "paid", "credited"]


class InvoiceIssued(BillingEvent):
    """An invoice or a credit note got its number and can no longer be edited. A credit note
    names the invoice it corrects in `credits_invoice_id`."""

    event_type: ClassVar[str] = "kring.billing.invoice.issued"
    invoice_id: UUID
    contact_id: UUID
    kind: InvoiceKind
    number: str
    issue_date: date
    due_date: date
    currency: str
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    source: InvoiceSource
    credits_invoice_id: UUID | None = None
    membership_id: UUID | None = None
    period_start: date | None = None
    period_end: date | None = None
    run_id: UUID | None = None


class InvoiceSent(BillingEvent):
    """The invoice (or credit note) document went out to the contact."""

    event_type: ClassVar[str] = "kring.billing.invoice.sent"
    invoice_id: UUID
    contact_id: UUID
    number: str
    channel: Literal["email", "post"]
    sent_to: str | None = None


class InvoiceReminded(BillingEvent):
    """A payment reminder of `level` for the overdue invoice went out (by e-mail, the
    reminder letter attached), in the reminder run `run_id`."""

    event_type: ClassVar[str] = "kring.billing.invoice.reminded"
    invoice_id: UUID
    contact_id: UUID
    number: str
    level: int
    run_id: UUID
    reminded_on: date
    days_overdue: int
    open_amount: Decimal
    currency: str
    channel: Literal["email"]
    sent_to: str


PaymentMethod = Literal["bank_transfer", "direct_debit", "cash", "card", "other"]


class PaymentRegistered(BillingEvent):
    """A payment was booked on the invoice. `credit_balance` is what was paid beyond the
    amount due (an overpayment)."""

    event_type: ClassVar[str] = "kring.billing.payment.registered"
    invoice_id: UUID
    contact_id: UUID
    payment_id: UUID
    number: str
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    paid_amount: Decimal
    open_amount: Decimal
    credit_balance: Decimal
    status: InvoiceStatus


class InvoicePaid(BillingEvent):
    """Payments (and credit notes) now cover the whole invoice."""

    event_type: ClassVar[str] = "kring.billing.invoice.paid"
    invoice_id: UUID
    contact_id: UUID
    number: str
    paid_on: date
    total: Decimal
    paid_amount: Decimal
    credit_balance: Decimal


class InvoiceCredited(BillingEvent):
    """A credit note corrected the invoice (in part or in whole; `status` says which)."""

    event_type: ClassVar[str] = "kring.billing.invoice.credited"
    invoice_id: UUID
    contact_id: UUID
    number: str
    credit_note_id: UUID
    credit_note_number: str
    credited: Decimal
    credited_amount: Decimal
    open_amount: Decimal
    status: InvoiceStatus
    reason: str


class InvoiceSubmittedForCollection(BillingEvent):
    """The invoice went into a SEPA direct debit collection file (pain.008) for its open
    amount, under the contact's mandate; it is not collected again unless the bank returns
    the debit (`invoice.payment_returned`)."""

    event_type: ClassVar[str] = "kring.billing.invoice.submitted_for_collection"
    invoice_id: UUID
    contact_id: UUID
    number: str
    collection_id: UUID
    collection_date: date
    amount: Decimal
    mandate_reference: str
    sequence_type: Literal["FRST", "RCUR"]


class InvoicePaymentReturned(BillingEvent):
    """The bank returned the invoice's direct debit (an R-transaction with an ISO reason
    code such as AM04 or MD01). The payment the collection booked, if its credit had been
    booked, is reversed (`payment_id`, else None): the invoice is open again for `status`,
    `paid_amount` and `open_amount`, and may go into a later collection. `mandate_revoked`
    tells whether the reason ended the mandate (`mandate.revoked` follows on its subject)."""

    event_type: ClassVar[str] = "kring.billing.invoice.payment_returned"
    invoice_id: UUID
    contact_id: UUID
    number: str
    collection_id: UUID
    amount: Decimal
    reason_code: str | None
    returned_on: date
    payment_id: UUID | None
    paid_amount: Decimal
    open_amount: Decimal
    status: InvoiceStatus
    mandate_reference: str
    mandate_revoked: bool


# Mandates: subject the mandate id (sequence per mandate), key the contact id. The account
# itself stays in billing.


class MandateRegistered(BillingEvent):
    """A contact's signed SEPA direct debit mandate was registered."""

    event_type: ClassVar[str] = "kring.billing.mandate.registered"
    mandate_id: UUID
    contact_id: UUID
    reference: str
    signed_on: date


class MandateAccountChanged(BillingEvent):
    """The debtor account of an active mandate changed."""

    event_type: ClassVar[str] = "kring.billing.mandate.account_changed"
    mandate_id: UUID
    contact_id: UUID
    reference: str


class MandateRevoked(BillingEvent):
    """No collection uses the mandate after `revoked_on`."""

    event_type: ClassVar[str] = "kring.billing.mandate.revoked"
    mandate_id: UUID
    contact_id: UUID
    reference: str
    revoked_on: date


class MandateDeleted(BillingEvent):
    """A mandate registered by mistake (never used) was removed."""

    event_type: ClassVar[str] = "kring.billing.mandate.deleted"
    mandate_id: UUID
    contact_id: UUID
    reference: str


class LetterTemplateSaved(BillingEvent):
    """A letter template was made (`created`) or its text or name changed. Subject and key:
    the template id. The HTML and CSS are not carried: ask the letters API for them."""

    event_type: ClassVar[str] = "kring.billing.letter_template.saved"
    template_id: UUID
    name: str
    language: str
    created: bool
    shipped_key: str | None = None


class LetterTemplateDeleted(BillingEvent):
    """A letter template was deleted (one no reminder level uses). Subject and key: the
    template id."""

    event_type: ClassVar[str] = "kring.billing.letter_template.deleted"
    template_id: UUID
    name: str


class ContributionRunItemQueued(EventPayload):
    """A work item of a contribution run: invoice the memberships of chunk `chunk`.
    Subject: `<run id>/<chunk>`; key: the same, so items spread over the partitions."""

    topic: ClassVar[str] = BILLING_RUNS_TOPIC
    event_type: ClassVar[str] = "kring.billing.contribution_run.item_queued"
    run_id: UUID
    chunk: int
    size: int
