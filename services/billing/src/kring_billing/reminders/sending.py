"""Sending the reminders a run planned: one at a time, each in two transactions around the
SMTP hand-over (as invoice e-mails are sent, `documents/invoice_sending.py`):

1. lock the invoice (billing's lock order: invoice first), then the reminder; if the
   invoice was paid, credited or went into a direct debit collection since the run was
   planned, the reminder is `cancelled` (reason: why) and nothing goes out; otherwise it is
   marked `pending` with its recipient and Message-ID — the check and the record commit
   together, so a payment booked before it stops the reminder;
2. the letter (the level's template, rendered by the letters engine) is made and mailed
   with it attached, and the EPC QR code inline when there is an amount to transfer;
3. the reminder is marked `sent` and `invoice.reminded` recorded, in one unit of work
   (`invoice_mails.mark_sent`).

A mail server that is down or refuses marks the reminder `failed` (the reason kept), which
frees its level: the next run plans it again. A reminder left `pending` by a crash between
2 and 3 stays so (the mail may have left); it still holds its level.
"""

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr
from html import escape

import aiosmtplib
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact, Invoice
from kring_billing.documents import invoice_mails
from kring_billing.documents.epc_qr import CreditTransfer, transfer_for
from kring_billing.documents.invoice_documents import invoice_document
from kring_billing.invoices.invoice_events import about_invoice
from kring_billing.invoices.invoices import open_amount
from kring_billing.letters import LetterTemplate, MergeContext, Period, merge_contexts, render_pdf
from kring_billing.letters.engine import day, money
from kring_billing.letters.models import LetterTemplateRow
from kring_billing.reminders.levels import fill, levels_in_force
from kring_billing.reminders.models import InvoiceReminder
from kring_billing.reminders.planning import OPEN_STATUSES
from kring_billing.settings import Settings
from kring_contracts.billing import InvoiceReminded
from kring_platform.db import Database
from kring_platform.mail import send_mail
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork

log = logging.getLogger(__name__)

_CAPTION = {"nl": "Scan om te betalen", "en": "Scan to pay"}
_ATTACHMENT = {"nl": "herinnering", "en": "reminder"}


@dataclass(frozen=True)
class ReminderMail:
    """What step 1 gathered for the mail, so steps 2 and 3 need no further reads."""

    reminder_id: uuid.UUID
    invoice_id: uuid.UUID
    number: str
    recipient: str
    message_id: str
    subject: str
    body: str
    letter: LetterTemplate
    context: MergeContext
    transfer: CreditTransfer | None


class NotSendable(Exception):
    """The reminder cannot go out; the message is kept as its reason."""


def _why_not_due(invoice: Invoice) -> str | None:
    if invoice.status not in OPEN_STATUSES or open_amount(invoice) <= 0:
        return invoice.status
    if invoice.submitted_for_collection_at is not None:
        return "submitted_for_collection"
    return None


async def _recipient(session: AsyncSession, invoice: Invoice) -> str:
    contact = await session.get(Contact, invoice.contact_id)
    address = None
    if contact is None or not contact.erased:
        address = (contact.email if contact is not None else None) or invoice.billing_email
    if not address:
        raise NotSendable("no e-mail address")
    return address


def _message_id(reminder: InvoiceReminder, settings: Settings) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "kring.invalid"
    return f"<reminder-{reminder.invoice_id}.{reminder.level}.{reminder.id}@{domain}>"


async def _letter_context(
    session: AsyncSession, invoice: Invoice, today: date, settings: Settings
) -> MergeContext:
    year = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    contexts = await merge_contexts(session, [invoice.contact_id], year, today, settings)
    if invoice.contact_id not in contexts:
        raise NotSendable("the contact is unknown to billing, deleted or erased")
    return contexts[invoice.contact_id]


async def _prepare(
    session: AsyncSession,
    reminder: InvoiceReminder,
    invoice: Invoice,
    settings: Settings,
    today: date,
) -> ReminderMail:
    levels, _ = await levels_in_force(session, settings.organisation_language)
    level = next((found for found in levels if found.level == reminder.level), None)
    if level is None:
        raise NotSendable(f"level {reminder.level} no longer exists")
    template = await session.get(LetterTemplateRow, level.template_id)
    assert template is not None  # the foreign key keeps it
    recipient = await _recipient(session, invoice)
    context = await _letter_context(session, invoice, today, settings)
    document = await invoice_document(session, invoice, settings)
    assert document.payment is not None and document.due_date is not None
    values = {
        "name": invoice.billing_name or "member",
        "number": document.number,
        "issue_date": day(document.issue_date),
        "due_date": day(document.due_date),
        "days_overdue": str(reminder.days_overdue),
        "open_amount": money(document.amount_due, document.currency),
        "iban": document.payment.iban,
        "reference": document.payment.reference,
        "organisation": settings.organisation_name,
        "level": str(reminder.level),
    }
    return ReminderMail(
        reminder_id=reminder.id,
        invoice_id=invoice.id,
        number=document.number,
        recipient=recipient,
        message_id=_message_id(reminder, settings),
        subject=fill(level.email_subject, values),
        body=fill(level.email_body, values),
        letter=LetterTemplate(template.html, template.css),
        context=context,
        transfer=transfer_for(document),
    )


def _html(body: str, qr_cid: str | None, caption: str) -> str:
    paragraphs = [
        "<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>"
        for block in body.split("\n\n")
    ]
    if qr_cid is not None:
        paragraphs.append(
            f'<p><img src="cid:{qr_cid[1:-1]}" alt="EPC QR code" width="180" height="180">'
            f"<br>{escape(caption)}</p>"
        )
    return "<!DOCTYPE html><html><body>" + "\n".join(paragraphs) + "</body></html>"


def reminder_message(mail: ReminderMail, pdf: bytes, settings: Settings) -> EmailMessage:
    """Text and HTML (the EPC QR code inline when there is an amount to transfer), the
    reminder letter attached as PDF."""
    language = settings.organisation_language
    message = invoice_mails.new_message(settings, mail.recipient, mail.subject, mail.message_id)
    message.set_content(mail.body)
    qr_cid = invoice_mails.qr_content_id(mail.message_id, mail.transfer)
    message.add_alternative(_html(mail.body, qr_cid, _CAPTION[language]), subtype="html")
    pdf_name = f"{_ATTACHMENT[language]}-{mail.number}.pdf"
    invoice_mails.add_qr_and_pdf(message, mail.transfer, (qr_cid, "qr.png"), (pdf, pdf_name))
    return message


async def _locked(
    work: UnitOfWork, reminder_id: uuid.UUID
) -> tuple[InvoiceReminder, Invoice] | None:
    """The reminder and its invoice, locked invoice first (billing's lock order)."""
    invoice_id = await work.session.scalar(
        select(InvoiceReminder.invoice_id).where(InvoiceReminder.id == reminder_id)
    )
    if invoice_id is None:
        return None
    return await invoice_mails.lock_mail(
        work, InvoiceReminder, InvoiceReminder.id == reminder_id, invoice_id
    )


async def _claim(
    units: UnitsOfWork, settings: Settings, reminder_id: uuid.UUID, today: date
) -> ReminderMail | None:
    """Step 1: checks the invoice is still due and marks the reminder pending, or cancels
    (paid, credited, collected) or fails it (no address); None when nothing goes out."""
    async with units() as work:
        locked = await _locked(work, reminder_id)
        if locked is None or locked[0].status != "planned":
            return None
        reminder, invoice = locked
        why_not = _why_not_due(invoice)
        if why_not is not None:
            reminder.status, reminder.reason = "cancelled", why_not
            return None
        try:
            mail = await _prepare(work.session, reminder, invoice, settings, today)
        except NotSendable as refusal:
            reminder.status, reminder.reason = "failed", str(refusal)
            return None
        reminder.status = "pending"
        reminder.sent_to, reminder.message_id = mail.recipient, mail.message_id
        return mail


async def mark_failed(database: Database, reminder_id: uuid.UUID, reason: str) -> None:
    async with database.transaction() as session:
        await session.execute(
            update(InvoiceReminder)
            .where(
                InvoiceReminder.id == reminder_id,
                InvoiceReminder.status.in_(("planned", "pending")),
            )
            .values(status="failed", reason=reason[:1000])
        )


async def _mark_sent(units: UnitsOfWork, mail: ReminderMail, today: date) -> None:
    """Step 3: sent, and `invoice.reminded` at the invoice's next version."""
    async with units() as work:
        locked = await _locked(work, mail.reminder_id)
        assert locked is not None
        reminder, invoice = locked
        if reminder.status != "pending":
            return
        reminded = about_invoice(
            InvoiceReminded,
            invoice,
            level=reminder.level,
            run_id=reminder.run_id,  # not the invoice's contribution run
            reminded_on=today,
            days_overdue=reminder.days_overdue,
            open_amount=open_amount(invoice),
            channel="email",
            sent_to=mail.recipient,
        )
        await invoice_mails.mark_sent(work, reminder, invoice, reminded)


async def send_reminder(
    units: UnitsOfWork, settings: Settings, reminder_id: uuid.UUID, today: date
) -> str:
    """Sends one planned reminder (see the module); answers its status afterwards."""
    mail = await _claim(units, settings, reminder_id, today)
    if mail is None:
        return "skipped"
    try:
        pdf = await asyncio.to_thread(render_pdf, mail.letter, mail.context)
        await send_mail(settings, reminder_message(mail, pdf, settings))
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        log.warning("reminder %s for invoice %s not sent: %s", reminder_id, mail.number, error)
        await mark_failed(units.database, reminder_id, f"mail not sent: {error}")
        return "failed"
    await _mark_sent(units, mail, today)
    return "sent"
