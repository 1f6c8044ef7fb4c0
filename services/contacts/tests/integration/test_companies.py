"""Companies over HTTP: VAT numbers, linked contacts, contracts in exact decimals, the CSV
export, deleting, and the events."""

import csv
import io
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from stdnum.be import vat as be_vat

from kring_platform.db import Database
from kring_platform.testing import TopicTail, assert_refused_unchanged

from .helpers import new_company, new_contact, unique

pytestmark = pytest.mark.integration


def enterprise_number() -> str:
    """A valid Belgian enterprise number nobody else in this run has (mod-97 check digits)."""
    base = random.randint(2_000_000, 9_999_999)
    number = f"0{base:07d}{97 - (base % 97):02d}"
    assert be_vat.is_valid(number)
    return number


def summary(envelopes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["type"].removeprefix("kring.contacts."), e["sequence"]) for e in envelopes]


async def test_vat_numbers_are_validated_and_stored_compact(
    client: httpx.AsyncClient, database: Database
) -> None:
    number = enterprise_number()
    dotted = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"
    company = await new_company(client, unique("Brewery"), vat_number=dotted)
    assert company["vat_number"] == f"BE{number}"
    # The same number without its prefix, as Belgians write it: taken.
    clash = await client.post("/companies", json={"name": "Copy", "vat_number": number})
    assert clash.status_code == 409, clash.text
    assert clash.json()["vat_number"] == f"BE{number}"

    async def companies() -> object:
        async with database.transaction() as session:
            return (await session.execute(text("SELECT id, vat_number FROM companies"))).all()

    wrong_check = number[:-2] + f"{(int(number[-2:]) + 1) % 100:02d}"
    for bad in (wrong_check, "BE123", "NL000099998B58", "XX123456789", "x" * 40):
        await assert_refused_unchanged(
            client, "POST", "/companies", 422, companies, json={"name": "Bad", "vat_number": bad}
        )
    await assert_refused_unchanged(
        client,
        "PATCH",
        f"/companies/{company['id']}",
        422,
        companies,
        json={"vat_number": wrong_check},
    )
    # Another EU country's number is fine too.
    dutch = await new_company(client, unique("Dutch"), vat_number="NL004495445B01")
    assert dutch["vat_number"] == "NL004495445B01"
    await client.delete(f"/companies/{dutch['id']}")


async def test_a_company_with_contacts_contracts_and_its_events(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    company = await new_company(
        client,
        unique("Sponsor"),
        address={"street": "Markt", "city": "Brugge", "country": "be"},
        iban="BE68 5390 0754 7034",
    )
    assert company["iban"] == "BE68539007547034" and company["address"]["country"] == "BE"
    manager = await new_contact(client, "Mia", "Manager")
    linked = await client.put(
        f"/companies/{company['id']}/contacts/{manager}", json={"role": "marketing manager"}
    )
    assert linked.status_code == 201, linked.text
    same = await client.put(
        f"/companies/{company['id']}/contacts/{manager}", json={"role": "marketing manager"}
    )
    assert same.status_code == 200

    contract = await client.post(
        f"/companies/{company['id']}/contracts",
        json={
            "kind": "sponsorship",
            "start_date": "2026-07-01",
            "end_date": "2027-06-30",
            "amount": "1500.50",
            "status": "active",
            "note": "Shirt sponsor",
        },
    )
    assert contract.status_code == 201, contract.text
    assert Decimal(contract.json()["amount"]) == Decimal("1500.50")

    profile = (await client.get(f"/companies/{company['id']}")).json()
    assert [(c["contact_id"], c["role"]) for c in profile["contacts"]] == [
        (manager, "marketing manager")
    ]
    assert [c["id"] for c in profile["contracts"]] == [contract.json()["id"]]
    assert profile["logo"] is None

    ended = await client.patch(
        f"/companies/{company['id']}/contracts/{contract.json()['id']}",
        json={"status": "ended", "end_date": "2026-12-31"},
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"

    assert (
        await client.delete(f"/companies/{company['id']}/contacts/{manager}")
    ).status_code == 204
    events = await topic_tail.events_about(manager, count=3)
    assert summary(events) == [
        ("contact.created", 1),
        ("company_contact.linked", 2),
        ("company_contact.unlinked", 3),
    ]
    assert events[1]["data"] == {
        "contact_id": manager,
        "company_id": company["id"],
        "company_name": company["name"],
        "role": "marketing manager",
    }
    assert events[2]["data"]["reason"] == "removed"
    assert summary(await topic_tail.events_about(company["id"], count=1)) == [
        ("company.created", 1)
    ]


async def test_contracts_refuse_inexact_amounts_and_backward_periods(
    client: httpx.AsyncClient, database: Database
) -> None:
    company = await new_company(client, unique("Careful"))
    url = f"/companies/{company['id']}/contracts"
    good = {"start_date": "2026-01-01", "amount": "100.00"}

    async def contracts() -> object:
        async with database.transaction() as session:
            rows = await session.execute(
                text("SELECT id, amount, end_date FROM company_contracts WHERE company_id = :c"),
                {"c": company["id"]},
            )
            return rows.all()

    for bad in (
        {**good, "amount": "100.001"},
        {**good, "amount": "-5"},
        {**good, "amount": 1e20},
        {**good, "end_date": "2025-12-31"},
        {**good, "currency": "euro"},
        {**good, "status": "signed"},
    ):
        await assert_refused_unchanged(client, "POST", url, 422, contracts, json=bad)

    contract = (await client.post(url, json=good)).json()
    await assert_refused_unchanged(
        client, "PATCH", f"{url}/{contract['id']}", 422, contracts, json={"end_date": "2025-01-01"}
    )
    assert (await client.delete(f"{url}/{contract['id']}")).status_code == 204
    assert (await client.delete(f"{url}/{contract['id']}")).status_code == 404


async def test_deleting_a_company_unlinks_its_contacts(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    company = await new_company(client, unique("Closing"), vat_number=enterprise_number())
    staff = await new_contact(client, "Sam", "Staff")
    await client.put(f"/companies/{company['id']}/contacts/{staff}", json={"role": "owner"})
    await client.post(
        f"/companies/{company['id']}/contracts", json={"start_date": "2026-01-01", "amount": "1"}
    )
    assert (await client.delete(f"/companies/{company['id']}")).status_code == 204
    assert (await client.get(f"/companies/{company['id']}")).status_code == 404
    assert (await client.get(f"/contacts/{staff}")).status_code == 200
    unlinked = (await topic_tail.events_about(staff, count=3))[-1]
    assert unlinked["data"]["reason"] == "company_deleted"
    assert summary(await topic_tail.events_about(company["id"], count=2)) == [
        ("company.created", 1),
        ("company.deleted", 2),
    ]
    # Its VAT number is free again.
    again = await new_company(client, "Reopened", vat_number=company["vat_number"])
    assert again["vat_number"] == company["vat_number"]
    await client.delete(f"/companies/{again['id']}")


async def test_companies_export_as_csv(client: httpx.AsyncClient) -> None:
    company = await new_company(client, unique("Exported"), vat_number=enterprise_number())
    first = await new_contact(client, "Ed", "Export")
    second = await new_contact(client, "Flo", "Export")
    for contact in (first, second):
        await client.put(f"/companies/{company['id']}/contacts/{contact}", json={"role": "staff"})
    await client.post(
        f"/companies/{company['id']}/contracts", json={"start_date": "2026-01-01", "amount": "5"}
    )
    response = await client.get("/companies/export.csv")
    assert response.status_code == 200
    rows = [
        row
        for row in csv.DictReader(io.StringIO(response.text))
        if row["company_id"] == company["id"]
    ]
    assert {row["contact_id"] for row in rows} == {first, second}
    assert {(row["vat_number"], row["contracts"]) for row in rows} == {(company["vat_number"], "1")}
