"""Idempotency-Key on payments and credit notes: a repeat of the same request answers the
first answer and books once, also when both arrive at once; the same key with another body
is refused and changes nothing."""

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_billing.db_models import Invoice, Payment, idempotency_keys

from .conftest import TODAY
from .helpers import issued_invoice, new_contact, row_count, state_snapshot
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def payments_of(app: FastAPI, invoice_id: str) -> int:
    return await row_count(app, Payment.invoice_id == uuid.UUID(invoice_id))


async def credit_notes_of(app: FastAPI, invoice_id: str) -> int:
    return await row_count(app, Invoice.credits_invoice_id == uuid.UUID(invoice_id))


async def invoice_and_url(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, action: str
) -> tuple[dict[str, Any], str]:
    """A new issued invoice and the URL of one of its keyed actions."""
    invoice = await issued_invoice(client, await new_contact(app, contacts_feed))
    return invoice, f"/invoices/{invoice['id']}/{action}"


async def all_created(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], key: str, *, times: int
) -> list[httpx.Response]:
    """The answers to the same keyed request sent `times` times at once; each must be 201."""
    answers = await asyncio.gather(
        *(client.post(url, json=body, headers=keyed(key)) for _ in range(times))
    )
    assert [a.status_code for a in answers] == [201] * times, [a.text for a in answers]
    return answers


PAYMENT = {"amount": "10.00", "paid_on": TODAY.isoformat(), "method": "cash"}


async def test_the_same_key_twice_books_one_payment_and_answers_alike(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    invoice, url = await invoice_and_url(app, client, contacts_feed, "payments")
    key = str(uuid.uuid4())

    first = await client.post(url, json=PAYMENT, headers=keyed(key))
    assert first.status_code == 201, first.text
    # The same request spelt otherwise (key order, a default written out) is the same body.
    again = await client.post(
        url,
        json={"method": "cash", "reference": "", "paid_on": TODAY.isoformat(), "amount": "10.00"},
        headers=keyed(key),
    )
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert "Idempotency-Replayed" not in first.headers
    assert await payments_of(app, invoice["id"]) == 1
    assert len(first.json()["payments"]) == 1

    # A new key is a new payment; no key books every time.
    other = await client.post(url, json=PAYMENT, headers=keyed(str(uuid.uuid4())))
    assert other.status_code == 201 and len(other.json()["payments"]) == 2
    assert (await client.post(url, json=PAYMENT)).status_code == 201
    assert await payments_of(app, invoice["id"]) == 3


async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    invoice, url = await invoice_and_url(app, client, contacts_feed, "payments")
    key = str(uuid.uuid4())
    assert (await client.post(url, json=PAYMENT, headers=keyed(key))).status_code == 201
    before = await state_snapshot(app)

    refused = await client.post(url, json={**PAYMENT, "amount": "11.00"}, headers=keyed(key))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["idempotency_key"] == key
    assert await state_snapshot(app) == before
    assert await payments_of(app, invoice["id"]) == 1


async def test_a_key_belongs_to_its_route_and_invoice(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    one = await issued_invoice(client, contact_id)
    two = await issued_invoice(client, contact_id)
    key = str(uuid.uuid4())
    for invoice in (one, two):
        paid = await client.post(
            f"/invoices/{invoice['id']}/payments", json=PAYMENT, headers=keyed(key)
        )
        assert paid.status_code == 201 and "Idempotency-Replayed" not in paid.headers
    credited = await client.post(
        f"/invoices/{one['id']}/credit-notes", json={"reason": "gift"}, headers=keyed(key)
    )
    assert credited.status_code == 201, credited.text
    assert await payments_of(app, one["id"]) == 1 and await payments_of(app, two["id"]) == 1


async def test_a_refused_request_stores_no_key(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    draft = await client.post(
        "/invoices",
        json={"contact_id": str(contact_id), "lines": [{"description": "x", "unit_price": "5"}]},
    )
    url = f"/invoices/{draft.json()['id']}/payments"
    key = str(uuid.uuid4())
    assert (await client.post(url, json=PAYMENT, headers=keyed(key))).status_code == 409
    assert await row_count(app, idempotency_keys.c.key == key) == 0
    # Once the draft is issued, the same key books: the refusal was not remembered.
    assert (await client.post(f"/invoices/{draft.json()['id']}/issue")).status_code == 200
    assert (await client.post(url, json=PAYMENT, headers=keyed(key))).status_code == 201


async def test_concurrent_requests_with_one_key_book_once(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    invoice, url = await invoice_and_url(app, client, contacts_feed, "payments")
    key = str(uuid.uuid4())

    answers = await all_created(client, url, PAYMENT, key, times=8)
    bodies: list[Any] = [a.json() for a in answers]
    assert all(body == bodies[0] for body in bodies)
    assert sum("Idempotency-Replayed" in a.headers for a in answers) == 7
    assert await payments_of(app, invoice["id"]) == 1


async def test_concurrent_credit_notes_with_one_key_issue_one(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    invoice, url = await invoice_and_url(app, client, contacts_feed, "credit-notes")
    key = str(uuid.uuid4())
    body = {"reason": "cancelled", "lines": [{"description": "Part", "unit_price": "5.00"}]}

    answers = await all_created(client, url, body, key, times=5)
    assert len({a.json()["id"] for a in answers}) == 1
    assert await credit_notes_of(app, invoice["id"]) == 1

    refused = await client.post(url, json={**body, "reason": "other"}, headers=keyed(key))
    assert refused.status_code == 422
    assert await credit_notes_of(app, invoice["id"]) == 1


async def test_a_malformed_key_is_refused(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    invoice, url = await invoice_and_url(app, client, contacts_feed, "payments")
    for bad in ("", "x" * 256, "with space"):
        refused = await client.post(url, json=PAYMENT, headers=keyed(bad))
        assert refused.status_code == 422, bad
    assert await payments_of(app, invoice["id"]) == 0
