"""Consumer partitions and API requests changing the same lists at once still converge,
with gap-free sequences: the lock order in db_models at work."""

import asyncio
import uuid
from collections import Counter

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_newsletters.db_models import Subscription
from kring_platform.testing import eventually, runtime_of

from .helpers import create_list, subscribers
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration


async def test_members_joining_while_the_list_is_linked_and_unlinked(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    name = f"Crowd {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, f"Crowd letter {unique}")
    crowd = [uuid.uuid4() for _ in range(40)]

    async def join_all() -> None:
        for i, contact in enumerate(crowd):
            await feed.contact("Crowd", f"Member{i}", f"m{i}@example.org", contact_id=contact)
            await feed.join(contact, group, name)

    joining = asyncio.create_task(join_all())
    toggles = 0
    while not joining.done() or toggles < 3:
        linked = await client.put(
            f"/lists/{mailing_list['id']}/group", json={"group_id": str(group)}
        )
        assert linked.status_code in (200, 404)  # 404 until group.created is applied
        assert (await client.delete(f"/lists/{mailing_list['id']}/group")).status_code == 204
        toggles += 1
    await joining
    await eventually(
        lambda: client.put(f"/lists/{mailing_list['id']}/group", json={"group_id": str(group)}),
        until=lambda response: response.status_code == 200,
    )

    await eventually(
        lambda: subscribers(client, mailing_list["id"]), until=lambda s: s == set(crowd)
    )
    async with runtime_of(app).database.transaction() as session:
        rows = await session.execute(
            select(Subscription.id, Subscription.version).where(
                Subscription.list_id == uuid.UUID(mailing_list["id"])
            )
        )
        versions = {row.id: row.version for row in rows}
    assert len(versions) == len(crowd)

    def sequences_complete() -> bool:
        counts = Counter(e.subject for _, e in published.received)
        return all(counts[str(s)] >= v for s, v in versions.items())

    await eventually(sequences_complete)
    for subscription_id, version in versions.items():
        assert [e.sequence for e in published.about(subscription_id)] == list(range(1, version + 1))


async def test_a_group_and_a_list_of_one_name_created_at_once_link(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    for i in range(8):
        name = f"Twin {unique} {i}"
        group = uuid.uuid4()
        _, created = await asyncio.gather(
            feed.group(name, group_id=group), client.post("/lists", json={"name": name.upper()})
        )
        assert created.status_code == 201
        await eventually(
            lambda list_id=created.json()["id"]: client.get(f"/lists/{list_id}"),
            until=lambda response, group=group: response.json()["group_id"] == str(group),
        )
