"""Integration fixtures: the billing API and a billing worker in-process (relay, consumers
running) on a fresh database of the Postgres, and the Kafka, of the test stack. The
service's clock is a `FrozenClock` the tests move. Helpers the tests share are in helpers.py
and kafka_helpers.py."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_billing.main import create_app
from kring_billing.settings import Settings
from kring_billing.worker import create_worker_app
from kring_contracts import BILLING_RUNS_TOPIC, CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_platform.clock import FrozenClock
from kring_platform.testing import (
    asgi_client,
    fresh_group_at_end,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    start_group_at_end,
)

from .kafka_helpers import BillingEvents, ContactsFeed, MembershipsFeed

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
TODAY = date(2026, 9, 10)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with migrated_database("billing_test", ALEMBIC_INI) as url:
        yield url


async def service_settings(database_url: str, **overrides: Any) -> Settings:
    """Consumer groups of this run's own, starting at the topics' end: events of earlier
    runs (other databases) stay out."""
    group = await fresh_group_at_end("billing-test", CONTACTS_TOPIC)
    await start_group_at_end(group, MEMBERSHIPS_TOPIC)
    workers = await fresh_group_at_end("billing-workers-test", BILLING_RUNS_TOPIC)
    return quick_settings(Settings, database_url, group, worker_consumer_group=workers, **overrides)


@pytest.fixture(scope="session")
async def settings(database_url: str) -> Settings:
    # Small work items, so a test run of a few memberships still spans several items.
    return await service_settings(database_url, run_chunk_size=7)


@pytest.fixture(scope="session")
def clock() -> FrozenClock:
    return FrozenClock(TODAY)


@pytest.fixture
def today(clock: FrozenClock) -> Iterator[date]:
    """The service's today; a test that moves the clock has it put back afterwards."""
    yield clock.day
    clock.day = TODAY


@pytest.fixture(scope="session")
async def published() -> AsyncIterator[BillingEvents]:
    async with BillingEvents() as events:
        yield events


@pytest.fixture(scope="session")
async def app(
    settings: Settings, clock: FrozenClock, published: BillingEvents
) -> AsyncIterator[FastAPI]:
    async with running_app(create_app(settings, clock)) as app:
        yield app


@pytest.fixture(scope="session")
async def worker(settings: Settings, app: FastAPI) -> AsyncIterator[FastAPI]:
    async with running_app(create_worker_app(settings)) as worker:
        yield worker


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "http://billing") as client:
        yield client


@pytest.fixture(scope="session")
async def producer() -> AsyncIterator[Any]:
    async with kafka_producer() as producer:
        yield producer


@pytest.fixture(scope="session")
def contacts_feed(producer: Any) -> ContactsFeed:
    return ContactsFeed(producer)


@pytest.fixture(scope="session")
def memberships_feed(producer: Any) -> MembershipsFeed:
    return MembershipsFeed(producer)


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]
