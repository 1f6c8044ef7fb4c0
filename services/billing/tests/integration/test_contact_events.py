"""The contacts read model: erasure anonymises billing's copy of the person but keeps the
invoices' numbers and amounts; a merge re-points invoices and memberships."""

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import (
    wait_applied,
)

from .helpers import issued_invoice, new_contact
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


async def test_erasure_blanks_the_person_but_keeps_the_amounts(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Erin")
    invoice = await issued_invoice(client, contact_id)
    detail = (await client.get(f"/invoices/{invoice['id']}")).json()
    assert detail["billing_email"] == "erin@example.org" and detail["billing_address"]

    await wait_applied(app, await contacts_feed.erase_contact(contact_id))
    erased = (await client.get(f"/invoices/{invoice['id']}")).json()
    assert erased["billing_name"] == "(erased)"
    assert erased["billing_email"] is None and erased["billing_address"] is None
    assert (erased["number"], erased["total"]) == (invoice["number"], invoice["total"])

    # A late update of the erased person does not bring the details back.
    await wait_applied(app, await contacts_feed.contact("Erin", "Back", contact_id=contact_id))
    body = {"contact_id": str(contact_id), "lines": [{"description": "x", "unit_price": "1"}]}
    assert (await client.post("/invoices", json=body)).status_code == 409


async def test_a_merge_repoints_the_invoices(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    duplicate = await new_contact(app, contacts_feed, "Dup")
    kept = await new_contact(app, contacts_feed, "Kept")
    invoice = await issued_invoice(client, duplicate)
    await wait_applied(app, await contacts_feed.merge(duplicate, kept))
    moved = (await client.get(f"/contacts/{kept}/invoices")).json()["items"]
    assert [i["id"] for i in moved] == [invoice["id"]]
    assert (await client.get(f"/contacts/{duplicate}/invoices")).json()["items"] == []
