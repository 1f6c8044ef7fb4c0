"""Invoice documents and SEPA as a user sees them, every service a process: a contact made
in contacts reaches billing; its issued invoice has a PDF and arrives by e-mail at the SMTP
sink with the PDF attached; a mandate lets it be collected in a pain.008 file that validates
against the XSD; the bank's camt.053 credit for the collection pays it, once."""

import io
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
import xmlschema
from lxml import etree
from pypdf import PdfReader

from kring_billing.documents import creditor_reference
from kring_billing.sepa.pain008 import PAIN008_XSD
from kring_platform.testing import Maildir, eventually

from .api import created
from .conftest import RunningSystem

pytestmark = pytest.mark.e2e

PAIN008 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


@pytest.fixture
async def billing(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("billing", timeout=30.0) as client:
        yield client


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def camt053_credit(end_to_end_id: str, amount: Decimal, bank_reference: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T08:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>S-{bank_reference}</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id></Acct>"
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{date.today()}</Dt></BookgDt>"
        f"<AcctSvcrRef>{bank_reference}</AcctSvcrRef><NtryDtls><TxDtls>"
        f"<Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>"
        f'<Amt Ccy="EUR">{amount}</Amt></TxDtls></NtryDtls></Ntry></Stmt>'
        "</BkToCstmrStmt></Document>"
    ).encode()


async def test_an_invoice_is_mailed_with_its_pdf_collected_and_paid(
    system: RunningSystem, contacts: httpx.AsyncClient, billing: httpx.AsyncClient, unique: str
) -> None:
    maildir = Maildir()
    email = f"doc.{unique}@example.org"
    contact = await created(
        await contacts.post(
            "/contacts",
            json={"first_name": "Vera", "last_name": f"Docs{unique}", "emails": [email]},
        )
    )
    contact_id = contact["id"]

    # The mandate is accepted once the contact reached billing's read model.
    async def register_mandate() -> httpx.Response:
        return await billing.post(
            f"/contacts/{contact_id}/mandates",
            json={"iban": "BE71 0961 2345 6769", "signed_on": date.today().isoformat()},
        )

    mandate_response = await eventually(register_mandate, until=lambda r: r.status_code != 404)
    mandate = await created(mandate_response)
    draft = await created(
        await billing.post(
            "/invoices",
            json={
                "contact_id": contact_id,
                "lines": [
                    {"description": "Season", "unit_price": "95.00"},
                    {"description": "Shirt", "unit_price": "12.40", "vat_rate": "21"},
                ],
            },
        )
    )
    invoice: dict[str, Any] = await created(await billing.post(f"/invoices/{draft['id']}/issue"))

    pdf = await billing.get(f"/invoices/{invoice['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"Invoice {invoice['number']}" in text
    assert f"Vera Docs{unique}" in text
    assert f"Total {Decimal(invoice['total']):,.2f} EUR" in text
    assert creditor_reference(invoice["number"]) in text

    sent = await created(await billing.post(f"/invoices/{invoice['id']}/send"))
    [message] = await eventually(lambda: maildir.messages_to(email), until=lambda m: len(m) == 1)
    assert message["Message-ID"] == sent["message_id"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    attached = attachment.get_payload(decode=True)
    assert isinstance(attached, bytes)
    assert f"Invoice {invoice['number']}" in pdf_text(attached)

    collection = await created(
        await billing.post(
            "/collections",
            json={
                "invoice_ids": [invoice["id"]],
                "collection_date": (date.today() + timedelta(days=3)).isoformat(),
            },
        )
    )
    xml = (await billing.get(f"/collections/{collection['id']}/pain008.xml")).content
    # Checked apart from the service's own check (lxml): with xmlschema.
    xmlschema.XMLSchema(str(PAIN008_XSD)).validate(xml.decode())
    document = etree.fromstring(xml)
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=PAIN008) == "1"
    assert Decimal(document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=PAIN008) or "") == (
        Decimal(invoice["total"])
    )
    assert document.findtext(".//p:SeqTp", namespaces=PAIN008) == "FRST"
    assert document.findtext(".//p:MndtId", namespaces=PAIN008) == mandate["reference"]

    statement = camt053_credit(invoice["number"], Decimal(invoice["total"]), f"B{unique}")
    for attempt in range(2):
        imported = await created(
            await billing.post(
                "/bank-statements", files={"file": ("s.xml", statement, "application/xml")}
            )
        )
        assert len(imported["matched"]) == (1 if attempt == 0 else 0)
    paid = await created(await billing.get(f"/invoices/{invoice['id']}"))
    assert paid["status"] == "paid"
    assert [payment["method"] for payment in paid["payments"]] == ["direct_debit"]
