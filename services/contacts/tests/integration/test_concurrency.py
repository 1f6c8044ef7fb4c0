"""Concurrent requests on the same contacts and groups: row locks keep events in order."""

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import select

from kring_contracts import CONTACTS_TOPIC
from kring_platform.db import Database
from kring_platform.event_tables import outbox

from .helpers import new_contact

pytestmark = pytest.mark.integration


async def new_group(client: httpx.AsyncClient) -> str:
    response = await client.post("/groups", json={"name": f"Concurrent {uuid.uuid4().hex}"})
    group_id: str = response.json()["id"]
    return group_id


async def test_adding_the_same_member_at_once_joins_once(client: httpx.AsyncClient) -> None:
    contact, group = await new_contact(client, "Con", "Current"), await new_group(client)
    responses = await asyncio.gather(
        *(client.put(f"/groups/{group}/members/{contact}") for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert (await client.get(f"/contacts/{contact}")).json()["version"] == 2


async def test_creating_the_same_group_name_at_once_creates_one(client: httpx.AsyncClient) -> None:
    name = f"Race {uuid.uuid4().hex}"
    responses = await asyncio.gather(
        *(client.post("/groups", json={"name": name}) for _ in range(6))
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5


async def test_membership_changes_racing_deletions_keep_sequences_whole(
    client: httpx.AsyncClient, database: Database
) -> None:
    groups = [await new_group(client) for _ in range(3)]
    contacts = [await new_contact(client, "Con", "Current") for _ in range(6)]
    requests = [
        client.put(f"/groups/{group}/members/{contact}") for group in groups for contact in contacts
    ]
    requests += [client.delete(f"/groups/{groups[0]}"), client.delete(f"/contacts/{contacts[0]}")]
    requests += [
        client.patch(f"/contacts/{contact}", json={"notes": "busy"}) for contact in contacts
    ]
    responses = await asyncio.wait_for(asyncio.gather(*requests), timeout=60)
    assert {r.status_code for r in responses} <= {200, 201, 204, 404}

    # Each contact's and group's events carry 1..version, without gaps or repeats.
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(outbox.c.aggregateid, outbox.c.payload["sequence"].as_integer())
                .where(outbox.c.aggregateid.in_([*groups, *contacts]))
                .where(outbox.c.topic == CONTACTS_TOPIC)  # not the state topics' snapshots
                .order_by(outbox.c.position)
            )
        ).all()
    sequences: dict[str, list[int]] = {}
    for subject, sequence in rows:
        sequences.setdefault(subject, []).append(sequence)
    assert set(sequences) == {*groups, *contacts}
    for subject, seen in sequences.items():
        assert seen == list(range(1, len(seen) + 1)), subject
    for contact in contacts[1:]:
        version = (await client.get(f"/contacts/{contact}")).json()["version"]
        assert version == len(sequences[contact])
