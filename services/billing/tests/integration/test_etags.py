"""Optimistic concurrency: ETag from `version`, If-Match checked under the row lock."""

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing.etags import check_etag_round_trip

from .helpers import new_contact
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["invoice", "mandate"])
async def test_etag_and_if_match(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, kind: str
) -> None:
    contact_id = await new_contact(app, contacts_feed)
    if kind == "invoice":
        line = {"description": "Ball", "quantity": "1", "unit_price": "9.99", "vat_rate": "21"}
        body = {"contact_id": str(contact_id), "lines": [line]}
        created = await client.post("/invoices", json=body)
        path = f"/invoices/{created.json()['id']}"
        change = {"note": "Paid at the bar"}
    else:
        body = {"iban": "BE71 0961 2345 6769", "signed_on": "2026-01-10"}
        created = await client.post(f"/contacts/{contact_id}/mandates", json=body)
        path = f"/contacts/{contact_id}/mandates/{created.json()['id']}"
        change = {"iban": "BE68 5390 0754 7034"}
    assert created.status_code == 201, created.text
    await check_etag_round_trip(client, path, change)
