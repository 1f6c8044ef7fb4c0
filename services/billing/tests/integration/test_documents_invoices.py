"""Invoice documents over the API: the PDF of issued invoices and credit notes, and sending
it by e-mail to the SMTP sink of the test stack (at-least-once, stable Message-ID)."""

import uuid
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_billing.documents import creditor_reference, invoice_sending
from kring_billing.documents.invoice_sending import send_invoice
from kring_billing.documents.models import InvoiceSend
from kring_billing.settings import Settings
from kring_contracts.contacts import ContactCreated, ContactDetails
from kring_platform.testing import Maildir, eventually, runtime_of, wait_applied

from ..pdf_reading import pdf_text
from .helpers import attachment_of, draft_invoice, issued_invoice, new_contact, state_snapshot
from .kafka_helpers import BillingEvents, ContactsFeed

pytestmark = pytest.mark.integration

LINES = [
    {"description": "Season 2026-2027", "unit_price": "120.00"},
    {"description": "Club T-shirt", "quantity": "2", "unit_price": "15.55", "vat_rate": "21"},
]


def euro(value: str) -> str:
    return f"{Decimal(value):,.2f} EUR"


async def test_an_issued_invoice_has_a_pdf_with_its_figures(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, settings: Settings
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Dora")
    invoice = await issued_invoice(client, contact_id, *LINES)
    response = await client.get(f"/invoices/{invoice['id']}/pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        f"Invoice {invoice['number']}",
        settings.organisation_name,
        invoice["billing_name"],
        "Season 2026-2027",
        "Club T-shirt",
        f"Total excluding VAT {euro(invoice['total_net'])}",
        f"Total VAT {euro(invoice['total_vat'])}",
        f"Total {euro(invoice['total'])}",
        f"Amount due {euro(invoice['open_amount'])}",
        f"Payment reference: {creditor_reference(invoice['number'])}",
    ]:
        assert expected in text
    for part in invoice["billing_address"].split(", "):
        assert part in text


async def test_a_credit_note_pdf_names_the_invoice_it_corrects(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Emiel")
    invoice = await issued_invoice(client, contact_id, *LINES)
    credited = await client.post(
        f"/invoices/{invoice['id']}/credit-notes",
        json={"reason": "returned", "lines": [{"description": "Shirt back", "unit_price": "10"}]},
    )
    assert credited.status_code == 201, credited.text
    note = credited.json()
    text = pdf_text((await client.get(f"/invoices/{note['id']}/pdf")).content)
    assert f"Credit note {note['number']}" in text
    assert f"Corrects invoice {invoice['number']}" in text
    assert "Payment reference" not in text


async def test_a_draft_has_no_pdf_and_is_not_sent(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Fien")
    draft = await draft_invoice(client, contact_id, *LINES)
    before = await state_snapshot(app)
    pdf = await client.get(f"/invoices/{draft['id']}/pdf")
    sent = await client.post(f"/invoices/{draft['id']}/send")
    for response in (pdf, sent):
        assert response.status_code == 409, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await state_snapshot(app) == before
    for path in ("pdf", "send"):
        call = client.get if path == "pdf" else client.post
        unknown = await call(f"/invoices/{uuid.uuid4()}/{path}")
        assert unknown.status_code == 404


async def test_sending_mails_the_pdf_and_records_invoice_sent(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    unique: str,
) -> None:
    maildir = Maildir()
    first = f"Gust{unique}"
    contact_id = await new_contact(app, contacts_feed, first)
    invoice = await issued_invoice(client, contact_id, *LINES)
    response = await client.post(f"/invoices/{invoice['id']}/send")
    assert response.status_code == 200, response.text
    sent = response.json()
    address = f"{first.lower()}@example.org"
    assert sent["recipient"] == address and not sent["resumed"]

    [message] = await eventually(lambda: maildir.messages_to(address), until=lambda m: len(m) == 1)
    assert message["Message-ID"] == sent["message_id"]
    assert invoice["number"] in message["Subject"]
    content_type, pdf = attachment_of(message)
    assert content_type == "application/pdf"
    assert f"Invoice {invoice['number']}" in pdf_text(pdf)
    assert pdf == (await client.get(f"/invoices/{invoice['id']}/pdf")).content

    assert invoice["sent_at"] is None
    after = (await client.get(f"/invoices/{invoice['id']}")).json()
    assert after["sent_at"] == sent["sent_at"]
    events = await eventually(
        lambda: published.about(invoice["id"]), until=lambda found: len(found) == 2
    )
    assert [event.type for event in events] == [
        "kring.billing.invoice.issued",
        "kring.billing.invoice.sent",
    ]
    assert events[1].data["sent_to"] == address and events[1].data["channel"] == "email"
    assert events[1].sequence == events[0].sequence + 1


async def test_a_crash_after_the_mail_left_is_completed_with_the_same_message_id(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    settings: Settings,
    unique: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maildir = Maildir()
    first = f"Hanne{unique}"
    contact_id = await new_contact(app, contacts_feed, first)
    invoice = await issued_invoice(client, contact_id, *LINES)
    runtime = runtime_of(app)
    real_send_mail = invoice_sending.send_mail

    async def send_then_crash(mail_settings: Any, message: EmailMessage) -> None:
        await real_send_mail(mail_settings, message)
        raise SystemExit("the process died before it could commit")

    monkeypatch.setattr(invoice_sending, "send_mail", send_then_crash)
    with pytest.raises(SystemExit):
        await send_invoice(runtime.unit_of_work, settings, uuid.UUID(invoice["id"]))
    monkeypatch.undo()

    response = await client.post(f"/invoices/{invoice['id']}/send")
    assert response.status_code == 200, response.text
    assert response.json()["resumed"]
    address = f"{first.lower()}@example.org"
    messages = await eventually(
        lambda: maildir.messages_to(address), until=lambda found: len(found) == 2
    )
    # Delivered twice (at least once), recognisably the same message.
    assert {message["Message-ID"] for message in messages} == {response.json()["message_id"]}
    async with runtime.database.transaction() as session:
        sends = list(
            await session.scalars(
                select(InvoiceSend).where(InvoiceSend.invoice_id == uuid.UUID(invoice["id"]))
            )
        )
    assert [send.status for send in sends] == ["sent"]
    await eventually(
        lambda: published.types_about(invoice["id"]),
        until=lambda types: types == ["invoice.issued", "invoice.sent"],
    )


async def test_a_contact_without_e_mail_address_is_a_clear_problem(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    created = await contacts_feed.send(
        ContactCreated(
            contact_id=uuid.uuid4(), contact=ContactDetails(first_name="Ilse", last_name="Post")
        )
    )
    await wait_applied(app, created)
    invoice = await issued_invoice(client, uuid.UUID(created.data["contact_id"]), *LINES)
    before = await state_snapshot(app)
    response = await client.post(f"/invoices/{invoice['id']}/send")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["reason"] == "no_email_address"
    assert "no e-mail address" in problem["detail"]
    assert await state_snapshot(app) == before


async def test_an_unreachable_mail_server_leaves_the_send_pending(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    settings: Settings,
    unique: str,
) -> None:
    contact_id = await new_contact(app, contacts_feed, f"Jan{unique}")
    invoice = await issued_invoice(client, contact_id, *LINES)
    runtime = runtime_of(app)
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    unreachable = settings.model_copy(update={"smtp_port": 9, "smtp_timeout_s": 2.0})
    with pytest.raises(invoice_sending.MailUnavailable):
        await send_invoice(runtime.unit_of_work, unreachable, uuid.UUID(invoice["id"]))
    async with runtime.database.transaction() as session:
        [send] = list(
            await session.scalars(
                select(InvoiceSend).where(InvoiceSend.invoice_id == uuid.UUID(invoice["id"]))
            )
        )
    assert send.status == "pending"
    # The next try, with the mail server back, completes that same send.
    response = await client.post(f"/invoices/{invoice['id']}/send")
    assert response.status_code == 200, response.text
    assert response.json()["message_id"] == send.message_id
