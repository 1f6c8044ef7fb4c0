"""The duplicate scan: each kind of pair with its score and reasons, pairs that must not be
proposed, and dismissed pairs that stay away."""

import uuid
from datetime import date

import httpx
import pytest

from kring_contacts.merges.duplicates import REASON_POINTS, score_of

from .helpers import (
    new_contact_body,
    pairs_among,
    same_iban_pair,
    unique_birth_date,
    unique_iban,
    unique_phone,
)

pytestmark = pytest.mark.integration


def pair(*contacts: dict[str, object]) -> frozenset[str]:
    return frozenset(str(contact["id"]) for contact in contacts)


async def test_each_kind_of_pair_is_found_with_its_score(client: httpx.AsyncClient) -> None:
    marker = uuid.uuid4().hex[:8]
    email = f"shared.{marker}@example.org"
    phone = unique_phone()
    born = unique_birth_date()
    street = f"Kerkstraat {marker}"

    by_email = [
        await new_contact_body(client, first_name="Ann", last_name=f"A{marker}", emails=[email]),
        await new_contact_body(
            client, first_name="Anne", last_name=f"B{marker}", emails=[email.upper()]
        ),
    ]
    # The same number typed two ways.
    by_phone = [
        await new_contact_body(client, phone=phone),
        await new_contact_body(client, phone="0" + phone.removeprefix("+32 ").replace(" ", "/")),
    ]
    iban = unique_iban()
    by_iban = [
        await new_contact_body(client, iban=iban),
        await new_contact_body(client, iban=" ".join(iban[i : i + 4] for i in range(0, 16, 4))),
    ]
    by_name = [
        await new_contact_body(
            client, first_name="Jan", last_name="Vermeulen", birth_date=str(born)
        ),
        await new_contact_body(
            client, first_name="Jan", last_name="Vermeulem", birth_date=str(born)
        ),
    ]
    address = {"street": street, "number": "12", "postcode": "9000", "city": "Gent"}
    by_address = [
        await new_contact_body(client, first_name="Marie", last_name="Dubois", address=address),
        await new_contact_body(
            client,
            first_name="Mari",
            last_name="Dubois",
            address={**address, "street": street.upper(), "number": " 12 "},
        ),
    ]
    by_two_reasons = [
        await new_contact_body(client, emails=[f"both.{marker}@example.org"], phone=unique_phone()),
    ]
    by_two_reasons.append(
        await new_contact_body(
            client, emails=by_two_reasons[0]["emails"], phone=by_two_reasons[0]["phone"]
        )
    )
    # Not duplicates: a family at one address, namesakes born on other days.
    family = [
        await new_contact_body(client, first_name="Louis", last_name="Dubois", address=address),
    ]
    namesake = await new_contact_body(
        client, first_name="Jan", last_name="Vermeulen", birth_date=str(date(2001, 2, 3))
    )

    everyone = [*by_email, *by_phone, *by_iban, *by_name, *by_address, *by_two_reasons]
    found = await pairs_among(client, {str(c["id"]) for c in [*everyone, *family, namesake]})

    expected = {
        pair(*by_email): ["same_email"],
        pair(*by_phone): ["same_phone"],
        pair(*by_iban): ["same_iban"],
        pair(*by_name): ["similar_name_same_birth_date"],
        pair(*by_address): ["same_address_similar_name"],
        pair(*by_two_reasons): ["same_email", "same_phone"],
    }
    assert {key: item["reasons"] for key, item in found.items()} == expected
    for key, reasons in expected.items():
        assert found[key]["score"] == score_of(reasons)
        ids = [contact["id"] for contact in found[key]["contacts"]]
        assert ids == sorted(ids, key=uuid.UUID)  # the smaller id first
    assert found[pair(*by_two_reasons)]["score"] == min(
        100, REASON_POINTS["same_email"] + REASON_POINTS["same_phone"]
    )


async def test_pairs_come_best_first_and_min_score_filters(client: httpx.AsyncClient) -> None:
    response = await client.get("/duplicates", params={"limit": 500})
    scores = [item["score"] for item in response.json()["items"]]
    assert scores == sorted(scores, reverse=True)
    threshold = REASON_POINTS["same_email"]
    filtered = (await client.get("/duplicates", params={"min_score": threshold})).json()
    assert all(item["score"] >= threshold for item in filtered["items"])
    assert 0 < filtered["total"] <= response.json()["total"]


async def test_a_key_shared_by_many_proposes_nothing(client: httpx.AsyncClient) -> None:
    iban = unique_iban()
    crowd = [await new_contact_body(client, iban=iban) for _ in range(4)]
    ids = {str(contact["id"]) for contact in crowd}
    assert len(await pairs_among(client, ids)) == 6  # every pair of four

    response = await client.get("/duplicates", params={"max_shared": 3, "limit": 500})
    assert response.status_code == 200
    assert not [
        item
        for item in response.json()["items"]
        if {contact["id"] for contact in item["contacts"]} <= ids
    ]


async def test_a_dismissed_pair_stays_away_until_the_dismissal_is_undone(
    client: httpx.AsyncClient,
) -> None:
    first, second = await same_iban_pair(client)
    ids = {str(first["id"]), str(second["id"])}
    assert len(await pairs_among(client, ids)) == 1

    dismissed = await client.post(
        "/duplicates/dismissals", json={"contact_ids": [second["id"], first["id"]]}
    )
    assert dismissed.status_code == 201, dismissed.text
    assert dismissed.json()["contact_ids"] == sorted(ids, key=uuid.UUID)
    again = await client.post(
        "/duplicates/dismissals", json={"contact_ids": [first["id"], second["id"]]}
    )
    assert again.status_code == 200
    assert await pairs_among(client, ids) == {}

    undone = await client.delete(f"/duplicates/dismissals/{first['id']}/{second['id']}")
    assert undone.status_code == 204
    assert len(await pairs_among(client, ids)) == 1
    gone = await client.delete(f"/duplicates/dismissals/{first['id']}/{second['id']}")
    assert gone.status_code == 404


async def test_a_dismissal_needs_two_live_contacts(client: httpx.AsyncClient) -> None:
    contact = await new_contact_body(client)
    itself = await client.post(
        "/duplicates/dismissals", json={"contact_ids": [contact["id"], contact["id"]]}
    )
    assert itself.status_code == 422
    assert itself.headers["content-type"] == "application/problem+json"
    unknown = await client.post(
        "/duplicates/dismissals", json={"contact_ids": [contact["id"], str(uuid.uuid4())]}
    )
    assert unknown.status_code == 404
    one = await client.post("/duplicates/dismissals", json={"contact_ids": [contact["id"]]})
    assert one.status_code == 422
    bad = await client.get("/duplicates", params={"min_score": 101})
    assert bad.status_code == 422
