"""Invoices and credit notes: drafts, issuing, payments, credit notes.

Each function that changes an invoice takes the caller's unit of work: it locks the invoice
(`lock_invoice`) and records its events there (`record_invoice_event`, which bumps the
version), so the change and its events commit together. A draft can be edited and deleted; an issued
document never changes except by payments and credit notes booked on it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact, Invoice, InvoiceLine, Payment
from kring_billing.invoices.contact_snapshot import billing_address, billing_name
from kring_billing.invoices.invoice_events import (
    invoice_balance,
    invoice_credited,
    invoice_issued,
    invoice_paid,
    payment_registered,
)
from kring_billing.invoices.numbering import invoice_number, take_numbers
from kring_billing.money import ZERO, line_amounts, settled_status
from kring_contracts import EventPayload
from kring_platform.outbox import OutboxEvent
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.unit_of_work import UnitOfWork

INVOICE_AGGREGATE = "invoice"


def invoice_event(invoice: Invoice, payload: EventPayload) -> OutboxEvent:
    """An event of the invoice at its current version, keyed by its contact."""
    return OutboxEvent(
        payload,
        aggregate_type=INVOICE_AGGREGATE,
        subject=invoice.id,
        sequence=invoice.version,
        key=invoice.contact_id,
    )


async def record_invoice_event(work: UnitOfWork, invoice: Invoice, payload: EventPayload) -> None:
    """Records the event of the locked invoice, bumping its version. Keyed by the contact,
    not the invoice: the one rule every invoice event shares."""
    await work.record(invoice, payload, aggregate_type=INVOICE_AGGREGATE, key=invoice.contact_id)


@dataclass(frozen=True)
class LineInput:
    """A line as given: the invoice line's columns of these names."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = ZERO


@dataclass(frozen=True)
class MembershipPeriodSource:
    """What a document made for a membership's period records about its origin: the
    invoice's columns of these names."""

    source: str
    membership_id: uuid.UUID
    period_start: date
    period_end: date | None
    run_id: uuid.UUID | None = None
    source_event_id: uuid.UUID | None = None


async def lock_invoice(work: UnitOfWork, invoice_id: uuid.UUID) -> Invoice:
    invoice = await work.lock(Invoice, Invoice.id == invoice_id)
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id}.")
    return invoice


async def lines_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[InvoiceLine]:
    rows = await session.scalars(
        select(InvoiceLine)
        .where(InvoiceLine.invoice_id == invoice_id)
        .order_by(InvoiceLine.position)
    )
    return list(rows)


async def _billable_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None or not contact.known or contact.deleted or contact.merged_into:
        raise NotFound(f"No contact {contact_id}.")
    if contact.erased:
        raise Conflict(f"Contact {contact_id} was erased.")
    return contact


def _set_lines(session: AsyncSession, invoice: Invoice, lines: Sequence[LineInput]) -> None:
    """Adds the lines and sets the invoice's totals (the old lines are deleted by the caller)."""
    total_net = total_vat = ZERO
    for position, line in enumerate(lines, start=1):
        amounts = line_amounts(line.quantity, line.unit_price, line.vat_rate)
        total_net += amounts.net
        total_vat += amounts.vat
        session.add(
            InvoiceLine(
                invoice_id=invoice.id,
                position=position,
                **asdict(line),
                net_amount=amounts.net,
                vat_amount=amounts.vat,
            )
        )
    invoice.total_net = total_net
    invoice.total_vat = total_vat
    invoice.total = total_net + total_vat


def _refuse_negative(lines: Sequence[LineInput]) -> None:
    net = sum((line_amounts(x.quantity, x.unit_price, x.vat_rate).net for x in lines), ZERO)
    if net < ZERO:
        raise InvalidInput("An invoice's total cannot be negative: correct with a credit note.")


async def create_draft(
    session: AsyncSession,
    *,
    contact_id: uuid.UUID,
    lines: Sequence[LineInput],
    due_date: date | None = None,
    note: str = "",
    currency: str = "EUR",
) -> Invoice:
    await _billable_contact(session, contact_id)
    _refuse_negative(lines)
    invoice = await _add_draft(
        session,
        lines,
        contact_id=contact_id,
        due_date=due_date,
        note=note,
        currency=currency,
        source="manual",
    )
    await session.flush()
    return invoice


async def _add_draft(
    session: AsyncSession, lines: Sequence[LineInput], **columns: object
) -> Invoice:
    """A new draft invoice with these columns and lines (a number comes when it is issued)."""
    invoice = Invoice(id=uuid.uuid4(), kind="invoice", status="draft", version=0, **columns)
    session.add(invoice)
    await session.flush()
    _set_lines(session, invoice, lines)
    return invoice


def _draft_only(invoice: Invoice, action: str) -> None:
    if invoice.status != "draft":
        raise Conflict(
            f"Invoice {invoice.number} is {invoice.status}: only a draft can be {action}; "
            "correct an issued invoice with a credit note.",
            invoice_status=invoice.status,
        )


async def update_draft(
    work: UnitOfWork,
    invoice_id: uuid.UUID,
    *,
    lines: Sequence[LineInput] | None = None,
    due_date: date | None = None,
    clear_due_date: bool = False,
    note: str | None = None,
) -> Invoice:
    invoice = await lock_invoice(work, invoice_id)
    _draft_only(invoice, "edited")
    if lines is not None:
        _refuse_negative(lines)
        await work.session.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
        _set_lines(work.session, invoice, lines)
    if due_date is not None or clear_due_date:
        invoice.due_date = due_date
    if note is not None:
        invoice.note = note
    # A draft has no events, but its version still tells edits apart (the ETag): the
    # first event's sequence is then simply higher than 1.
    invoice.version += 1
    await work.session.flush()
    return invoice


async def delete_draft(work: UnitOfWork, invoice_id: uuid.UUID) -> None:
    invoice = await lock_invoice(work, invoice_id)
    _draft_only(invoice, "deleted")
    await work.session.delete(invoice)
    await work.session.flush()


async def _number(session: AsyncSession, invoice: Invoice, issue_date: date) -> None:
    """Numbers and issues the document. The last step before commit: the counter row stays
    locked until then. (Number and status change together, after the statement that takes
    the number has flushed the rest: the table requires a number exactly when issued.)"""
    sequence_number = await take_numbers(session, issue_date.year, 1)
    invoice.status = "issued"
    invoice.year = issue_date.year
    invoice.sequence_number = sequence_number
    invoice.number = invoice_number(issue_date.year, sequence_number)


async def issue_invoice(
    work: UnitOfWork,
    invoice_id: uuid.UUID,
    *,
    today: date,
    payment_term_days: int,
) -> Invoice:
    """Gives the draft its number and makes it final; records `invoice.issued`."""
    invoice = await lock_invoice(work, invoice_id)
    _draft_only(invoice, "issued")
    if not await lines_of(work.session, invoice.id):
        raise InvalidInput("An invoice needs at least one line to be issued.")
    if invoice.due_date is not None and invoice.due_date < today:
        raise InvalidInput(f"The due date {invoice.due_date} lies before the issue date {today}.")
    contact = await _billable_contact(work.session, invoice.contact_id)
    invoice.billing_name = billing_name(contact)
    invoice.billing_address = billing_address(contact)
    invoice.billing_email = contact.email
    invoice.issue_date = today
    invoice.due_date = invoice.due_date or today + timedelta(days=payment_term_days)
    await _number(work.session, invoice, today)
    await record_invoice_event(work, invoice, invoice_issued(invoice))
    return invoice


def settle(invoice: Invoice) -> None:
    """The status its paid and credited amounts give the invoice."""
    invoice.status = settled_status(invoice.total, invoice.paid_amount, invoice.credited_amount)


async def register_payment(
    work: UnitOfWork,
    invoice_id: uuid.UUID,
    *,
    amount: Decimal,
    paid_on: date,
    method: str,
    reference: str = "",
) -> Payment:
    """Books a payment; more than is due leaves a credit balance. Records
    `payment.registered`, and `invoice.paid` when the invoice became paid by it."""
    if amount <= ZERO:
        raise InvalidInput("A payment's amount must be positive.")
    invoice = await lock_invoice(work, invoice_id)
    if invoice.kind != "invoice":
        raise Conflict("Payments are booked on invoices, not on credit notes.")
    if invoice.status == "draft":
        raise Conflict("A draft cannot be paid: issue it first.", invoice_status="draft")
    if invoice.status == "credited":
        raise Conflict(f"Invoice {invoice.number} was credited in full: nothing is due.")
    was_paid = invoice.status == "paid"
    payment = Payment(
        id=uuid.uuid4(),
        invoice_id=invoice.id,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
    )
    work.session.add(payment)
    invoice.paid_amount += amount
    settle(invoice)
    await work.session.flush()
    await record_invoice_event(work, invoice, payment_registered(invoice, payment))
    if invoice.status == "paid" and not was_paid:
        await record_invoice_event(work, invoice, invoice_paid(invoice, paid_on))
    return payment


async def credit_invoice(
    work: UnitOfWork,
    invoice_id: uuid.UUID,
    *,
    today: date,
    reason: str,
    lines: Sequence[LineInput] | None = None,
    origin: MembershipPeriodSource | None = None,
) -> Invoice:
    """Issues a credit note for the invoice: its `lines`, or all of the invoice's lines.
    Records `invoice.issued` (the credit note) and `invoice.credited` (the invoice)."""
    session = work.session
    invoice = await lock_invoice(work, invoice_id)
    if invoice.kind != "invoice":
        raise Conflict("A credit note cannot be credited.")
    if invoice.status == "draft":
        raise Conflict("A draft is edited or deleted, not credited.", invoice_status="draft")
    if lines is None:
        lines = [
            LineInput(x.description, x.quantity, x.unit_price, x.vat_rate)
            for x in await lines_of(session, invoice.id)
        ]
    credit_note = _credit_note_draft(invoice, reason, origin)
    session.add(credit_note)
    await session.flush()
    _set_lines(session, credit_note, lines)
    if credit_note.total <= ZERO:
        raise InvalidInput("A credit note must credit a positive amount.")
    creditable = invoice.total - invoice.credited_amount
    if credit_note.total > creditable:
        raise Conflict(
            f"Invoice {invoice.number} has {creditable} left to credit; "
            f"the credit note asks {credit_note.total}."
        )
    credit_note.issue_date = today
    credit_note.due_date = today
    invoice.credited_amount += credit_note.total
    settle(invoice)
    # The counter last: the invoice row is locked first (see db_models).
    await _number(session, credit_note, today)
    await session.flush()
    await record_invoice_event(work, credit_note, invoice_issued(credit_note))
    await record_invoice_event(work, invoice, invoice_credited(invoice, credit_note, reason))
    return credit_note


def _credit_note_draft(
    invoice: Invoice, reason: str, origin: MembershipPeriodSource | None
) -> Invoice:
    """A draft credit note for `invoice`, to the same addressee (manual unless `origin`)."""
    return Invoice(
        id=uuid.uuid4(),
        kind="credit_note",
        status="draft",
        contact_id=invoice.contact_id,
        currency=invoice.currency,
        note=reason,
        credits_invoice_id=invoice.id,
        billing_name=invoice.billing_name,
        billing_address=invoice.billing_address,
        billing_email=invoice.billing_email,
        source=origin.source if origin else "manual",
        membership_id=origin.membership_id if origin else None,
        period_start=origin.period_start if origin else None,
        period_end=origin.period_end if origin else None,
        source_event_id=origin.source_event_id if origin else None,
        version=0,
    )


def _settles(invoice: Invoice) -> bool:
    """Only an issued invoice (no draft, no credit note) has an open amount or a credit
    balance."""
    return invoice.status != "draft" and invoice.kind == "invoice"


def open_amount(invoice: Invoice) -> Decimal:
    return invoice_balance(invoice).open_amount if _settles(invoice) else ZERO


def credit_balance(invoice: Invoice) -> Decimal:
    return invoice_balance(invoice).credit_balance if _settles(invoice) else ZERO


async def issue_for_membership(
    work: UnitOfWork,
    *,
    contact_id: uuid.UUID,
    lines: Sequence[LineInput],
    today: date,
    due_date: date,
    origin: MembershipPeriodSource,
    currency: str = "EUR",
) -> Invoice:
    """Makes and issues an invoice in one go (membership changes bill without a draft).
    The addressee is copied from the read model as it is now."""
    session = work.session
    contact = await session.get(Contact, contact_id)
    invoice = await _add_draft(
        session,
        lines,
        contact_id=contact_id,
        currency=currency,
        billing_name=billing_name(contact) if contact else "",
        billing_address=billing_address(contact) if contact else None,
        billing_email=contact.email if contact else None,
        **asdict(origin),
        issue_date=today,
        due_date=due_date,
    )
    await _number(session, invoice, today)
    await session.flush()
    await record_invoice_event(work, invoice, invoice_issued(invoice))
    return invoice
