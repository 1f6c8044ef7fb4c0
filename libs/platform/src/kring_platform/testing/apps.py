"""A service's FastAPI app driven in-process: its lifespan (relay and consumers running),
an httpx client over ASGI, and waiting for its consumer to apply an event."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from kring_contracts import Envelope
from kring_platform.event_tables import inbox
from kring_platform.runtime import ServiceRuntime
from kring_platform.settings import ServiceSettings

from .kafka import kafka_bootstrap_servers
from .polling import eventually

S = TypeVar("S", bound=ServiceSettings)


def quick_settings(
    settings_class: type[S], database_url: str, consumer_group: str, **overrides: object
) -> S:
    """A service's settings for tests: the test database and Kafka, a consumer group of the
    test's own, and short relay and retry intervals so tests converge fast."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap_servers": kafka_bootstrap_servers(),
        "consumer_group": consumer_group,
        "relay_poll_interval_s": 0.2,
        "consumer_backoff_initial_s": 0.01,
        "consumer_backoff_max_s": 0.2,
        **overrides,
    }
    return settings_class(**values)


def runtime_of(app: FastAPI) -> ServiceRuntime:
    runtime: ServiceRuntime = app.state.runtime
    return runtime


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[FastAPI]:
    """The app with its lifespan run (relay and consumers started, then stopped).
    Afterwards nothing the tests fed in may have been parked as unappliable."""
    async with app.router.lifespan_context(app):
        yield app
    outcomes = runtime_of(app).consumers[0].stats.outcomes
    assert outcomes.get("dead_lettered", 0) == 0, f"events were dead-lettered: {outcomes}"


@asynccontextmanager
async def asgi_client(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client that calls the app in-process."""
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client


async def wait_applied(app: FastAPI, envelope: Envelope) -> None:
    """Until the consumer has applied (or skipped) the event: its id is in the inbox."""

    async def probe() -> object:
        async with runtime_of(app).database.transaction() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == envelope.id)
            )

    await eventually(probe)
