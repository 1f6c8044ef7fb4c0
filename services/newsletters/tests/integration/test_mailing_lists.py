"""Mailing lists through the API: names, paging, deletion, and concurrent requests."""

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_newsletters.db_models import Subscription
from kring_platform.event_tables import outbox
from kring_platform.testing import runtime_of

from .helpers import create_list, known_contact, subscribe, subscribers, subscription_of
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


async def test_names_are_unique_ignoring_case_and_freed_by_deletion(
    client: httpx.AsyncClient, unique: str
) -> None:
    first = await create_list(client, f"Members {unique}")
    clash = await client.post("/lists", json={"name": f"MEMBERS {unique}"})
    assert clash.status_code == 409
    assert clash.json()["name"] == f"MEMBERS {unique}"

    # Changing only the case of its own name is a rename, not a clash.
    recased = await client.patch(f"/lists/{first['id']}", json={"name": f"members {unique}"})
    assert recased.status_code == 200
    assert recased.json()["name"] == f"members {unique}"

    assert (await client.delete(f"/lists/{first['id']}")).status_code == 204
    again = await create_list(client, f"Members {unique}")
    assert again["id"] != first["id"]


async def test_lists_are_paged_by_name(client: httpx.AsyncClient, unique: str) -> None:
    for letter in "cab":
        await create_list(client, f"zz {unique} {letter}")
    everything = (await client.get("/lists", params={"limit": 500})).json()
    mine = [item["name"] for item in everything["items"] if unique in item["name"]]
    assert mine == [f"zz {unique} a", f"zz {unique} b", f"zz {unique} c"]
    assert everything["total"] >= 3

    page = (await client.get("/lists", params={"limit": 1, "offset": 1})).json()
    assert (len(page["items"]), page["limit"], page["offset"]) == (1, 1, 1)
    assert page["total"] == everything["total"]


async def test_deleting_a_list_ends_its_subscriptions(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    mailing_list = await create_list(client, f"Short lived {unique}")
    jan = await known_contact(app, feed, "Jan", "Jacobs", "jan@example.org")
    await subscribe(client, mailing_list["id"], jan)
    assert await subscribers(client, mailing_list["id"]) == {jan}

    assert (await client.delete(f"/lists/{mailing_list['id']}")).status_code == 204
    ended = await subscription_of(app, mailing_list["id"], jan)
    assert (ended.active, ended.end_reason) == (False, "list_deleted")
    standing = (await client.get(f"/contacts/{jan}/subscriptions")).json()
    assert standing["items"] == []  # a deleted list is not shown


async def test_concurrent_subscribes_make_one_subscription(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    mailing_list = await create_list(client, f"Rush {unique}")
    kim = await known_contact(app, feed, "Kim", "Kools", "kim@example.org")

    responses = await asyncio.gather(
        *(subscribe(client, mailing_list["id"], kim) for _ in range(10))
    )
    assert {response.status_code for response in responses} == {200}
    async with runtime_of(app).database.transaction() as session:
        rows = await session.scalar(
            select(func.count())
            .select_from(Subscription)
            .where(Subscription.list_id == uuid.UUID(mailing_list["id"]))
        )
    assert rows == 1
    assert (await subscription_of(app, mailing_list["id"], kim)).version == 1


async def test_concurrent_creations_of_one_name_make_one_list(
    client: httpx.AsyncClient, unique: str
) -> None:
    responses = await asyncio.gather(
        *(client.post("/lists", json={"name": f"Race {unique}"}) for _ in range(8))
    )
    assert sorted(response.status_code for response in responses) == [201] + [409] * 7


async def test_concurrent_opt_outs_and_subscribes_keep_the_sequence(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    """Each flip gets the next version, whatever the interleaving."""
    mailing_list = await create_list(client, f"Toggle {unique}")
    lea = await known_contact(app, feed, "Lea", "Lambrechts", "lea@example.org")
    path = f"/lists/{mailing_list['id']}/subscribers"
    calls = []
    for _ in range(5):
        calls.append(client.post(path, json={"contact_id": str(lea)}))
        calls.append(client.delete(f"{path}/{lea}"))
    await asyncio.gather(*calls)
    subscription = await subscription_of(app, mailing_list["id"], lea)
    async with runtime_of(app).database.transaction() as session:
        sequences = (
            await session.scalars(
                select(outbox.c.payload["sequence"].as_integer())
                .where(outbox.c.aggregateid == str(subscription.id))
                .order_by(outbox.c.position)
            )
        ).all()
    assert sequences == list(range(1, subscription.version + 1))
