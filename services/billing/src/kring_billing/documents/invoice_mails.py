"""What an invoice's e-mails share (the invoice itself, `documents/invoice_sending.py`, and
its payment reminders, `reminders/sending.py`): each is a row of its own (`InvoiceSend`,
`InvoiceReminder`), `pending` before the SMTP hand-over and marked sent after it, together
with the invoice's event, in one unit of work."""

import uuid
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement

from kring_billing.db_models import Invoice
from kring_billing.invoices.invoices import lock_invoice, record_invoice_event
from kring_contracts import EventPayload
from kring_platform.unit_of_work import UnitOfWork


class MailRow(Protocol):
    """The row of one e-mail about an invoice."""

    status: str
    sent_at: datetime | None


M = TypeVar("M", bound=MailRow)


async def lock_mail(
    work: UnitOfWork, model: type[M], where: ColumnElement[bool], invoice_id: uuid.UUID
) -> tuple[M, Invoice]:
    """The mail's row and its invoice, locked invoice first (billing's lock order)."""
    invoice = await lock_invoice(work, invoice_id)
    mail = await work.lock(model, where)
    assert mail is not None  # it belongs to the invoice, which exists
    return mail, invoice


async def mark_sent(
    work: UnitOfWork, mail: MailRow, invoice: Invoice, payload: EventPayload
) -> datetime:
    """Marks the locked, pending mail sent now and records the invoice's event about it (at
    the invoice's next version); answers when."""
    now = datetime.now().astimezone()
    mail.status, mail.sent_at = "sent", now
    await record_invoice_event(work, invoice, payload)
    return now
