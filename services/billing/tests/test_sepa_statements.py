"""camt.053 imports over the API: credits matched by RF reference or direct debit end-to-end
id become payments, once; the rest is reported; a file that is no statement changes nothing."""

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_billing.documents import creditor_reference
from kring_platform.testing import eventually

from .conftest import TODAY, issued_invoice, new_contact, state_snapshot
from .kafka_helpers import BillingEvents, ContactsFeed
from .sepa_files import Booking, camt053

pytestmark = pytest.mark.integration


async def upload(client: httpx.AsyncClient, content: bytes) -> httpx.Response:
    return await client.post(
        "/bank-statements", files={"file": ("statement.xml", content, "application/xml")}
    )


async def invoice_now(client: httpx.AsyncClient, invoice: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/invoices/{invoice['id']}")
    assert response.status_code == 200
    current: dict[str, Any] = response.json()
    return current


async def test_credits_are_booked_by_reference_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    unique: str,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Sander")
    full = await issued_invoice(client, contact_id)
    partial = await issued_invoice(client, contact_id)
    half = (Decimal(partial["total"]) / 2).quantize(Decimal("0.01"))
    # The reference of `full` with other check digits: a typo, not a payment of `full`.
    reference = creditor_reference(full["number"])
    wrong_check = f"RF{(int(reference[2:4]) + 1) % 100:02d}{reference[4:]}"
    statement = camt053(
        [
            Booking(Decimal(full["total"]), reference=creditor_reference(full["number"])),
            Booking(half, unstructured=f"fee {creditor_reference(partial['number'])} thanks"),
            Booking(Decimal("7.00"), reference=wrong_check),
            Booking(Decimal("8.00"), unstructured="no reference at all"),
            Booking(Decimal("9.99"), credit=False),
        ],
        version="08",
        statement_id=f"STMT-{unique}",
    )
    response = await upload(client, statement)
    assert response.status_code == 200, response.text
    report = response.json()
    assert {(item["number"], Decimal(item["amount"])) for item in report["matched"]} == {
        (full["number"], Decimal(full["total"])),
        (partial["number"], half),
    }
    assert sorted(Decimal(item["amount"]) for item in report["unmatched"]) == [
        Decimal("7.00"),
        Decimal("8.00"),
    ]
    assert report["ignored"] == 1 and report["returned"] == [] and report["already_imported"] == []

    paid = await invoice_now(client, full)
    assert paid["status"] == "paid" and Decimal(paid["open_amount"]) == 0
    [payment] = paid["payments"]
    assert payment["method"] == "bank_transfer" and payment["paid_on"] == "2026-03-20"
    part = await invoice_now(client, partial)
    assert part["status"] == "partly_paid"
    assert Decimal(part["open_amount"]) == Decimal(partial["total"]) - half
    await eventually(
        lambda: published.types_about(full["id"]),
        until=lambda found: found == ["invoice.issued", "payment.registered", "invoice.paid"],
    )

    # The same statement again books nothing.
    before = await state_snapshot(app)
    again = await upload(client, statement)
    assert again.status_code == 200, again.text
    assert again.json()["matched"] == [] and again.json()["unmatched"] == []
    assert len(again.json()["already_imported"]) == 5
    assert await state_snapshot(app) == before


async def test_a_collection_credit_pays_by_end_to_end_id_and_a_return_is_reported(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, unique: str
) -> None:
    contact_ids = [await new_contact(app, contacts_feed, name) for name in ("Tine", "Urbain")]
    for contact_id in contact_ids:
        created = await client.post(
            f"/contacts/{contact_id}/mandates",
            json={"iban": "BE71096123456769", "signed_on": "2026-01-10"},
        )
        assert created.status_code == 201, created.text
    invoices = [await issued_invoice(client, contact_id) for contact_id in contact_ids]
    collection = await client.post(
        "/collections",
        json={
            "invoice_ids": [invoice["id"] for invoice in invoices],
            "collection_date": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert collection.status_code == 201, collection.text
    collected, returned = invoices
    # The bank's credit for the collection: one entry, a transaction per debit.
    statement = camt053(
        [
            Booking(Decimal(collected["total"]), end_to_end_id=collected["number"]),
            Booking(Decimal(returned["total"]), end_to_end_id=returned["number"]),
        ],
        batch=True,
        statement_id=f"DD-{unique}",
        version="02",
    )
    returns = camt053(
        [
            Booking(
                Decimal(returned["total"]),
                credit=False,
                end_to_end_id=returned["number"],
                return_reason="AM04",
                bank_reference=f"RET-{unique}",
            )
        ],
        statement_id=f"RET-{unique}",
    )
    booked = (await upload(client, statement)).json()
    assert {item["number"] for item in booked["matched"]} == {i["number"] for i in invoices}
    report = await upload(client, returns)
    assert report.status_code == 200, report.text
    [returned_entry] = report.json()["returned"]
    assert returned_entry["invoice_id"] == returned["id"]
    assert returned_entry["reason"] == "AM04"
    after = await invoice_now(client, collected)
    assert after["status"] == "paid"
    assert [payment["method"] for payment in after["payments"]] == ["direct_debit"]


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"/>',
        camt053([Booking(Decimal("1.00"))]).replace(b"<Amt Ccy", b"<Amount Ccy", 1),
    ],
)
async def test_what_is_no_statement_is_refused_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, content: bytes
) -> None:
    before = await state_snapshot(app)
    response = await upload(client, content)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await state_snapshot(app) == before


async def test_an_upload_without_file_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/bank-statements", content=b"<x/>")
    assert response.status_code == 422


async def test_the_same_statement_uploaded_twice_at_once_books_once(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, unique: str
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Wout")
    invoice = await issued_invoice(client, contact_id)
    statement = camt053(
        [Booking(Decimal(invoice["total"]), reference=creditor_reference(invoice["number"]))],
        statement_id=f"TWICE-{unique}",
    )
    first, second = await asyncio.gather(upload(client, statement), upload(client, statement))
    reports = [first.json(), second.json()]
    assert sorted(len(report["matched"]) for report in reports) == [0, 1]
    assert sorted(len(report["already_imported"]) for report in reports) == [0, 1]
    assert len((await invoice_now(client, invoice))["payments"]) == 1
