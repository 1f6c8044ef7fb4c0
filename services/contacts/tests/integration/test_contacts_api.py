"""Creating, reading, changing and deleting contacts over HTTP."""

import uuid

import httpx
import pytest

from .helpers import assert_gone, new_contact_body

pytestmark = pytest.mark.integration

JOSE = {
    "first_name": "José",
    "last_name": "García",
    "emails": ["Jose.Garcia@Example.org"],
    "phone": "+32 470 12 34 56",
    "address": {
        "street": "Kerkstraat",
        "number": "12",
        "postcode": "9000",
        "city": "Gent",
        "country": "be",
    },
    "iban": "be68 5390 0754 7034",
    "birth_date": "1980-05-17",
    "notes": "Prefers e-mail.",
}


async def test_create_and_read_a_contact(client: httpx.AsyncClient) -> None:
    created = await new_contact_body(client, **JOSE)
    assert created["emails"] == ["jose.garcia@example.org"]
    assert created["iban"] == "BE68539007547034"
    assert (created["phone"], created["phone_display"]) == ("+32470123456", "0470 12 34 56")
    assert created["address"]["country"] == "BE"
    assert created["version"] == 1

    response = await client.get(f"/contacts/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


async def test_patch_changes_only_the_fields_sent(client: httpx.AsyncClient) -> None:
    created = await new_contact_body(client, **JOSE)
    response = await client.patch(
        f"/contacts/{created['id']}",
        json={"phone": None, "address": {"city": "Gent-Centrum"}, "emails": []},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["phone"] is None
    assert updated["emails"] == []
    assert updated["address"] == {**created["address"], "city": "Gent-Centrum"}
    assert updated["first_name"] == "José" and updated["iban"] == created["iban"]
    assert updated["version"] == created["version"] + 1


async def test_patch_address_null_clears_it(client: httpx.AsyncClient) -> None:
    created = await new_contact_body(client, **JOSE)
    response = await client.patch(f"/contacts/{created['id']}", json={"address": None})
    assert response.json()["address"] == dict.fromkeys(
        ("street", "number", "postcode", "city", "country")
    )


async def test_a_patch_that_changes_nothing_keeps_the_version(client: httpx.AsyncClient) -> None:
    created = await new_contact_body(client, **JOSE)
    for same in (
        {},
        {"first_name": "José"},
        {"iban": "BE68539007547034"},
        {"address": {"city": "Gent"}},
    ):
        response = await client.patch(f"/contacts/{created['id']}", json=same)
        assert response.status_code == 200
        assert response.json() == created


async def test_a_deleted_contact_is_gone(client: httpx.AsyncClient) -> None:
    created = await new_contact_body(client)
    assert (await client.delete(f"/contacts/{created['id']}")).status_code == 204
    await assert_gone(
        client.get(f"/contacts/{created['id']}"),
        client.patch(f"/contacts/{created['id']}", json={"notes": "x"}),
        client.delete(f"/contacts/{created['id']}"),
        client.get(f"/contacts/{created['id']}/groups"),
    )


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/contacts/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    response = await client.get("/contacts/not-a-uuid")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "path.contact_id"


async def test_list_is_sorted_by_last_then_first_name_and_paged(client: httpx.AsyncClient) -> None:
    marker = uuid.uuid4().hex[:8]
    for first, last in [("Bert", "Zz" + marker), ("Anna", "Zz" + marker), ("Carl", "Zy" + marker)]:
        await new_contact_body(client, first_name=first, last_name=last)
    deleted = await new_contact_body(client, first_name="Dora", last_name="Zz" + marker)
    await client.delete(f"/contacts/{deleted['id']}")

    names: list[tuple[str, str]] = []
    offset = 0
    while True:
        page = (await client.get("/contacts", params={"limit": 50, "offset": offset})).json()
        names += [(item["last_name"], item["first_name"]) for item in page["items"]]
        offset += 50
        if offset >= page["total"]:
            break
    mine = [name for name in names if name[0].endswith(marker)]
    assert mine == [("Zy" + marker, "Carl"), ("Zz" + marker, "Anna"), ("Zz" + marker, "Bert")]
    assert len(names) == page["total"]
