"""Invoices by hand: drafts are edited and deleted, issued invoices never; numbers are
gap-free per year even when many are issued at once; payments and credit notes settle them."""

import asyncio
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_billing.db_models import Invoice
from kring_platform.testing import eventually, runtime_of

from .conftest import TODAY
from .helpers import draft_invoice, issued_invoice, new_contact
from .kafka_helpers import BillingEvents, ContactsFeed

pytestmark = pytest.mark.integration

CENT = Decimal("0.01")


def line(description: str, quantity: str, unit_price: str, vat_rate: str) -> dict[str, Any]:
    return {
        "description": description,
        "quantity": quantity,
        "unit_price": unit_price,
        "vat_rate": vat_rate,
    }


def expected_totals(lines: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """Net and VAT as a bookkeeper adds them: each line rounded to the cent, then summed."""
    net = vat = Decimal(0)
    for x in lines:
        line_net = (Decimal(x["quantity"]) * Decimal(x["unit_price"])).quantize(CENT, ROUND_HALF_UP)
        net += line_net
        vat += (line_net * Decimal(x["vat_rate"]) / 100).quantize(CENT, ROUND_HALF_UP)
    return net, vat


async def test_a_draft_is_edited_and_issued_then_never_edited(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, published: BillingEvents
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Bert")
    first = [line("Club T-shirt", "2", "15.55", "21")]
    created = await client.post("/invoices", json={"contact_id": str(contact_id), "lines": first})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["status"] == "draft" and draft["number"] is None

    second = [line("Club T-shirt", "3", "15.55", "21"), line("Fee", "1", "40.00", "0")]
    changed = await client.patch(f"/invoices/{draft['id']}", json={"lines": second})
    assert changed.status_code == 200, changed.text
    net, vat = expected_totals(second)
    assert Decimal(changed.json()["total_net"]) == net
    assert Decimal(changed.json()["total_vat"]) == vat
    assert Decimal(changed.json()["total"]) == net + vat
    assert [x["position"] for x in changed.json()["lines"]] == [1, 2]

    issued = await client.post(f"/invoices/{draft['id']}/issue")
    assert issued.status_code == 200, issued.text
    invoice = issued.json()
    assert invoice["status"] == "issued"
    assert invoice["number"].startswith(f"{TODAY.year}-")
    assert invoice["issue_date"] == TODAY.isoformat()
    assert invoice["billing_name"] == "Bert Peeters"
    assert Decimal(invoice["open_amount"]) == net + vat

    edit = await client.patch(f"/invoices/{draft['id']}", json={"note": "too late"})
    assert edit.status_code == 409
    assert edit.headers["content-type"] == "application/problem+json"
    assert (await client.delete(f"/invoices/{draft['id']}")).status_code == 409
    assert (await client.post(f"/invoices/{draft['id']}/issue")).status_code == 409

    await eventually(
        lambda: published.types_about(draft["id"]), until=lambda t: t == ["invoice.issued"]
    )
    event = published.about(draft["id"])[0]
    assert event.data["number"] == invoice["number"]
    assert published.keys_of(draft["id"]) == {str(contact_id)}


async def test_a_draft_can_be_deleted(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    draft = await draft_invoice(client, contact_id, line("Ball", "1", "9.99", "21"))
    assert (await client.delete(f"/invoices/{draft['id']}")).status_code == 204
    assert (await client.get(f"/invoices/{draft['id']}")).status_code == 404


async def test_numbers_stay_gap_free_when_many_are_issued_at_once(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    drafts = [
        (await draft_invoice(client, contact_id, line(f"Item {n}", "1", "5.00", "0")))["id"]
        for n in range(20)
    ]
    # A draft that cannot be issued (due before today) fails among them and takes no number.
    bad = {
        "contact_id": str(contact_id),
        "lines": [line("Late", "1", "5.00", "0")],
        "due_date": "2000-01-01",
    }
    failing = (await client.post("/invoices", json=bad)).json()["id"]

    responses = await asyncio.gather(
        *(client.post(f"/invoices/{draft}/issue") for draft in [*drafts, failing])
    )
    assert [r.status_code for r in responses[:-1]] == [200] * len(drafts)
    assert responses[-1].status_code == 422
    mine = sorted(r.json()["number"] for r in responses[:-1])
    assert len(set(mine)) == len(drafts)

    # Over every document of the year (other tests' too): 1..n, each once.
    async with runtime_of(app).database.transaction() as session:
        numbers = list(
            await session.scalars(select(Invoice.sequence_number).where(Invoice.year == TODAY.year))
        )
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


async def test_payments_make_an_invoice_partly_paid_paid_and_overpaid(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, published: BillingEvents
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    invoice = await issued_invoice(client, contact_id, line("Season", "1", "100.00", "0"))
    total = Decimal(invoice["total"])
    part = (total / 3).quantize(CENT)

    paid = await client.post(
        f"/invoices/{invoice['id']}/payments",
        json={"amount": str(part), "paid_on": TODAY.isoformat(), "method": "bank_transfer"},
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "partly_paid"
    assert Decimal(paid.json()["open_amount"]) == total - part

    items = (await client.get(f"/contacts/{contact_id}/open-items")).json()
    assert [i["id"] for i in items["items"]] == [invoice["id"]]
    assert Decimal(items["open_total"]) == total - part

    extra = Decimal("7.50")
    rest = await client.post(
        f"/invoices/{invoice['id']}/payments",
        json={"amount": str(total - part + extra), "paid_on": TODAY.isoformat(), "method": "cash"},
    )
    assert rest.status_code == 201, rest.text
    settled = rest.json()
    assert settled["status"] == "paid"
    assert Decimal(settled["open_amount"]) == 0
    assert Decimal(settled["credit_balance"]) == extra
    assert len(settled["payments"]) == 2

    items = (await client.get(f"/contacts/{contact_id}/open-items")).json()
    assert items["items"] == [] and Decimal(items["credit_balance"]) == extra

    await eventually(
        lambda: published.types_about(invoice["id"]),
        until=lambda t: (
            t == ["invoice.issued", "payment.registered", "payment.registered", "invoice.paid"]
        ),
    )
    sequences = [e.sequence for e in published.about(invoice["id"])]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)


async def test_a_draft_or_a_credit_note_cannot_be_paid(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    draft = await draft_invoice(client, contact_id, line("Ball", "1", "9.99", "0"))
    payment = {"amount": "1.00", "paid_on": TODAY.isoformat()}
    assert (await client.post(f"/invoices/{draft['id']}/payments", json=payment)).status_code == 409

    invoice = await issued_invoice(client, contact_id)
    credit = await client.post(f"/invoices/{invoice['id']}/credit-notes", json={"reason": "x"})
    paid = await client.post(f"/invoices/{credit.json()['id']}/payments", json=payment)
    assert paid.status_code == 409


async def test_a_credit_note_corrects_an_issued_invoice(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, published: BillingEvents
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    lines = [line("Season", "1", "120.00", "0"), line("Shirt", "1", "20.00", "21")]
    invoice = await issued_invoice(client, contact_id, *lines)
    partial = [line("Shirt returned", "1", "20.00", "21")]

    credited = await client.post(
        f"/invoices/{invoice['id']}/credit-notes", json={"reason": "returned", "lines": partial}
    )
    assert credited.status_code == 201, credited.text
    note = credited.json()
    net, vat = expected_totals(partial)
    assert note["kind"] == "credit_note" and note["status"] == "issued"
    assert note["credits_invoice_id"] == invoice["id"]
    assert Decimal(note["total"]) == net + vat
    assert note["number"] != invoice["number"]

    after = (await client.get(f"/invoices/{invoice['id']}")).json()
    assert after["status"] == "issued"
    assert Decimal(after["open_amount"]) == Decimal(invoice["total"]) - (net + vat)
    assert after["credit_note_ids"] == [note["id"]]

    # More than is left is refused; the rest in full is not.
    too_much = await client.post(
        f"/invoices/{invoice['id']}/credit-notes",
        json={"reason": "again", "lines": lines},
    )
    assert too_much.status_code == 409
    rest = await client.post(f"/invoices/{invoice['id']}/credit-notes", json={"reason": "all"})
    assert rest.status_code == 409  # all lines again exceed what is left
    remaining = Decimal(after["open_amount"])
    last = await client.post(
        f"/invoices/{invoice['id']}/credit-notes",
        json={"reason": "rest", "lines": [line("Rest", "1", str(remaining), "0")]},
    )
    assert last.status_code == 201, last.text
    assert (await client.get(f"/invoices/{invoice['id']}")).json()["status"] == "credited"

    await eventually(
        lambda: published.types_about(invoice["id"]),
        until=lambda t: t == ["invoice.issued", "invoice.credited", "invoice.credited"],
    )
    assert published.types_about(note["id"]) == ["invoice.issued"]


async def test_all_open_invoices_filter_and_page(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    made = [await issued_invoice(client, contact_id) for _ in range(3)]
    await client.post(
        f"/invoices/{made[0]['id']}/payments",
        json={"amount": made[0]["total"], "paid_on": TODAY.isoformat()},
    )
    page = await client.get(
        "/invoices", params={"open": "true", "contact_id": str(contact_id), "limit": 1}
    )
    assert page.status_code == 200, page.text
    assert page.json()["total"] == 2 and len(page.json()["items"]) == 1
    second = await client.get(
        "/invoices",
        params={"open": "true", "contact_id": str(contact_id), "limit": 1, "offset": 1},
    )
    ids = {page.json()["items"][0]["id"], second.json()["items"][0]["id"]}
    assert ids == {made[1]["id"], made[2]["id"]}
    paid = await client.get("/invoices", params={"status": "paid", "contact_id": str(contact_id)})
    assert [i["id"] for i in paid.json()["items"]] == [made[0]["id"]]
    by_number = await client.get("/invoices", params={"number": made[2]["number"]})
    assert [i["id"] for i in by_number.json()["items"]] == [made[2]["id"]]


async def test_an_unknown_invoice_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/invoices/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
