"""Sending an issued invoice (or credit note) by e-mail, its PDF attached.

The SMTP hand-over cannot join a database transaction, so a send takes two:

1. the send is recorded `pending`, with the Message-ID it will carry;
2. the mail goes out;
3. the send is marked `sent`, the invoice's `sent_at` set and `invoice.sent` recorded,
   in one unit of work (`invoice_mails.mark_sent`).

A crash between 2 and 3 leaves the send pending; the next send request for the invoice
completes that same send, with the same Message-ID, instead of starting another. The
guarantee is at-least-once delivery, and a repeated mail is recognisably the same message
(mail clients and servers drop duplicates by Message-ID). `invoice.sent` is recorded once
per send.
"""

import asyncio
import logging
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from html import escape

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact, Invoice
from kring_billing.documents import invoice_mails
from kring_billing.documents.epc_qr import transfer_for
from kring_billing.documents.invoice_document import InvoiceDocument
from kring_billing.documents.invoice_documents import invoice_document, issued_invoice
from kring_billing.documents.invoice_pdf import SCAN_TO_PAY, money, render_invoice_pdf
from kring_billing.documents.models import InvoiceSend
from kring_billing.documents.schemas import InvoiceSendOut
from kring_billing.invoices.invoice_events import about_invoice
from kring_billing.invoices.invoices import lock_invoice
from kring_billing.settings import Settings
from kring_contracts.billing import InvoiceSent
from kring_platform.mail import is_temporary_failure, send_mail
from kring_platform.problems import BadGateway, InvalidInput, ServiceUnavailable
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork

log = logging.getLogger(__name__)


class MailUnavailable(ServiceUnavailable):
    """The mail server could not take the message now; the send stays pending."""

    title = "Mail server unavailable"


class MailRefused(BadGateway):
    """The mail server refused the message for good (e.g. an unknown mailbox)."""

    title = "Mail refused"


async def _recipient(session: AsyncSession, invoice: Invoice) -> str | None:
    contact = await session.get(Contact, invoice.contact_id)
    if contact is not None and contact.erased:
        return None
    return (contact.email if contact is not None else None) or invoice.billing_email


def _message_id(invoice: Invoice, send_id: uuid.UUID, settings: Settings) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "kring.invalid"
    return f"<invoice-{invoice.id}.{send_id}@{domain}>"


def _body_lines(document: InvoiceDocument, kind: str) -> list[str]:
    """The message's paragraphs; the payment request names the amount open, the account and
    the reference in text (the QR code may not show in every mail client)."""
    body = [
        f"Dear {document.buyer.name or 'member'},",
        f"Attached is {kind.lower()} {document.number} of {document.issue_date:%d/%m/%Y}.",
    ]
    if document.payment is not None and document.amount_due > 0:
        due = f" by {document.due_date:%d/%m/%Y}" if document.due_date else ""
        body.append(
            f"Please pay {money(document.amount_due, document.currency)}{due} to "
            f"{document.payment.iban}, quoting the reference {document.payment.reference}."
        )
    return body


def _html_body(paragraphs: list[str], closing: list[str], qr_cid: str | None) -> str:
    html = [f"<p>{escape(text)}</p>" for text in paragraphs]
    if qr_cid is not None:
        html.append(
            f'<p><img src="cid:{qr_cid[1:-1]}" alt="EPC QR code" width="180" height="180"><br>'
            f"{escape(SCAN_TO_PAY)}</p>"
        )
    html.append("<p>" + "<br>".join(escape(line) for line in closing) + "</p>")
    return "<!DOCTYPE html><html><body>" + "\n".join(html) + "</body></html>"


def invoice_message(
    document: InvoiceDocument, pdf: bytes, recipient: str, message_id: str, settings: Settings
) -> EmailMessage:
    """The e-mail: text and HTML (with the EPC QR code inline, `cid:`, when there is an
    amount to transfer), the PDF attached."""
    kind = "Credit note" if document.kind == "credit_note" else "Invoice"
    subject = f"{kind} {document.number} from {document.seller.name}"
    message = invoice_mails.new_message(settings, recipient, subject, message_id)
    paragraphs = _body_lines(document, kind)
    closing = ["Kind regards,", document.seller.name]
    transfer = transfer_for(document)
    text = paragraphs + ([f"{SCAN_TO_PAY}: see the QR code in this e-mail."] if transfer else [])
    message.set_content("\n\n".join([*text, "\n".join(closing)]))
    qr_cid = invoice_mails.qr_content_id(message_id, transfer)
    message.add_alternative(_html_body(paragraphs, closing, qr_cid), subtype="html")
    pdf_name = f"{kind.lower().replace(' ', '-')}-{document.number}.pdf"
    invoice_mails.add_qr_and_pdf(message, transfer, (qr_cid, "scan-to-pay.png"), (pdf, pdf_name))
    return message


async def send_invoice(
    units: UnitsOfWork, settings: Settings, invoice_id: uuid.UUID
) -> InvoiceSendOut:
    """E-mails the issued invoice to its contact; see the module for the guarantee."""
    async with units() as work:
        invoice = await lock_invoice(work, invoice_id)
        await issued_invoice(work.session, invoice_id)
        send, resumed = await _pending_send(work.session, invoice, settings)
        document = await invoice_document(work.session, invoice, settings)
        send_id, message_id, recipient = send.id, send.message_id, send.recipient

    pdf = await asyncio.to_thread(render_invoice_pdf, document)
    message = invoice_message(document, pdf, recipient, message_id, settings)
    try:
        await send_mail(settings, message)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        if is_temporary_failure(error):
            log.warning("invoice %s not sent yet: %s", invoice_id, error)
            raise MailUnavailable(
                "The mail server did not take the e-mail now; send again later."
            ) from error
        # A 5xx reply is final for this recipient: the send fails, a new one may follow.
        await _mark_failed(units, send_id, error)
        raise MailRefused(f"The mail server refused the e-mail to {recipient}: {error}") from error

    async with units() as work:
        sent_at = await _mark_sent(work, invoice_id, send_id, recipient)
    return InvoiceSendOut(
        send_id=send_id,
        invoice_id=invoice_id,
        message_id=message_id,
        recipient=recipient,
        sent_at=sent_at,
        resumed=resumed,
    )


async def _pending_send(
    session: AsyncSession, invoice: Invoice, settings: Settings
) -> tuple[InvoiceSend, bool]:
    """The invoice's pending send, resumed (True) or new (False): a retry after a crash
    sends the same message again, under its Message-ID."""
    send = await session.scalar(
        select(InvoiceSend).where(
            InvoiceSend.invoice_id == invoice.id, InvoiceSend.status == "pending"
        )
    )
    if send is not None:
        return send, True
    recipient = await _recipient(session, invoice)
    if not recipient:
        raise InvalidInput(
            f"Invoice {invoice.number} cannot be e-mailed: its contact has no e-mail "
            "address. Add one to the contact, or send the PDF by post.",
            reason="no_email_address",
        )
    send_id = uuid.uuid4()
    send = InvoiceSend(
        id=send_id,
        invoice_id=invoice.id,
        message_id=_message_id(invoice, send_id, settings),
        recipient=recipient,
        status="pending",
    )
    session.add(send)
    return send, False


async def _mark_failed(units: UnitsOfWork, send_id: uuid.UUID, error: Exception) -> None:
    async with units() as work:
        failed = await work.lock(InvoiceSend, InvoiceSend.id == send_id)
        if failed is not None and failed.status == "pending":
            failed.status = "failed"
            failed.error = str(error)[:1000]


async def _mark_sent(
    work: UnitOfWork, invoice_id: uuid.UUID, send_id: uuid.UUID, recipient: str
) -> datetime:
    """The send and the invoice marked sent, with `invoice.sent`; when the send was."""
    done, invoice = await invoice_mails.lock_mail(
        work, InvoiceSend, InvoiceSend.id == send_id, invoice_id
    )
    if done.status != "pending":  # a concurrent retry of the same send finished it
        return done.sent_at or datetime.now().astimezone()
    sent = about_invoice(InvoiceSent, invoice, channel="email", sent_to=recipient)
    sent_at = await invoice_mails.mark_sent(work, done, invoice, sent)
    invoice.sent_at = sent_at
    return sent_at
