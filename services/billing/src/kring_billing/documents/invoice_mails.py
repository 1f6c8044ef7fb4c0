"""What an invoice's e-mails share (the invoice itself, `documents/invoice_sending.py`, and
its payment reminders, `reminders/sending.py`): each is a row of its own (`InvoiceSend`,
`InvoiceReminder`), `pending` before the SMTP hand-over and marked sent after it, together
with the invoice's event, in one unit of work. Both messages carry the same headers, the
EPC QR code inline in their HTML part when there is an amount to transfer, and a PDF."""

import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement

from kring_billing.db_models import Invoice
from kring_billing.documents.epc_qr import CreditTransfer, epc_qr_png
from kring_billing.invoices.invoices import lock_invoice, record_invoice_event
from kring_billing.settings import Settings
from kring_contracts import EventPayload
from kring_platform.mail import addressed_message
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


def new_message(settings: Settings, recipient: str, subject: str, message_id: str) -> EmailMessage:
    """An e-mail with its headers, dated now, the body still to come."""
    message = addressed_message(settings, recipient, subject)
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(datetime.now().astimezone())
    return message


def qr_content_id(message_id: str, transfer: CreditTransfer | None) -> str | None:
    """The inline QR code's Content-ID, None without a transfer."""
    # A Content-ID per message, from its Message-ID: the same send gives the same message.
    return f"<qr.{message_id.strip('<>')}>" if transfer else None


def add_qr_and_pdf(
    message: EmailMessage,
    transfer: CreditTransfer | None,
    qr: tuple[str | None, str],
    pdf: tuple[bytes, str],
) -> None:
    """After the HTML part: the EPC QR code inline in it (`qr` is its Content-ID and file
    name; none without a transfer), and the PDF (its bytes and file name) attached."""
    qr_cid, qr_filename = qr
    if transfer is not None and qr_cid is not None:
        html_part = message.get_body(("html",))
        assert html_part is not None
        html_part.add_related(
            epc_qr_png(transfer),
            maintype="image",
            subtype="png",
            cid=qr_cid,
            filename=qr_filename,
            disposition="inline",
        )
    content, filename = pdf
    message.add_attachment(content, maintype="application", subtype="pdf", filename=filename)
