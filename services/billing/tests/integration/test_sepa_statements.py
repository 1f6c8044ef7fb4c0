"""camt.053 imports over the API: credits matched by RF reference or direct debit end-to-end
id become payments, once; a returned direct debit reverses the collection's payment, opens
the invoice for a later collection and revokes the mandate for some reasons, once; the rest
is reported; a file that is no statement changes nothing."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_billing.documents import creditor_reference
from kring_billing.sepa.models import Collection, CollectionItem
from kring_platform.testing import created, eventually, runtime_of

from ..sepa_files import Booking, camt053
from .conftest import TODAY
from .helpers import collect, issued_invoice, mandate, new_contact, state_snapshot
from .kafka_helpers import BillingEvents, ContactsFeed

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


async def collection_item(app: FastAPI, invoice_id: str) -> list[CollectionItem]:
    """The invoice's collection items, oldest collection first."""
    async with runtime_of(app).database.transaction() as session:
        rows = await session.scalars(
            select(CollectionItem)
            .join(Collection, Collection.id == CollectionItem.collection_id)
            .where(CollectionItem.invoice_id == uuid.UUID(invoice_id))
            .order_by(Collection.created_at)
        )
        return list(rows)


async def with_mandate(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, name: str
) -> tuple[uuid.UUID, dict[str, Any]]:
    contact_id = await new_contact(app, contacts_feed, name)
    return contact_id, await mandate(client, contact_id)


async def collection_of(client: httpx.AsyncClient, *invoices: dict[str, Any]) -> dict[str, Any]:
    """A collection of the invoices, which must be made."""
    return created(await collect(client, invoice_ids=[invoice["id"] for invoice in invoices]))


def returned_debit(
    invoice: dict[str, Any], amount: Decimal, reason: str, unique: str, *, tag: str = "RET"
) -> bytes:
    return camt053(
        [
            Booking(
                amount,
                credit=False,
                end_to_end_id=invoice["number"],
                return_reason=reason,
                bank_reference=f"{tag}-{unique}",
            )
        ],
        statement_id=f"{tag}-{unique}",
    )


async def test_a_collection_credit_pays_by_end_to_end_id_and_a_return_reverses_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    unique: str,
) -> None:
    (kept_contact, _), (returned_contact, returned_mandate) = [
        await with_mandate(app, client, contacts_feed, name) for name in ("Tine", "Urbain")
    ]
    collected = await issued_invoice(client, kept_contact)
    returned = await issued_invoice(client, returned_contact)
    # Partly paid in cash before: the collection takes the rest, the return gives it back.
    cash = await client.post(
        f"/invoices/{returned['id']}/payments",
        json={"amount": "20.00", "paid_on": TODAY.isoformat(), "method": "cash"},
    )
    assert cash.status_code in (200, 201), cash.text
    rest = Decimal(returned["total"]) - Decimal("20.00")
    collection = await collection_of(client, collected, returned)
    # The bank's credit for the collection: one entry, a transaction per debit.
    statement = camt053(
        [
            Booking(Decimal(collected["total"]), end_to_end_id=collected["number"]),
            Booking(rest, end_to_end_id=returned["number"]),
        ],
        batch=True,
        statement_id=f"DD-{unique}",
        version="02",
    )
    booked = (await upload(client, statement)).json()
    assert {item["number"] for item in booked["matched"]} == {
        collected["number"],
        returned["number"],
    }
    paid = await invoice_now(client, returned)
    assert paid["status"] == "paid"
    [debit_payment] = [p for p in paid["payments"] if p["method"] == "direct_debit"]

    returns = camt053(
        [
            Booking(
                rest,
                credit=False,
                end_to_end_id=returned["number"],
                return_reason="AM04",
                bank_reference=f"RET-{unique}",
            ),
            # A return naming no collected invoice is no business of billing.
            Booking(
                Decimal("5.00"),
                credit=False,
                end_to_end_id=f"NOT-COLLECTED-{unique}",
                return_reason="AM04",
                bank_reference=f"RETX-{unique}",
            ),
        ],
        statement_id=f"RET-{unique}",
    )
    report = await upload(client, returns)
    assert report.status_code == 200, report.text
    [entry] = report.json()["returned"]
    assert entry["invoice_id"] == returned["id"] and entry["number"] == returned["number"]
    assert entry["reason"] == "AM04"
    assert entry["reversed_payment_id"] == debit_payment["id"]
    assert entry["mandate_revoked"] is False
    assert report.json()["ignored"] == 1 and report.json()["matched"] == []

    # Open again for what the collection had paid; the cash payment still counts.
    after = await invoice_now(client, returned)
    assert after["status"] == "partly_paid"
    assert Decimal(after["paid_amount"]) == Decimal("20.00")
    assert Decimal(after["open_amount"]) == rest
    assert after["submitted_for_collection_at"] is None
    reversed_payment = next(p for p in after["payments"] if p["id"] == debit_payment["id"])
    assert reversed_payment["reversed_on"] == "2026-03-20"
    assert "AM04" in reversed_payment["reversal_reason"]
    [item] = await collection_item(app, returned["id"])
    assert (item.returned_on, item.return_reason) == (date(2026, 3, 20), "AM04")
    assert item.payment_id == uuid.UUID(debit_payment["id"])
    # The other debit of the collection stands.
    kept = await invoice_now(client, collected)
    assert kept["status"] == "paid" and kept["submitted_for_collection_at"] is not None
    assert [payment["method"] for payment in kept["payments"]] == ["direct_debit"]

    events = await eventually(
        lambda: published.about(returned["id"]),
        until=lambda found: any(e.type.endswith("payment_returned") for e in found),
    )
    assert [event.type.removeprefix("kring.billing.") for event in events] == [
        "invoice.issued",
        "payment.registered",
        "invoice.submitted_for_collection",
        "payment.registered",
        "invoice.paid",
        "invoice.payment_returned",
    ]
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5, 6]
    data = events[-1].data
    assert data["number"] == returned["number"] and data["collection_id"] == collection["id"]
    assert Decimal(data["amount"]) == rest and data["reason_code"] == "AM04"
    assert data["returned_on"] == "2026-03-20" and data["payment_id"] == debit_payment["id"]
    assert data["status"] == "partly_paid" and Decimal(data["open_amount"]) == rest
    assert data["mandate_revoked"] is False

    # The same returns again: nothing twice.
    before = await state_snapshot(app)
    again = (await upload(client, returns)).json()
    assert again["returned"] == [] and len(again["already_imported"]) == 2
    assert await state_snapshot(app) == before
    # The same return under another bank reference: left for a person, nothing booked.
    other = (
        await upload(client, returned_debit(returned, rest, "AM04", unique, tag="RET2"))
    ).json()
    assert other["returned"] == []
    assert other["unmatched"][0]["reason"].endswith("was already returned")
    assert await state_snapshot(app) == before

    # AM04 leaves the mandate; its only collection was returned, so the next one is FRST.
    mandate_path = f"/contacts/{returned_contact}/mandates/{returned_mandate['id']}"
    mandate_now = (await client.get(mandate_path)).json()
    assert mandate_now["status"] == "active" and mandate_now["next_sequence_type"] == "FRST"
    # A later collection takes the invoice again, for what is open.
    later = await collection_of(client, returned)
    assert [
        (item["number"], Decimal(item["amount"]), item["sequence_type"])
        for item in later["included"]
    ] == [(returned["number"], rest, "FRST")]
    first, second = await collection_item(app, returned["id"])
    assert first.returned_on is not None and second.returned_on is None
    assert (await invoice_now(client, returned))["submitted_for_collection_at"] is not None


@pytest.mark.parametrize(("reason", "revokes"), [("MD01", True), ("AC04", True), ("AM04", False)])
async def test_a_return_before_the_credit_reverses_nothing_and_some_reasons_revoke(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    unique: str,
    reason: str,
    revokes: bool,
) -> None:
    contact_id, mandate = await with_mandate(app, client, contacts_feed, "Vera")
    invoice = await issued_invoice(client, contact_id)
    await collection_of(client, invoice)
    before = await invoice_now(client, invoice)
    report = await upload(
        client, returned_debit(invoice, Decimal(invoice["total"]), reason, unique)
    )
    assert report.status_code == 200, report.text
    [entry] = report.json()["returned"]
    assert entry["reversed_payment_id"] is None and entry["mandate_revoked"] is revokes

    after = await invoice_now(client, invoice)
    assert after["status"] == "issued" and after["payments"] == []
    assert after["paid_amount"] == before["paid_amount"]
    assert after["submitted_for_collection_at"] is None
    [item] = await collection_item(app, invoice["id"])
    assert (item.return_reason, item.payment_id) == (reason, None)
    assert item.returned_on is not None

    mandate_now = (await client.get(f"/contacts/{contact_id}/mandates/{mandate['id']}")).json()
    assert mandate_now["status"] == ("revoked" if revokes else "active")
    events = await eventually(
        lambda: published.types_about(invoice["id"]),
        until=lambda found: "invoice.payment_returned" in found,
    )
    assert events[-1] == "invoice.payment_returned"
    [returned_event] = [
        e for e in published.about(invoice["id"]) if e.type.endswith("payment_returned")
    ]
    assert returned_event.data["payment_id"] is None
    assert returned_event.data["reason_code"] == reason
    expected_mandate_events = ["mandate.registered"] + (["mandate.revoked"] if revokes else [])
    await eventually(
        lambda: published.types_about(mandate["id"]),
        until=lambda found: found == expected_mandate_events,
    )
    # A revoked mandate collects nothing more; otherwise the invoice goes again.
    again = await client.post(
        "/collections",
        json={
            "invoice_ids": [invoice["id"]],
            "collection_date": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert again.status_code == (422 if revokes else 201), again.text


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
