"""The calls the memberships e2e tests make over HTTP, and what they read from Kafka."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from kring_contracts import ACCESS_TOPIC, MEMBERSHIPS_TOPIC, Envelope
from kring_platform.testing import eventually, kafka_bootstrap_servers, topic_partitions
from kring_stack.services import kill_service, start_service

from .api import created
from .conftest import RunningSystem

ACCESS_CHANGED = "kring.access.access.changed"


@asynccontextmanager
async def memberships_client(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("memberships") as client:
        yield client


def restart_memberships(system: RunningSystem, extra_env: dict[str, str] | None = None) -> None:
    """Stops the service and starts it again, e.g. with `FROZEN_TODAY` to move its clock."""
    kill_service("memberships", system.profile)
    system.urls["memberships"] = start_service(
        "memberships", system.profile, extra_env, database=system.databases["memberships"]
    )


async def retry_until_up(call: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """Calls again while the service is down (it is being killed and restarted), and, as a
    client does, after a 503 with Retry-After: a change that met a concurrent one (a deadlock
    victim, rolled back) or a service still starting changed nothing."""
    for _ in range(900):
        try:
            response = await call()
        except httpx.TransportError:
            await asyncio.sleep(0.1)
            continue
        if response.status_code == 503 and "retry-after" in response.headers:
            await asyncio.sleep(0.1)
            continue
        return response
    raise AssertionError("the service did not come back")


async def create_type(
    memberships: httpx.AsyncClient, name: str, rights: list[str], **fields: Any
) -> str:
    body = {
        "name": name,
        "billing_period": "yearly",
        "term_kind": "rolling",
        "rights": rights,
        "fee": {"amount": "50.00", "valid_from": "2000-01-01"},
        **fields,
    }
    return str((await created(await memberships.post("/membership-types", json=body)))["id"])


async def register(
    memberships: httpx.AsyncClient, contact_id: str, type_id: str, start: date
) -> dict[str, Any]:
    """Enters the membership once the contact has reached the service (422 until then)."""
    body = {"contact_id": contact_id, "type_id": type_id, "start_date": start.isoformat()}
    response = await eventually(
        lambda: memberships.post("/memberships", json=body),
        until=lambda r: r.status_code != 422,
    )
    return await created(response)


async def grant(memberships: httpx.AsyncClient, group_id: str, right: str) -> None:
    """Grants the right to the group once the group has reached the service (404 until then)."""
    response = await eventually(
        lambda: memberships.put(f"/groups/{group_id}/rights/{right}"),
        until=lambda r: r.status_code != 404,
    )
    await created(response)


async def effective_rights(memberships: httpx.AsyncClient, contact_id: str) -> list[str]:
    response = await memberships.get(f"/contacts/{contact_id}/access")
    if response.status_code == 404:
        return []  # the contact has not reached the service yet
    assert response.status_code == 200, response.text
    return [entry["right"] for entry in response.json()["rights"]]


async def history(memberships: httpx.AsyncClient, contact_id: str) -> list[dict[str, Any]]:
    response = await memberships.get(f"/contacts/{contact_id}/memberships", params={"limit": 500})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@dataclass(frozen=True)
class Published:
    key: str
    envelope: Envelope


async def read_topic(topic: str) -> list[Published]:
    """Every message on the topic now, from the start, each event once (a relay that died
    mid-batch sends its last batch again: same event id)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers(), enable_auto_commit=False
    )
    await consumer.start()
    seen: set[uuid.UUID] = set()
    found: list[Published] = []
    try:
        partitions = await topic_partitions(topic)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    envelope = Envelope.model_validate(json.loads(record.value))
                    if envelope.id not in seen:
                        seen.add(envelope.id)
                        found.append(Published(record.key.decode(), envelope))
                    if record.offset + 1 >= ends[tp]:
                        remaining.discard(tp)
    finally:
        await consumer.stop()
    return found


async def access_events(contact_ids: set[str]) -> dict[str, list[Envelope]]:
    """The AccessChanged events of these contacts, in order, by contact."""
    events: dict[str, list[Envelope]] = {contact: [] for contact in contact_ids}
    for message in await read_topic(ACCESS_TOPIC):
        if message.envelope.type == ACCESS_CHANGED and message.key in events:
            events[message.key].append(message.envelope)
    return events


async def membership_events(membership_id: str) -> list[Envelope]:
    return [
        message.envelope
        for message in await read_topic(MEMBERSHIPS_TOPIC)
        if message.envelope.subject == membership_id
    ]
