"""A dependency goes away while requests flow, and comes back.

Postgres stopped and started again: every answer is 2xx or 503 problem+json with
Retry-After (never 500), readiness says 503 meanwhile, and the same service process answers
2xx again once the database is back (its pool drops the dead connections by itself).
Kafka stopped: writes keep answering 2xx (their events wait in the outbox), readiness stays
200, and the services' logs stay short (repeated warnings are throttled)."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from kring_platform.testing import eventually
from kring_stack.kafka import start_kafka, stop_kafka
from kring_stack.postgres import start_postgres, stop_postgres

from .conftest import SYSTEM, RunningSystem

pytestmark = pytest.mark.e2e

WORKERS = 4
# Log lines all services may write during a Kafka outage of a few seconds beyond one access
# line per request (without the throttle aiokafka alone wrote thousands).
LOG_LINES_ALLOWED = 150


class Traffic:
    """Writes and reads from a few workers until stopped; every answer's status kept."""

    def __init__(self, client: httpx.AsyncClient, tag: str) -> None:
        self.client = client
        self.tag = tag
        self.answers: list[httpx.Response] = []
        self.stop = asyncio.Event()

    async def run(self) -> None:
        await asyncio.gather(*(self._worker(n) for n in range(WORKERS)))

    async def _worker(self, n: int) -> None:
        while not self.stop.is_set():
            body = {"first_name": "Outage", "last_name": f"{self.tag}{n}", "emails": []}
            created = await self.client.post("/contacts", json=body)
            self.answers.append(created)
            if created.status_code == 201:
                self.answers.append(await self.client.get(f"/contacts/{created.json()['id']}"))
            await asyncio.sleep(0.02)

    def statuses_since(self, start: int) -> list[int]:
        return [answer.status_code for answer in self.answers[start:]]


@contextlib.asynccontextmanager
async def flowing(client: httpx.AsyncClient, tag: str) -> AsyncIterator[Traffic]:
    traffic = Traffic(client, tag)
    task = asyncio.create_task(traffic.run())
    try:
        yield traffic
    finally:
        traffic.stop.set()
        await task


async def all_ready(system: RunningSystem) -> None:
    async def ready() -> bool:
        for name in SYSTEM:
            async with httpx.AsyncClient(base_url=system.urls[name], timeout=3) as client:
                if (await client.get("/health/ready")).status_code != 200:
                    return False
        return True

    await eventually(ready, timeout=60)


async def test_postgres_restart_answers_503_with_retry_after_never_500(
    system: RunningSystem, contacts: httpx.AsyncClient, unique: str
) -> None:
    try:
        async with flowing(contacts, f"Pg{unique}") as traffic:
            await eventually(lambda: traffic.statuses_since(0).count(201) >= 5, timeout=30)
            await asyncio.to_thread(stop_postgres, system.profile)
            down_at = len(traffic.answers)
            await eventually(lambda: traffic.statuses_since(down_at).count(503) >= 5, timeout=30)
            assert (await contacts.get("/health/ready")).status_code == 503
            await asyncio.to_thread(start_postgres, system.profile)
            up_at = len(traffic.answers)
            await eventually(lambda: traffic.statuses_since(up_at).count(201) >= 5, timeout=60)
    finally:
        await asyncio.to_thread(start_postgres, system.profile)  # for the tests after this one
        await all_ready(system)
    statuses = traffic.statuses_since(0)
    assert set(statuses) <= {200, 201, 503}, statuses
    unavailable = [a for a in traffic.answers if a.status_code == 503]
    for answer in unavailable:
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) > 0
    print(f"postgres restart: {len(statuses)} answers, {len(unavailable)} of them 503")


def log_lines(system: RunningSystem) -> int:
    total = 0
    for name in SYSTEM:
        path = system.profile.logs_dir / f"{name}.log"
        with contextlib.suppress(FileNotFoundError), path.open("rb") as log:
            total += sum(1 for _ in log)
    return total


async def test_kafka_outage_keeps_writes_working_and_logs_short(
    system: RunningSystem, contacts: httpx.AsyncClient, unique: str
) -> None:
    before = log_lines(system)
    try:
        await asyncio.to_thread(stop_kafka, system.profile)
        started = time.monotonic()
        async with flowing(contacts, f"Kafka{unique}") as traffic:
            # A few seconds of the broker away, long enough for every client to notice.
            await eventually(lambda: time.monotonic() - started > 5, timeout=30)
        assert (await contacts.get("/health/ready")).status_code == 200
        written = log_lines(system) - before
    finally:
        await asyncio.to_thread(start_kafka, system.profile)
    statuses = traffic.statuses_since(0)
    assert statuses and set(statuses) <= {200, 201}, statuses
    print(f"kafka outage: {len(statuses)} answers, {written} log lines")
    assert written <= len(statuses) + LOG_LINES_ALLOWED

    async def consumers_back() -> bool:
        answer = await contacts.get("/health/ready")
        return bool(answer.json()["checks"]["consumers"] == "ok")

    await eventually(consumers_back, timeout=60)
