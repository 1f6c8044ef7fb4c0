"""Mandates and collections over the API: the pain.008 file validates against the XSD
(checked here with lxml, apart from sepaxml), its figures match the invoices, FRST then
RCUR, and no invoice is collected twice unless the bank returned its debit."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from lxml import etree
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kring_billing.sepa.models import CollectionItem
from kring_platform.testing import eventually, runtime_of

from ..sepa_files import pain008_schema_errors
from .conftest import TODAY
from .helpers import (
    COLLECTION_DAY,
    collect,
    issued_invoice,
    mandate,
    new_contact,
    state_snapshot,
)
from .kafka_helpers import BillingEvents, ContactsFeed
from .test_sepa_statements import returned_debit, upload

pytestmark = pytest.mark.integration

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def transactions(xml: bytes) -> dict[str, tuple[Decimal, str, str]]:
    """End-to-end id → (amount, sequence type, mandate id) of each debit in the file."""
    root = etree.fromstring(xml)
    found = {}
    for info in root.iterfind(".//p:PmtInf", namespaces=NS):
        sequence = info.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS) or ""
        for debit in info.iterfind("p:DrctDbtTxInf", namespaces=NS):
            found[debit.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or ""] = (
                Decimal(debit.findtext("p:InstdAmt", namespaces=NS) or ""),
                sequence,
                debit.findtext(".//p:MndtId", namespaces=NS) or "",
            )
    return found


async def test_mandates_are_registered_changed_revoked_and_deleted(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    published: BillingEvents,
    unique: str,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Karel")
    made_up = await mandate(client, contact_id)
    assert made_up["reference"].startswith("KRING-")
    assert made_up["iban"] == "BE71096123456769"
    assert made_up["status"] == "active" and made_up["next_sequence_type"] == "FRST"
    own = await mandate(client, contact_id, reference=f"M-{unique}", signed_on="2026-02-01")
    listed = (await client.get(f"/contacts/{contact_id}/mandates")).json()
    assert [item["id"] for item in listed] == [own["id"], made_up["id"]]

    path = f"/contacts/{contact_id}/mandates/{own['id']}"
    changed = await client.patch(path, json={"iban": "NL91ABNA0417164300"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["iban"] == "NL91ABNA0417164300"
    revoked = await client.post(f"{path}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_on"] == TODAY.isoformat()
    again = await client.post(f"{path}/revoke")
    assert again.json() == revoked.json()
    assert (await client.patch(path, json={"iban": "BE71096123456769"})).status_code == 409

    deleted = await client.delete(f"/contacts/{contact_id}/mandates/{made_up['id']}")
    assert deleted.status_code == 204
    assert (await client.get(f"/contacts/{contact_id}/mandates/{made_up['id']}")).status_code == 404

    # Each change is published once (the idempotent revoke adds nothing), without the IBAN.
    events = await eventually(
        lambda: published.about(own["id"]), until=lambda found: len(found) >= 3
    )
    assert [(event.type, event.sequence) for event in events] == [
        ("kring.billing.mandate.registered", 1),
        ("kring.billing.mandate.account_changed", 2),
        ("kring.billing.mandate.revoked", 3),
    ]
    assert all("iban" not in event.data for event in events)
    await eventually(
        lambda: published.types_about(made_up["id"]),
        until=lambda found: found == ["mandate.registered", "mandate.deleted"],
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"iban": "BE71 0961 2345 6760", "signed_on": "2026-01-10"}, 422),  # check digits
        ({"iban": "CH9300762011623852957", "signed_on": "2026-01-10"}, 422),  # BIC needed
        ({"iban": "BE71096123456769", "bic": "XX", "signed_on": "2026-01-10"}, 422),
        ({"iban": "BE71096123456769", "signed_on": "2027-01-10"}, 422),  # after today
        ({"iban": "BE71096123456769", "signed_on": "2026-01-10", "reference": "a b"}, 422),
        ({"iban": "BE71096123456769", "signed_on": "2026-01-10", "extra": 1}, 422),
    ],
)
async def test_bad_mandates_are_refused_and_change_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    body: dict[str, Any],
    status: int,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Lotte")
    before = await client.get(f"/contacts/{contact_id}/mandates")
    response = await client.post(f"/contacts/{contact_id}/mandates", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/contacts/{contact_id}/mandates")).json() == before.json()


async def test_a_mandate_needs_a_known_contact_and_a_free_reference(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, unique: str
) -> None:
    unknown = await client.post(
        f"/contacts/{uuid.uuid4()}/mandates",
        json={"iban": "BE71096123456769", "signed_on": "2026-01-10"},
    )
    assert unknown.status_code == 404
    contact_id = await new_contact(app, contacts_feed, "Mien")
    await mandate(client, contact_id, reference=f"DUP-{unique}")
    taken = await client.post(
        f"/contacts/{contact_id}/mandates",
        json={"iban": "BE71096123456769", "signed_on": "2026-01-10", "reference": f"DUP-{unique}"},
    )
    assert taken.status_code == 409
    with_bic = await mandate(client, contact_id, iban="CH9300762011623852957", bic="UBSWCHZH80A")
    assert with_bic["bic"] == "UBSWCHZH80A"


async def test_a_collection_takes_invoices_with_mandates_once_frst_then_rcur(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, published: BillingEvents
) -> None:
    with_mandate = [await new_contact(app, contacts_feed, name) for name in ("Nand", "Odette")]
    without = await new_contact(app, contacts_feed, "Pol")
    mandates = [await mandate(client, contact_id) for contact_id in with_mandate]
    lines = [{"description": "Season", "unit_price": "120.00"}]
    invoices = [
        await issued_invoice(client, with_mandate[0], *lines),
        await issued_invoice(
            client,
            with_mandate[1],
            {"description": "Shirt", "unit_price": "15.55", "vat_rate": "21"},
        ),
        await issued_invoice(client, without, *lines),
    ]
    # A partly paid invoice is collected for what is left.
    paid = await client.post(
        f"/invoices/{invoices[0]['id']}/payments",
        json={"amount": "20.00", "paid_on": TODAY.isoformat(), "method": "cash"},
    )
    assert paid.status_code in (200, 201), paid.text
    open_amounts = {
        invoice["number"]: Decimal(
            (await client.get(f"/invoices/{invoice['id']}")).json()["open_amount"]
        )
        for invoice in invoices
    }

    response = await collect(client, invoice_ids=[invoice["id"] for invoice in invoices])
    assert response.status_code == 201, response.text
    collection = response.json()
    assert [skip["invoice_id"] for skip in collection["skipped"]] == [invoices[2]["id"]]
    assert collection["skipped"][0]["reason"] == "no active mandate"
    assert collection["skipped"][0]["code"] == "no_active_mandate"
    included = {item["number"]: item for item in collection["included"]}
    assert set(included) == {invoices[0]["number"], invoices[1]["number"]}
    expected_sum = sum(open_amounts[number] for number in included)
    assert Decimal(collection["control_sum"]) == expected_sum
    assert collection["transaction_count"] == 2

    xml = (await client.get(f"/collections/{collection['id']}/pain008.xml")).content
    assert pain008_schema_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert Decimal(root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) or "") == expected_sum
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == collection["message_id"]
    assert transactions(xml) == {
        number: (open_amounts[number], "FRST", mandates[index]["reference"])
        for index, number in enumerate(number for number in (i["number"] for i in invoices[:2]))
    }
    for invoice in invoices[:2]:
        after = (await client.get(f"/invoices/{invoice['id']}")).json()
        assert after["submitted_for_collection_at"] is not None
    assert (await client.get(f"/invoices/{invoices[2]['id']}")).json()[
        "submitted_for_collection_at"
    ] is None
    events = await eventually(
        lambda: published.about(invoices[0]["id"]), until=lambda found: len(found) == 3
    )
    assert [event.type for event in events] == [
        "kring.billing.invoice.issued",
        "kring.billing.payment.registered",
        "kring.billing.invoice.submitted_for_collection",
    ]
    assert events[2].data["collection_id"] == collection["id"]
    assert Decimal(events[2].data["amount"]) == open_amounts[invoices[0]["number"]]
    assert events[2].data["sequence_type"] == "FRST"

    # Never twice: asked again, nothing is collectible and nothing changes.
    before = await state_snapshot(app)
    again = await collect(client, invoice_ids=[invoice["id"] for invoice in invoices[:2]])
    assert again.status_code == 422, again.text
    assert {skip["reason"].split(" (")[0] for skip in again.json()["skipped"]} == {
        "already submitted for collection"
    }
    assert await state_snapshot(app) == before

    # The mandate's next collection is recurrent.
    mandate_now = (
        await client.get(f"/contacts/{with_mandate[0]}/mandates/{mandates[0]['id']}")
    ).json()
    assert mandate_now["next_sequence_type"] == "RCUR"
    later = await issued_invoice(client, with_mandate[0], *lines)
    second = await collect(client, invoice_ids=[later["id"]])
    assert second.status_code == 201, second.text
    xml = (await client.get(f"/collections/{second.json()['id']}/pain008.xml")).content
    assert pain008_schema_errors(xml) == []
    assert transactions(xml) == {
        later["number"]: (Decimal(later["open_amount"]), "RCUR", mandates[0]["reference"])
    }
    assert (await client.get(f"/collections/{collection['id']}")).json() == collection


async def test_a_revoked_mandate_or_a_bad_day_collects_nothing(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Quinten")
    revoked = await mandate(client, contact_id)
    await client.post(f"/contacts/{contact_id}/mandates/{revoked['id']}/revoke")
    invoice = await issued_invoice(client, contact_id)
    draft = await client.post(
        "/invoices",
        json={"contact_id": str(contact_id), "lines": [{"description": "x", "unit_price": "1"}]},
    )
    before = await state_snapshot(app)
    response = await collect(client, invoice_ids=[invoice["id"]])
    assert response.status_code == 422
    assert response.json()["skipped"][0]["reason"] == "no active mandate"
    assert await state_snapshot(app) == before
    await mandate(client, contact_id)
    before = await state_snapshot(app)
    for day in (TODAY, TODAY - timedelta(days=1)):
        response = await collect(
            client, invoice_ids=[invoice["id"]], collection_date=day.isoformat()
        )
        assert response.status_code == 422, response.text
    response = await collect(client, invoice_ids=[draft.json()["id"], str(uuid.uuid4())])
    assert response.status_code == 422
    assert sorted((skip["code"], skip["reason"]) for skip in response.json()["skipped"]) == [
        ("no_such_invoice", "no such invoice"),
        ("not_open", "not open (draft)"),
    ]
    assert (await collect(client, invoice_ids=[])).status_code == 422
    assert (await client.get(f"/collections/{uuid.uuid4()}")).status_code == 404
    assert await state_snapshot(app) == before


async def test_a_collection_by_due_date_takes_the_open_invoices_due(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Roos")
    await mandate(client, contact_id)
    due_soon = await issued_invoice(client, contact_id)
    response = await collect(
        client,
        due_before=(date.fromisoformat(due_soon["due_date"]) + timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 201, response.text
    collection = response.json()
    assert due_soon["id"] in {item["invoice_id"] for item in collection["included"]}
    xml = (await client.get(f"/collections/{collection['id']}/pain008.xml")).content
    assert pain008_schema_errors(xml) == []
    assert len(transactions(xml)) == collection["transaction_count"] == len(collection["included"])


async def test_two_collections_at_once_never_take_the_same_invoice(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_ids = [await new_contact(app, contacts_feed, f"Sofie{n}") for n in range(3)]
    for contact_id in contact_ids:
        await mandate(client, contact_id)
    invoices = [await issued_invoice(client, contact_id) for contact_id in contact_ids]
    ids = [invoice["id"] for invoice in invoices]
    responses = await asyncio.gather(
        collect(client, invoice_ids=ids), collect(client, invoice_ids=list(reversed(ids)))
    )
    taken: list[str] = []
    for response in responses:
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            taken += [item["invoice_id"] for item in response.json()["included"]]
    assert sorted(taken) == sorted(ids)


async def test_a_mandate_unused_for_36_months_has_lapsed(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Xavier")
    # Signed 36 months and a day before the collection day, never used.
    signed = COLLECTION_DAY.replace(year=COLLECTION_DAY.year - 3) - timedelta(days=1)
    await mandate(client, contact_id, signed_on=signed.isoformat())
    invoice = await issued_invoice(client, contact_id)
    response = await collect(client, invoice_ids=[invoice["id"]])
    assert response.status_code == 422, response.text
    assert response.json()["skipped"][0]["reason"] == f"mandate expired (unused since {signed})"
    assert response.json()["skipped"][0]["code"] == "mandate_expired"
    # On the last day of the 36 months it still collects.
    on_time = await collect(
        client,
        invoice_ids=[invoice["id"]],
        collection_date=signed.replace(year=signed.year + 3).isoformat(),
    )
    assert on_time.status_code == 201, on_time.text


async def test_after_a_return_the_invoice_is_collected_again_frst_until_one_went_through(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed, unique: str
) -> None:
    """The rule: a mandate's next collection is FRST while every collection made under it
    was returned; once one stands, later ones are RCUR, also after a return."""
    contact_id = await new_contact(app, contacts_feed, "Yentl")
    signed = await mandate(client, contact_id)
    first, second = [await issued_invoice(client, contact_id) for _ in range(2)]

    async def sequence_of(invoice: dict[str, Any]) -> str:
        response = await collect(client, invoice_ids=[invoice["id"]])
        assert response.status_code == 201, response.text
        [item] = response.json()["included"]
        assert item["invoice_id"] == invoice["id"]
        sequence: str = item["sequence_type"]
        return sequence

    async def bank_returns(invoice: dict[str, Any], tag: str) -> None:
        amount = Decimal(invoice["total"])
        report = await upload(client, returned_debit(invoice, amount, "MS02", unique, tag=tag))
        assert report.status_code == 200, report.text
        assert [entry["invoice_id"] for entry in report.json()["returned"]] == [invoice["id"]]

    assert await sequence_of(first) == "FRST"
    await bank_returns(first, "R1")
    assert await sequence_of(first) == "FRST"  # the returned FRST never went through
    assert await sequence_of(second) == "RCUR"
    await bank_returns(first, "R2")
    # `second` stands: the mandate was used, so `first` goes again as RCUR.
    assert await sequence_of(first) == "RCUR"
    now = (await client.get(f"/contacts/{contact_id}/mandates/{signed['id']}")).json()
    assert now["status"] == "active" and now["next_sequence_type"] == "RCUR"

    # Never twice while not returned: the partial unique index refuses a second open item
    # of `second` (here in the collection that took `first` last).
    async with runtime_of(app).database.sessions() as session:
        items = (
            await session.scalars(
                select(CollectionItem).where(
                    CollectionItem.invoice_id.in_(
                        [uuid.UUID(first["id"]), uuid.UUID(second["id"])]
                    ),
                    CollectionItem.returned_on.is_(None),
                )
            )
        ).all()
        open_of = {str(item.invoice_id): item for item in items}
        assert set(open_of) == {first["id"], second["id"]}
        standing = open_of[second["id"]]
        session.add(
            CollectionItem(
                collection_id=open_of[first["id"]].collection_id,
                invoice_id=standing.invoice_id,
                mandate_id=standing.mandate_id,
                amount=standing.amount,
                sequence_type="RCUR",
                end_to_end_id=standing.end_to_end_id,
            )
        )
        with pytest.raises(IntegrityError, match="collection_items_invoice_not_returned"):
            await session.flush()
        await session.rollback()
