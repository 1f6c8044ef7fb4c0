"""Group changes from the consumer's partitions, grants and membership changes from the API,
all at once: afterwards the access read by the API, the last published set per contact and
a recomputation from scratch agree, and no set was published twice in a row."""

import asyncio
import itertools
import random
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_memberships.db_models import AccessState
from kring_platform.testing import eventually, runtime_of, wait_applied
from kring_platform.testing.resending import ResendingAsyncTransport

from .helpers import create_type, new_contact, new_group, rights_of
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration

RIGHTS = ["website.members", "facility.gym", "bar.tab"]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """This module's client resends as a client does: a change that met a concurrent one (a
    deadlock victim) is answered 503 "Try again" and changed nothing, so it is sent again.
    The batched consumer holds several contacts' rows in one transaction, which makes such a
    meeting more likely."""
    transport = ResendingAsyncTransport(httpx.ASGITransport(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://memberships") as client:
        yield client


async def test_a_burst_of_changes_converges_without_duplicate_events(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    rng = random.Random(4)
    people = [await new_contact(app, feed, "Race", f"{unique}-{i}") for i in range(12)]
    groups = {
        await new_group(app, feed, f"Race {unique} {g}"): f"Race {unique} {g}" for g in range(3)
    }
    types = [
        await create_type(client, f"Race {unique} {t}", term_kind="rolling", rights=[RIGHTS[t]])
        for t in range(2)
    ]
    memberships: dict[tuple[uuid.UUID, str], str] = {}

    async def group_changes() -> None:
        for _ in range(80):
            group, name = rng.choice(list(groups.items()))
            person = rng.choice(people)
            if rng.random() < 0.6:
                await feed.join(person, group, name)
            else:
                await feed.leave(person, group, name)

    async def grant_changes() -> None:
        for _ in range(30):
            group, right = rng.choice(list(groups)), rng.choice(RIGHTS)
            if rng.random() < 0.6:
                response = await client.put(f"/groups/{group}/rights/{right}")
                assert response.status_code in (200, 201), response.text
            else:
                response = await client.delete(f"/groups/{group}/rights/{right}")
                assert response.status_code in (204, 404), response.text

    async def membership_changes() -> None:
        for _ in range(40):
            person, kind = rng.choice(people), rng.choice(types)
            key = (person, kind["id"])
            if key not in memberships:
                response = await client.post(
                    "/memberships",
                    json={
                        "contact_id": str(person),
                        "type_id": kind["id"],
                        "start_date": "2026-01-01",
                    },
                )
                assert response.status_code == 201, response.text
                memberships[key] = response.json()["id"]
            else:
                response = await client.delete(f"/memberships/{memberships.pop(key)}")
                assert response.status_code == 204, response.text

    async def type_changes() -> None:
        for _ in range(10):
            kind = rng.choice(types)
            rights = rng.sample(RIGHTS, rng.randint(0, 2))
            response = await client.patch(
                f"/membership-types/{kind['id']}", json={"rights": rights}
            )
            assert response.status_code == 200, response.text

    await asyncio.gather(group_changes(), grant_changes(), membership_changes(), type_changes())
    # Each person's events are ordered in one partition: when a last one of each is
    # applied, the consumer has applied everything sent before it.
    marker_group, marker_name = next(iter(groups.items()))
    for person in people:
        await wait_applied(app, await feed.leave(person, marker_group, marker_name))

    recomputed = await client.post("/access/recompute")
    assert recomputed.json()["changed"] == 0
    async with runtime_of(app).database.transaction() as session:
        states = {
            s.contact_id: (list(s.rights), s.version)
            for s in await session.scalars(
                select(AccessState).where(AccessState.contact_id.in_(people))
            )
        }
    for person in people:
        rights, version = states.get(person, ([], 0))
        assert await rights_of(client, person) == rights
        events = await eventually(
            lambda p=person: [
                e for e in published.about(p) if e.type == "kring.access.access.changed"
            ],
            until=lambda found, v=version: len(found) >= v,
        )
        assert [e.sequence for e in events] == list(range(1, version + 1))
        sets = [e.data["rights"] for e in events]
        assert (sets[-1] if sets else []) == rights
        assert all(a != b for a, b in itertools.pairwise(sets)), sets
        assert (sets[0] if sets else None) != []  # never an empty set as the first news
    assert any(version > 2 for _, version in states.values())
