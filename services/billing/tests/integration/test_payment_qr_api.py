"""Paying by banking app over the API, against the test stack: the treasurer's choice of
reference (RF or Belgian structured communication) on the PDF, the payment instructions and
the e-mail (its inline EPC QR code read back from the SMTP sink), and camt.053 credits
carrying either reference, in any form a payer types, booked on the right invoice."""

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_billing.documents import creditor_reference
from kring_billing.documents.payment_reference import belgian_structured_communication
from kring_billing.settings import Settings
from kring_platform.testing import Maildir, eventually

from ..pdf_reading import pdf_text
from ..qr_reading import epc_fields, qr_texts_in_pdf, qr_texts_in_png
from ..sepa_files import Booking, camt053
from .conftest import TODAY
from .helpers import inline_image, issued_invoice, new_contact
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration

LINES = [{"description": "Season 2026-2027", "unit_price": "150.00"}]


async def choose(client: httpx.AsyncClient, scheme: str) -> httpx.Response:
    return await client.patch("/organisation", json={"payment_reference_scheme": scheme})


@pytest.fixture
async def belgian(client: httpx.AsyncClient) -> AsyncIterator[None]:
    """The organisation on Belgian structured communications for one test; the other tests
    of the session expect the default (RF) back."""
    assert (await choose(client, "be_structured")).status_code == 200
    yield
    assert (await choose(client, "rf")).status_code == 200


def belgian_of(invoice: dict[str, Any]) -> str:
    reference = belgian_structured_communication(invoice["number"])
    assert reference is not None
    return reference


def other_check_digits(reference: str) -> str:
    """The Belgian communication with other check digits (+++ddd/dddd/dddCC+++)."""
    check = int(reference[-5:-3]) % 97 + 1
    return f"{reference[:-5]}{check:02d}+++"


def digits_of(reference: str) -> str:
    return "".join(char for char in reference if char.isdigit())


async def test_the_treasurer_switches_the_reference_and_documents_follow(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, settings: Settings
) -> None:
    assert (await client.get("/organisation")).json()["payment_reference_scheme"] == "rf"
    refused = await choose(client, "ogm")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"

    contact_id = await new_contact(app, contacts_feed, "Kobe")
    invoice = await issued_invoice(client, contact_id, *LINES)
    paid = await client.post(
        f"/invoices/{invoice['id']}/payments",
        json={"amount": "40.00", "paid_on": TODAY.isoformat()},
    )
    assert paid.status_code in (200, 201), paid.text

    changed = await choose(client, "be_structured")
    try:
        assert changed.status_code == 200, changed.text
        assert changed.json()["payment_reference_scheme"] == "be_structured"
        assert (await client.get("/organisation")).json()["payment_reference_scheme"] == (
            "be_structured"
        )
        reference = belgian_of(invoice)
        instructions = (await client.get(f"/invoices/{invoice['id']}/payment-instructions")).json()
        assert instructions["reference"] == reference
        assert Decimal(instructions["amount"]) == Decimal("110.00")  # open, not the 150 total
        assert instructions["qr_code"].startswith("data:image/svg+xml")
        pdf = (await client.get(f"/invoices/{invoice['id']}/pdf")).content
        assert f"Payment reference: {reference}" in pdf_text(pdf)
        [payload] = qr_texts_in_pdf(pdf)
        assert payload == instructions["epc_payload"]
        fields = epc_fields(payload)
        assert fields["iban"] == settings.organisation_iban
        assert fields["amount"] == "EUR110.00"
        assert fields["structured_reference"] == digits_of(reference)
    finally:
        assert (await choose(client, "rf")).status_code == 200

    pdf = (await client.get(f"/invoices/{invoice['id']}/pdf")).content
    rf = creditor_reference(invoice["number"])
    assert f"Payment reference: {rf}" in pdf_text(pdf)
    assert epc_fields(qr_texts_in_pdf(pdf)[0])["structured_reference"] == rf.replace(" ", "")


async def test_the_invoice_e_mail_carries_the_qr_code_inline(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    settings: Settings,
    unique: str,
    belgian: None,
) -> None:
    maildir = Maildir()
    first = f"Lotte{unique}"
    invoice = await issued_invoice(client, await new_contact(app, contacts_feed, first), *LINES)
    sent = await client.post(f"/invoices/{invoice['id']}/send")
    assert sent.status_code == 200, sent.text
    address = f"{first.lower()}@example.org"
    [message] = await eventually(lambda: maildir.messages_to(address), until=lambda m: len(m) == 1)

    reference = belgian_of(invoice)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert reference in text.get_content() and "Scan to pay" in text.get_content()
    cid, png = inline_image(message)
    assert f'src="cid:{cid}"' in html.get_content() and "Scan to pay" in html.get_content()
    fields = epc_fields(qr_texts_in_png(png)[0])
    assert fields["iban"] == settings.organisation_iban
    assert fields["amount"] == "EUR150.00"
    assert fields["structured_reference"] == digits_of(reference)
    # The PDF is still attached, with the same code.
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"


async def test_a_statement_books_every_reference_form_on_its_invoice(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, unique: str
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Mats")
    invoices = [await issued_invoice(client, contact_id, *LINES) for _ in range(6)]
    belgian = [belgian_of(invoice) for invoice in invoices]
    bookings = [
        Booking(Decimal("150.00"), reference=belgian[0]),  # +++123/4567/89012+++
        Booking(Decimal("150.00"), reference=digits_of(belgian[1])),  # 12 digits, structured
        Booking(Decimal("150.00"), reference=belgian[2].strip("+")),  # slashes, no +++
        Booking(Decimal("150.00"), unstructured=f"lidgeld Mats {digits_of(belgian[3])}"),
        Booking(Decimal("150.00"), unstructured=f"member fee {belgian[4]} thanks"),
        Booking(Decimal("150.00"), reference=creditor_reference(invoices[5]["number"])),
        # A check digit off: a typo, not a payment of invoice 0.
        Booking(Decimal("1.00"), reference=other_check_digits(belgian[0])),
    ]
    response = await client.post(
        "/bank-statements",
        files={
            "file": (
                "statement.xml",
                camt053(bookings, version="08", statement_id=f"BE-{unique}"),
                "application/xml",
            )
        },
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert sorted(item["number"] for item in report["matched"]) == sorted(
        invoice["number"] for invoice in invoices
    )
    assert [Decimal(item["amount"]) for item in report["unmatched"]] == [Decimal("1.00")]
    for invoice in invoices:
        now = (await client.get(f"/invoices/{invoice['id']}")).json()
        assert now["status"] == "paid", (invoice["number"], now)
