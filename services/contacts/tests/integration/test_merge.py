"""Merging a duplicate into a contact: the survivor's fields, groups, family and memberships,
the tombstone answering 410, and the events of both contacts."""

import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import TopicTail, wait_applied

from .helpers import new_contact_body, pairs_among, same_iban_pair, unique_iban, unique_phone
from .memberships_feed import MembershipsFeed

pytestmark = pytest.mark.integration


def kinds(events: list[dict[str, object]]) -> list[str]:
    return [str(event["type"]).removeprefix("kring.contacts.") for event in events]


async def new_group(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/groups", json={"name": f"Merge {uuid.uuid4().hex[:8]}"})
    assert response.status_code == 201, response.text
    group: dict[str, str] = response.json()
    return group


async def test_a_merge_moves_everything_to_the_survivor(
    app: FastAPI,
    client: httpx.AsyncClient,
    topic_tail: TopicTail,
    memberships_feed: MembershipsFeed,
) -> None:
    marker = uuid.uuid4().hex[:8]
    survivor = await new_contact_body(
        client,
        first_name="Ann",
        last_name=f"Peeters{marker}",
        emails=[f"ann.{marker}@example.org"],
        notes="Prefers e-mail.",
    )
    duplicate = await new_contact_body(
        client,
        first_name="Anna",
        last_name=f"Peters{marker}",
        emails=[f"anna.{marker}@example.org", f"ann.{marker}@example.org"],
        phone=unique_phone(),
        iban=unique_iban(),
        address={"street": "Kerkstraat", "number": "1", "postcode": "9000", "city": "Gent"},
        birth_date="1980-05-04",
        notes="Came through the website.",
    )
    only_duplicate, both = await new_group(client), await new_group(client)
    for group, contact in ((only_duplicate, duplicate), (both, duplicate), (both, survivor)):
        added = await client.put(f"/groups/{group['id']}/members/{contact['id']}")
        assert added.status_code == 201
    family = await client.post("/families", json={"name": f"Peeters {marker}"})
    assert family.status_code == 201, family.text
    linked = await client.put(
        f"/families/{family.json()['id']}/members/{duplicate['id']}", json={"role": "parent"}
    )
    assert linked.status_code == 201, linked.text
    type_id = uuid.uuid4()
    await wait_applied(app, await memberships_feed.create_type(f"Senior {marker}", type_id))
    registered = await memberships_feed.register(
        uuid.UUID(duplicate["id"]), type_id, date(2020, 1, 1)
    )
    await wait_applied(app, registered)

    response = await client.post(
        f"/contacts/{survivor['id']}/merge",
        json={"duplicate_id": duplicate["id"], "take_from_duplicate": ["first_name"]},
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["first_name"] == "Anna"  # asked for
    assert merged["last_name"] == f"Peeters{marker}"  # the survivor's by default
    assert merged["emails"] == [f"ann.{marker}@example.org", f"anna.{marker}@example.org"]
    # Gaps are filled from the duplicate.
    assert (merged["phone"], merged["iban"], merged["birth_date"]) == (
        duplicate["phone"],
        duplicate["iban"],
        "1980-05-04",
    )
    assert merged["address"]["street"] == "Kerkstraat"
    assert merged["notes"] == "Prefers e-mail.\n\nCame through the website."
    assert merged["membership"]["status"] == "member"
    assert [t["id"] for t in merged["membership"]["types"]] == [str(type_id)]

    groups = (await client.get(f"/contacts/{survivor['id']}/groups")).json()["items"]
    assert {group["id"] for group in groups} == {only_duplicate["id"], both["id"]}
    family_now = await client.get(f"/contacts/{survivor['id']}/family")
    assert family_now.status_code == 200, family_now.text
    assert family_now.json()["family_id"] == family.json()["id"]

    gone = await client.get(f"/contacts/{duplicate['id']}")
    assert gone.status_code == 410
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.json()["merged_into"] == survivor["id"]
    patched = await client.patch(f"/contacts/{duplicate['id']}", json={"first_name": "X"})
    assert patched.status_code == 410
    again = await client.post(
        f"/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert again.status_code == 410

    duplicate_events = await topic_tail.events_about(duplicate["id"], count=8)
    assert kinds(duplicate_events)[-4:] == [
        "group_member.removed",
        "group_member.removed",
        "family_member.unlinked",
        "contact.merged",
    ]
    assert duplicate_events[-1]["data"] == {
        "contact_id": duplicate["id"],
        "into_contact_id": survivor["id"],
    }
    sequences = [event["sequence"] for event in duplicate_events]
    assert sequences == list(range(1, len(sequences) + 1))
    survivor_events = await topic_tail.events_about(survivor["id"], count=5)
    assert kinds(survivor_events)[-3:] == [
        "contact.updated",
        "group_member.added",
        "family_member.linked",
    ]
    assert survivor_events[-3]["data"]["changed_fields"] == [
        "first_name",
        "emails",
        "phone",
        "address",
        "iban",
        "birth_date",
        "notes",
    ]
    assert survivor_events[-2]["data"]["group_id"] == only_duplicate["id"]


async def test_a_merged_pair_is_no_duplicate_any_more(client: httpx.AsyncClient) -> None:
    first, second = await same_iban_pair(client)
    ids = {str(first["id"]), str(second["id"])}
    assert len(await pairs_among(client, ids)) == 1
    response = await client.post(
        f"/contacts/{first['id']}/merge", json={"duplicate_id": second["id"]}
    )
    assert response.status_code == 200
    assert await pairs_among(client, ids) == {}


async def test_chains_of_merges_name_the_last_survivor(client: httpx.AsyncClient) -> None:
    first, second, third = [await new_contact_body(client) for _ in range(3)]
    for survivor, duplicate in ((second, first), (third, second)):
        response = await client.post(
            f"/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
        )
        assert response.status_code == 200, response.text
    for old in (first, second):
        gone = await client.get(f"/contacts/{old['id']}")
        assert gone.json()["merged_into"] == third["id"]


async def test_refused_merges_change_nothing(client: httpx.AsyncClient) -> None:
    contact = await new_contact_body(client)
    itself = await client.post(
        f"/contacts/{contact['id']}/merge", json={"duplicate_id": contact["id"]}
    )
    assert itself.status_code == 422
    unknown = await client.post(
        f"/contacts/{contact['id']}/merge", json={"duplicate_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404
    into_unknown = await client.post(
        f"/contacts/{uuid.uuid4()}/merge", json={"duplicate_id": contact["id"]}
    )
    assert into_unknown.status_code == 404
    bad_field = await client.post(
        f"/contacts/{contact['id']}/merge",
        json={"duplicate_id": str(uuid.uuid4()), "take_from_duplicate": ["notes"]},
    )
    assert bad_field.status_code == 422
    after = await client.get(f"/contacts/{contact['id']}")
    assert after.status_code == 200
    assert after.json()["version"] == contact["version"]


async def test_a_late_membership_of_the_duplicate_lands_on_the_survivor(
    app: FastAPI, client: httpx.AsyncClient, memberships_feed: MembershipsFeed
) -> None:
    """A membership event sent before the memberships service applied the merge still names
    the duplicate: the read model files it under the survivor."""
    survivor, duplicate = await new_contact_body(client), await new_contact_body(client)
    merged = await client.post(
        f"/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert merged.status_code == 200
    type_id = uuid.uuid4()
    await wait_applied(app, await memberships_feed.create_type(f"Late {type_id.hex[:8]}", type_id))
    await wait_applied(
        app, await memberships_feed.register(uuid.UUID(duplicate["id"]), type_id, date(2021, 1, 1))
    )
    survivor_now = (await client.get(f"/contacts/{survivor['id']}")).json()
    assert [t["id"] for t in survivor_now["membership"]["types"]] == [str(type_id)]
