"""Erasure: every personal value of the contact (and of the contacts merged into it) leaves
every table of the service, the outbox's kept payloads included; `contact.erased` goes out;
erasing again changes nothing. And the access request's answer."""

import asyncio
import uuid

import httpx
import pytest

from kring_platform.testing import TopicTail, find_values

from .helpers import new_contact_body, unique_birth_date, unique_iban, unique_phone

pytestmark = pytest.mark.integration


def person(marker: str) -> dict[str, object]:
    """A contact whose every value is this test's own, so finding one anywhere is a leak."""
    return {
        "first_name": f"Ysolde{marker}",
        "last_name": f"Quenneville{marker}",
        "emails": [f"ysolde.{marker}@example.org"],
        "phone": unique_phone(),
        "address": {
            "street": f"Zonnebloemstraat{marker}",
            "number": "17",
            "postcode": f"P{marker[:6]}",
            "city": f"Oudenburg{marker}",
            "country": "BE",
        },
        "iban": unique_iban(),
        "birth_date": str(unique_birth_date()),
        "notes": f"Allergic to wasps {marker}",
    }


def searched_values(contact: dict[str, object]) -> list[str]:
    """The values as they could be stored anywhere (names, e-mail, phone digits, IBAN, ...)."""
    address = contact["address"]
    assert isinstance(address, dict)
    phone = str(contact["phone"])
    return [
        str(contact["first_name"]),
        str(contact["last_name"]),
        *(str(email) for email in contact["emails"]),  # type: ignore[attr-defined]
        phone,
        "".join(ch for ch in phone if ch.isdigit()),
        str(address["street"]),
        str(address["postcode"]),
        str(address["city"]),
        str(contact["iban"]),
        str(contact["notes"]),
    ]


async def test_erasure_leaves_no_value_anywhere(
    client: httpx.AsyncClient, database_url: str, topic_tail: TopicTail
) -> None:
    marker = uuid.uuid4().hex[:8]
    contact = await new_contact_body(client, **person(marker))
    # A tombstone merged into it holds the same person's values as entered before.
    earlier = await new_contact_body(client, **{**person(marker), "notes": f"Old record {marker}"})
    merged = await client.post(
        f"/contacts/{contact['id']}/merge", json={"duplicate_id": earlier["id"]}
    )
    assert merged.status_code == 200, merged.text
    group = (await client.post("/groups", json={"name": f"Erasure {marker}"})).json()
    await client.put(f"/groups/{group['id']}/members/{contact['id']}")
    changed = await client.patch(f"/contacts/{contact['id']}", json={"last_name": f"Q{marker}x"})
    assert changed.status_code == 200
    values = [*searched_values(contact), *searched_values(earlier), f"Q{marker}x"]
    assert await asyncio.to_thread(find_values, database_url, values)  # the test can fail

    response = await client.post(f"/contacts/{contact['id']}/erasure")
    assert response.status_code == 201, response.text
    report = response.json()
    assert set(report["erased_contact_ids"]) == {contact["id"], earlier["id"]}

    assert await asyncio.to_thread(find_values, database_url, values) == []
    assert (await client.get(f"/contacts/{contact['id']}")).status_code == 404
    members = (await client.get(f"/groups/{group['id']}/members")).json()
    assert members["total"] == 0

    events = await topic_tail.events_about(contact["id"], count=5)
    assert [e["type"].removeprefix("kring.contacts.") for e in events][-2:] == [
        "group_member.removed",
        "contact.erased",
    ]
    assert events[-1]["data"] == {"contact_id": contact["id"]}
    tombstone_events = await topic_tail.events_about(earlier["id"], count=3)
    assert tombstone_events[-1]["type"] == "kring.contacts.contact.erased"

    again = await client.post(f"/contacts/{contact['id']}/erasure")
    assert again.status_code == 200
    assert again.json()["erased_at"] == report["erased_at"]
    assert len(await topic_tail.events_about(contact["id"], count=len(events))) == len(events)


async def test_a_merged_id_is_erased_through_its_survivor(client: httpx.AsyncClient) -> None:
    survivor, duplicate = await new_contact_body(client), await new_contact_body(client)
    await client.post(f"/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]})
    response = await client.post(f"/contacts/{duplicate['id']}/erasure")
    assert response.status_code == 410
    assert response.json()["merged_into"] == survivor["id"]
    unknown = await client.post(f"/contacts/{uuid.uuid4()}/erasure")
    assert unknown.status_code == 404


async def test_personal_data_holds_everything_on_the_person(client: httpx.AsyncClient) -> None:
    marker = uuid.uuid4().hex[:8]
    contact = await new_contact_body(client, **person(marker))
    earlier = await new_contact_body(client, first_name="Old", last_name=f"Record{marker}")
    await client.post(f"/contacts/{contact['id']}/merge", json={"duplicate_id": earlier["id"]})
    group = (await client.post("/groups", json={"name": f"Access {marker}"})).json()
    await client.put(f"/groups/{group['id']}/members/{contact['id']}")

    response = await client.get(f"/contacts/{contact['id']}/personal-data")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["service"] == "contacts"
    assert data["erased_at"] is None
    assert data["contact"]["first_name"] == contact["first_name"]
    assert data["contact"]["iban"] == contact["iban"]
    assert data["contact"]["notes"] == contact["notes"]
    assert [m["contact_id"] for m in data["merged_contacts"]] == [earlier["id"]]
    assert data["merged_contacts"][0]["contact"]["last_name"] == f"Record{marker}"
    assert [g["group_id"] for g in data["groups"]] == [group["id"]]
    assert {e["type"] for e in data["events"]} >= {
        "kring.contacts.contact.created",
        "kring.contacts.group_member.added",
    }
    gone = await client.get(f"/contacts/{earlier['id']}/personal-data")
    assert gone.status_code == 410

    await client.post(f"/contacts/{contact['id']}/erasure")
    erased = (await client.get(f"/contacts/{contact['id']}/personal-data")).json()
    assert erased["erased_at"] is not None
    assert erased["contact"]["first_name"] == "" and erased["contact"]["emails"] == []
    assert erased["groups"] == []
