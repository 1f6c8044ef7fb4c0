"""Nothing lost, nothing doubled: 1,000 random group changes while the newsletters service
and the contacts service are killed with SIGKILL and the Kafka broker restarts. After
convergence every list's subscribers are exactly its group's members."""

import asyncio
import itertools
import random
import signal
from collections.abc import Awaitable, Callable

import httpx
import psycopg
import pytest

from kring_platform.testing import eventually
from kring_stack.kafka import restart_kafka
from kring_stack.postgres import admin_url

from .api import create_contact, create_group, create_list, group_members, subscribers
from .conftest import RunningSystem

pytestmark = pytest.mark.e2e

CHANGES = 1000
CONTACTS = 60
GROUPS = 4
WORKERS = 8


async def retry_until_up(call: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """Calls again while the service is down (it is being restarted by the chaos schedule)."""
    for _ in range(600):
        try:
            return await call()
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    raise AssertionError("the contacts service did not come back")


async def test_kills_and_a_broker_restart_lose_and_duplicate_nothing(
    system: RunningSystem,
    contacts: httpx.AsyncClient,
    newsletters: httpx.AsyncClient,
    unique: str,
) -> None:
    rng = random.Random(20261123)
    groups = [await create_group(contacts, f"Crash {unique} {g}") for g in range(GROUPS)]
    lists = {g: await create_list(newsletters, f"crash {unique} {i}") for i, g in enumerate(groups)}
    people = [await create_contact(contacts, "Crash", f"Test{i}") for i in range(CONTACTS)]
    changes = [(rng.choice(groups), rng.choice(people), rng.random() < 0.6) for _ in range(CHANGES)]

    async def apply_all(batch: list[tuple[str, str, bool]]) -> None:
        queue = list(reversed(batch))

        async def worker() -> None:
            while queue:
                await apply(queue.pop())

        await asyncio.gather(*(worker() for _ in range(WORKERS)))

    async def apply(change: tuple[str, str, bool]) -> None:
        group, person, join = change
        path = f"/groups/{group}/members/{person}"
        if join:
            response = await retry_until_up(lambda: contacts.put(path))
            assert response.status_code in (200, 201), response.text
        else:
            response = await retry_until_up(lambda: contacts.delete(path))
            assert response.status_code in (204, 404), response.text  # 404: was not a member

    # Each fault starts while the next slice of changes is being applied, and is over before
    # the slice after that begins, so every fault happens mid-run and none overlaps another.
    faults: list[tuple[int, Callable[[], None]]] = [
        (150, lambda: system.kill("newsletters")),
        (350, lambda: system.start("newsletters")),
        (500, lambda: system.restart("contacts", signal.SIGKILL)),  # its relay dies mid-batch
        (700, lambda: restart_kafka(system.profile)),
        (850, lambda: system.restart("newsletters", signal.SIGKILL)),
    ]
    bounds = [0, *(at for at, _ in faults), CHANGES]
    fault_in_progress: asyncio.Task[None] | None = None
    for k, (start, end) in enumerate(itertools.pairwise(bounds)):
        await apply_all(changes[start:end])
        if fault_in_progress is not None:
            await fault_in_progress
        if k < len(faults):
            fault_in_progress = asyncio.create_task(asyncio.to_thread(faults[k][1]))

    expected = {group: await group_members(contacts, group) for group in groups}
    assert sum(len(members) for members in expected.values()) > 0
    for group, mailing_list in lists.items():
        actual = await eventually(
            lambda ml=mailing_list: subscribers(newsletters, ml),
            until=lambda s, g=group: s == expected[g],
            timeout=120,
        )
        missing, extra = expected[group] - actual, actual - expected[group]
        assert (len(missing), len(extra)) == (0, 0)

    with psycopg.connect(admin_url(system.profile, system.databases["newsletters"])) as conn:
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT list_id, contact_id FROM subscriptions "
            "GROUP BY list_id, contact_id HAVING count(*) > 1) AS d"
        ).fetchone()
    assert doubled == (0,)
