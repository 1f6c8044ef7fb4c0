"""Access survives a crash: a burst of group and membership changes while the memberships
service is killed with SIGKILL and started again. After convergence, for every contact, the
access the API reads, the last AccessChanged event published and a recomputation from
scratch (from what the contacts and memberships APIs hold) are the same set, and the events'
sequences have no gap."""

import asyncio
import itertools
import random
import signal
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta

import httpx
import pytest

from kring_contracts import Envelope
from kring_platform.testing import eventually

from .api import create_contact, create_group, group_members
from .conftest import RunningSystem
from .memberships_api import (
    access_events,
    create_type,
    effective_rights,
    grant,
    memberships_client,
    retry_until_up,
)

pytestmark = pytest.mark.e2e

CHANGES = 600
CONTACTS = 40
WORKERS = 8
GROUP_RIGHTS = {0: ["website.members"], 1: ["facility.gym", "bar.tab"], 2: []}
TYPE_RIGHTS = {0: ["website.members", "facility.pool"], 1: ["facility.gym"]}


@pytest.fixture
async def memberships(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with memberships_client(system) as client:
        yield client


async def test_a_killed_memberships_service_publishes_the_access_a_recomputation_gives(
    system: RunningSystem,
    contacts: httpx.AsyncClient,
    memberships: httpx.AsyncClient,
    unique: str,
) -> None:
    rng = random.Random(20261124)
    groups = [await create_group(contacts, f"Access {unique} {g}") for g in GROUP_RIGHTS]
    for g, rights in GROUP_RIGHTS.items():
        for right in rights:
            await grant(memberships, groups[g], right)
    types = [
        await create_type(memberships, f"Access {unique} {t}", r) for t, r in TYPE_RIGHTS.items()
    ]
    people = [await create_contact(contacts, "Crash", f"Access{i}") for i in range(CONTACTS)]
    today = date.fromisoformat((await memberships.get("/calendar")).json()["today"])
    open_memberships: dict[tuple[str, str], str] = {}

    async def membership_change(person: str, type_id: str) -> None:
        key = (person, type_id)
        if key not in open_memberships:
            start = today - timedelta(days=rng.randint(0, 30))
            body = {"contact_id": person, "type_id": type_id, "start_date": start.isoformat()}
            response = await retry_until_up(lambda: memberships.post("/memberships", json=body))
            # 409: entered before the crash took the answer, or an earlier one still runs;
            # 422: the contact's creation has not reached the service yet.
            assert response.status_code in (201, 409, 422), response.text
            if response.status_code == 201:
                open_memberships[key] = response.json()["id"]
            return
        membership = open_memberships.pop(key)
        if rng.random() < 0.5:
            path, body = (
                f"/memberships/{membership}/end",
                {
                    "end_date": (today - timedelta(days=1)).isoformat(),
                    "reason": "resigned",
                },
            )
            response = await retry_until_up(lambda: memberships.post(path, json=body))
            assert response.status_code in (200, 409, 422), response.text
        else:
            response = await retry_until_up(
                lambda: memberships.delete(f"/memberships/{membership}")
            )
            assert response.status_code in (204, 404), response.text

    async def group_change(group: str, person: str) -> None:
        path = f"/groups/{group}/members/{person}"
        if rng.random() < 0.6:
            response = await retry_until_up(lambda: contacts.put(path))
            assert response.status_code in (200, 201), response.text
        else:
            response = await retry_until_up(lambda: contacts.delete(path))
            assert response.status_code in (204, 404), response.text

    async def grant_change(group: str) -> None:
        right = rng.choice(["website.members", "facility.gym", "bar.tab", "facility.sauna"])
        path = f"/groups/{group}/rights/{right}"
        if rng.random() < 0.5:
            response = await retry_until_up(lambda: memberships.put(path))
            assert response.status_code in (200, 201), response.text
        else:
            response = await retry_until_up(lambda: memberships.delete(path))
            assert response.status_code in (204, 404), response.text

    def change() -> Callable[[], object]:
        roll = rng.random()
        person = rng.choice(people)
        if roll < 0.5:
            group = rng.choice(groups)
            return lambda: group_change(group, person)
        if roll < 0.9:
            type_id = rng.choice(types)
            return lambda: membership_change(person, type_id)
        group = rng.choice(groups)
        return lambda: grant_change(group)

    changes = [change() for _ in range(CHANGES)]

    async def apply_all(batch: list[Callable[[], object]]) -> None:
        queue = list(reversed(batch))

        async def worker() -> None:
            while queue:
                await queue.pop()()  # type: ignore[misc]

        await asyncio.gather(*(worker() for _ in range(WORKERS)))

    # Each crash starts while the next slice of changes is being applied: requests to the
    # service fail until it is back (and are retried), group changes wait in Kafka.
    faults: list[tuple[int, Callable[[], None]]] = [
        (150, lambda: system.restart("memberships", signal.SIGKILL)),
        (400, lambda: system.restart("memberships", signal.SIGKILL)),
    ]
    bounds = [0, *(at for at, _ in faults), CHANGES]
    fault_in_progress: asyncio.Task[None] | None = None
    for k, (start, end) in enumerate(itertools.pairwise(bounds)):
        await apply_all(changes[start:end])
        if fault_in_progress is not None:
            await fault_in_progress
        if k < len(faults):
            fault_in_progress = asyncio.create_task(asyncio.to_thread(faults[k][1]))

    expected = await recomputed_from_scratch(contacts, memberships, groups, types, people)
    assert any(expected.values())
    for person in people:
        await eventually(
            lambda p=person: effective_rights(memberships, p),
            until=lambda rights, p=person: rights == expected[p],
            timeout=120,
        )
    recomputed = await memberships.post("/access/recompute")
    assert recomputed.json()["changed"] == 0, recomputed.text

    def settled(events: dict[str, list[Envelope]]) -> bool:
        return all(
            (events[p][-1].data["rights"] if events[p] else []) == expected[p] for p in people
        )

    events = await eventually(lambda: access_events(set(people)), until=settled, timeout=120)
    for person in people:
        assert [e.sequence for e in events[person]] == list(range(1, len(events[person]) + 1))
        sets = [e.data["rights"] for e in events[person]]
        assert all(a != b for a, b in itertools.pairwise(sets)), sets


async def recomputed_from_scratch(
    contacts: httpx.AsyncClient,
    memberships: httpx.AsyncClient,
    groups: list[str],
    types: list[str],
    people: list[str],
) -> dict[str, list[str]]:
    """Each contact's rights today, from the sources of truth over HTTP: the groups' members
    (contacts), the groups' grants, the types' rights and the memberships active today."""
    rights: dict[str, set[str]] = {person: set() for person in people}
    for group in groups:
        response = await memberships.get(f"/groups/{group}/rights")
        granted = set(response.json()["rights"])
        for member in await group_members(contacts, group):
            if member in rights:
                rights[member] |= granted
    type_rights = {
        type_id: set((await memberships.get(f"/membership-types/{type_id}")).json()["rights"])
        for type_id in types
    }
    for person in people:
        response = await memberships.get(f"/contacts/{person}/memberships", params={"limit": 500})
        if response.status_code == 404:
            continue  # the contact has not reached the service: it holds no membership
        for membership in response.json()["items"]:
            if membership["status"] == "active":
                rights[person] |= type_rights[membership["type_id"]]
    return {person: sorted(found) for person, found in rights.items()}
