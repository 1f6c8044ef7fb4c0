"""`contact.merged`: the duplicate's memberships, member number and access move to the
survivor; a membership that overlaps one of the survivor's of the same type is deleted;
and the personal-data answer."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.contacts import ContactMerged
from kring_platform.testing import eventually, wait_applied

from .conftest import TODAY
from .helpers import create_type, new_contact, register, rights_of
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration


async def personal_data(client: httpx.AsyncClient, contact_id: object) -> dict[str, object]:
    response = await client.get(f"/contacts/{contact_id}/personal-data")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_a_merge_moves_memberships_number_and_access(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    survivor = await new_contact(app, feed, "Ann", f"Peeters{unique}")
    duplicate = await new_contact(app, feed, "Anna", f"Peeters{unique}")
    senior = await create_type(client, f"Senior {unique}", rights=[f"gym-{unique}"])
    youth = await create_type(client, f"Youth {unique}", rights=[f"pool-{unique}"])
    season = date(TODAY.year - 1 if TODAY.month < 9 else TODAY.year, 9, 1)
    kept = await register(client, survivor, senior["id"], season)
    twice = await register(client, duplicate, senior["id"], season)  # entered twice
    moved = await register(client, duplicate, youth["id"], season)
    duplicate_number = (await personal_data(client, duplicate))["member_number"]
    assert await rights_of(client, duplicate) == sorted([f"gym-{unique}", f"pool-{unique}"])

    merged = ContactMerged(contact_id=duplicate, into_contact_id=survivor)
    await wait_applied(app, await feed.send(merged))

    survivor_data = await personal_data(client, survivor)
    memberships = survivor_data["memberships"]
    assert isinstance(memberships, list)
    assert {(m["membership_id"], m["deleted_at"] is None) for m in memberships} == {
        (kept["id"], True),
        (moved["id"], True),
        (twice["id"], False),
    }
    # The survivor keeps its own number; the duplicate's is retired.
    assert survivor_data["member_number"] == kept["member_number"] != duplicate_number
    duplicate_data = await personal_data(client, duplicate)
    assert duplicate_data["memberships"] == [] and duplicate_data["member_number"] is None
    assert duplicate_data["contact"] == {
        "first_name": "Anna",
        "last_name": f"Peeters{unique}",
        # The feed's contacts carry no e-mail, birth date or address.
        **dict.fromkeys(
            ["email", "birth_date", "street", "house_number", "postcode", "city", "country"]
        ),
        "deleted": True,
        "erased": False,
    }
    assert await rights_of(client, survivor) == sorted([f"gym-{unique}", f"pool-{unique}"])
    assert await rights_of(client, duplicate) == []
    await eventually(
        lambda: published.types_about(twice["id"]),
        until=lambda types: "membership.deleted" in types,
    )
    await eventually(lambda: published.access_of(duplicate), until=lambda sets: sets[-1:] == [[]])
    refused = await client.post(
        "/memberships",
        json={"contact_id": str(duplicate), "type_id": youth["id"], "start_date": "2030-01-01"},
    )
    assert refused.status_code == 422


async def test_the_number_of_a_duplicate_goes_to_a_survivor_without_one(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    survivor = await new_contact(app, feed)
    duplicate = await new_contact(app, feed)
    kind = await create_type(client, f"Supporter {unique}")
    registered = await register(client, duplicate, kind["id"], date(2020, 9, 1))
    await wait_applied(
        app, await feed.send(ContactMerged(contact_id=duplicate, into_contact_id=survivor))
    )
    assert (await personal_data(client, survivor))["member_number"] == registered["member_number"]
