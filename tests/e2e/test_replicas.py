"""Two replicas of contacts and of newsletters behind a gateway (issue #17, lever 3): the
gateway spreads requests over both, a replica killed under load costs no request beyond a
client's retry of a 503, the consumer group shares the partitions (and takes over the dead
one's), no event is lost, and each database keeps exactly one relay leader."""

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from kring_platform.relay import RELAY_LOCK_KEY
from kring_platform.testing import eventually
from kring_platform.testing.kafka import kafka_bootstrap_servers
from kring_stack.postgres import admin_url
from kring_stack.services import kill_service, replica_urls, start_service

from .api import create_contact, create_group, create_list, subscribers
from .conftest import SERVICE_ENV, RunningSystem
from .gateway_api import GatewayLogins, gateway_logins

pytestmark = pytest.mark.e2e

REPLICATED = ("contacts", "newsletters")
SECOND = 1  # the replica number of the second instance
CONTACTS_ADDED = 120
WORKERS = 12  # requests in flight at once


@pytest.fixture(scope="module")
def replicated(system: RunningSystem) -> Iterator[str]:
    """A second instance of contacts and newsletters on the run's databases, and a gateway
    instance started after them (so it balances over both); its base URL."""

    def start(name: str) -> str:
        return start_service(
            name,
            system.profile,
            SERVICE_ENV.get(name),
            database=system.databases[name],
            replica=SECOND,
        )

    try:
        for name in REPLICATED:
            start(name)
        yield start("gateway")
    finally:
        for name in (*REPLICATED, "gateway"):
            kill_service(name, system.profile, signal.SIGTERM, replica=SECOND)


@pytest.fixture
async def logins(system: RunningSystem, replicated: str) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        logins.gateway.base_url = httpx.URL(replicated)
        yield logins


async def assigned_members(group: str) -> list[int]:
    """Partitions held by each member of the consumer group (when it is stable)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        [described] = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    _, _, state, _, _, members = described.groups[0][:6]
    if state != "Stable":
        return []
    return [
        len(ConsumerProtocolMemberAssignment.decode(member[4]).partitions()) for member in members
    ]


def relay_leaders(system: RunningSystem, service: str) -> int:
    """Sessions holding the relay's advisory lock in the service's database."""
    key = RELAY_LOCK_KEY  # a bigint lock shows as classid (high half), objid (low), objsubid 1
    with psycopg.connect(admin_url(system.profile)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = %s "
            "AND l.classid::bigint = %s AND l.objid::bigint = %s AND l.objsubid = 1",
            (system.databases[service], key >> 32, key & 0xFFFFFFFF),
        ).fetchone()
    assert row is not None
    return int(row[0])


async def served(url: str, method: str, route: str) -> float:
    """How many requests of the route the instance answered so far (its /metrics)."""
    async with httpx.AsyncClient(base_url=url) as client:
        text = (await client.get("/metrics")).text
    labels = f'method="{method}",route="{route}"'
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("kring_http_requests_total{") and labels in line
    )


def one_member_holds_everything(members: list[int]) -> bool:
    return len(members) == 1 and members[0] > 0


def both_members_share(members: list[int]) -> bool:
    return len(members) == 2 and all(count > 0 for count in members)


async def test_the_gateway_balances_over_the_replicas_and_each_database_has_one_relay_leader(
    system: RunningSystem, logins: GatewayLogins
) -> None:
    contacts_urls = replica_urls("contacts", system.profile)
    assert len(contacts_urls) == 2
    assert len(replica_urls("newsletters", system.profile)) == 2
    before = [await served(url, "GET", "/groups") for url in contacts_urls]
    headers = await logins.admin_headers()
    for _ in range(6):
        response = await logins.gateway.get("/api/v1/contacts/groups", headers=headers)
        assert response.status_code == 200, response.text
    after = [await served(url, "GET", "/groups") for url in contacts_urls]
    assert all(later > earlier for earlier, later in zip(before, after, strict=True)), after
    await eventually(lambda: assigned_members("newsletters"), until=both_members_share)
    for name in REPLICATED:
        assert relay_leaders(system, name) == 1, name


async def test_a_replica_killed_under_load_costs_no_request_and_loses_no_event(
    system: RunningSystem,
    logins: GatewayLogins,
    contacts: httpx.AsyncClient,
    newsletters: httpx.AsyncClient,
    unique: str,
) -> None:
    group = await create_group(contacts, f"Replicas {unique}")
    mailing_list = await create_list(newsletters, f"replicas {unique}")
    people = []
    for start in range(0, CONTACTS_ADDED, WORKERS):
        people += await asyncio.gather(
            *(create_contact(contacts, "Rep", f"Lica{i}") for i in range(start, start + WORKERS))
        )
    await eventually(lambda: assigned_members("newsletters"), until=both_members_share)
    headers = await logins.admin_headers()
    pending = list(people)
    answered: list[int] = []
    refused: list[str] = []  # 503s, each retried once by the client
    kill_now = asyncio.Event()

    async def put(person: str) -> httpx.Response:
        return await logins.gateway.put(
            f"/api/v1/contacts/groups/{group}/members/{person}", headers=headers
        )

    async def worker() -> None:
        while pending:
            person = pending.pop()
            response = await put(person)
            if response.status_code == 503:
                refused.append(person)
                await asyncio.sleep(0.2)  # a client's retry, sooner than Retry-After asks
                response = await put(person)
            answered.append(response.status_code)
            if len(answered) >= CONTACTS_ADDED // 3:
                kill_now.set()

    async def crash() -> None:
        await kill_now.wait()
        for name in REPLICATED:
            await asyncio.to_thread(
                kill_service, name, system.profile, signal.SIGKILL, replica=SECOND
            )

    started = time.monotonic()
    await asyncio.gather(crash(), *(worker() for _ in range(WORKERS)))
    assert set(answered) <= {200, 201}, answered
    assert len(answered) == CONTACTS_ADDED
    assert len(refused) <= WORKERS, refused  # at most those in flight at the kill
    # The survivor takes over the dead one's partitions (after Kafka's session timeout) and
    # every change arrives: each member subscribed, exactly once.
    await eventually(
        lambda: subscribers(newsletters, mailing_list), until=lambda s: s == set(people)
    )
    listed = await subscription_rows(newsletters, mailing_list)
    assert sorted(listed) == sorted(people), "a subscription is listed twice"
    await eventually(lambda: assigned_members("newsletters"), until=one_member_holds_everything)
    for name in REPLICATED:
        await eventually(
            lambda n=name: asyncio.to_thread(relay_leaders, system, n), until=lambda c: c == 1
        )
    print(
        f"{CONTACTS_ADDED} PUTs through the gateway, {len(refused)} answered 503 and retried, "
        f"all subscribed after {time.monotonic() - started:.1f} s"
    )


async def subscription_rows(newsletters: httpx.AsyncClient, list_id: str) -> list[str]:
    """Every row of the list's subscribers, duplicates kept."""
    rows: list[str] = []
    offset = 0
    while True:
        response = await newsletters.get(
            f"/lists/{list_id}/subscribers", params={"limit": 500, "offset": offset}
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        rows += [str(item["contact_id"]) for item in items]
        if len(items) < 500:
            return rows
        offset += 500
