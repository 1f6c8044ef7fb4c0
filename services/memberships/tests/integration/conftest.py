"""Integration fixtures: the service in-process (relay, consumer and scheduler running) on a
fresh database of the Postgres, and the Kafka, that `./kring test` started. The service's
clock is a `FrozenClock` the tests move. Helpers the tests share are in helpers.py and
kafka_helpers.py."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts import CONTACTS_TOPIC
from kring_memberships.main import create_app
from kring_memberships.settings import Settings
from kring_platform.clock import FrozenClock
from kring_platform.testing import (
    asgi_client,
    fresh_group_at_end,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
)

from .kafka_helpers import ContactsFeed, PublishedEvents

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
TODAY = date(2026, 3, 15)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with migrated_database("memberships_test", ALEMBIC_INI) as url:
        yield url


async def service_settings(database_url: str) -> Settings:
    # A consumer group of its own, starting at the topic's end: events of earlier runs
    # (other databases) stay out.
    group = await fresh_group_at_end("memberships-test", CONTACTS_TOPIC)
    return quick_settings(Settings, database_url, group, scheduler_interval_s=0.2)


@pytest.fixture(scope="session")
async def settings(database_url: str) -> Settings:
    return await service_settings(database_url)


@pytest.fixture(scope="session")
def clock() -> FrozenClock:
    return FrozenClock(TODAY)


@pytest.fixture
def today(clock: FrozenClock) -> Iterator[date]:
    """The service's today; a test that moves the clock has it put back afterwards."""
    yield clock.day
    clock.day = TODAY


@pytest.fixture(scope="session")
async def published() -> AsyncIterator[PublishedEvents]:
    async with PublishedEvents() as events:
        yield events


@pytest.fixture(scope="session")
async def app(
    settings: Settings, clock: FrozenClock, published: PublishedEvents
) -> AsyncIterator[FastAPI]:
    # Afterwards: nothing the tests sent may have been parked as unappliable.
    async with running_app(create_app(settings, clock)) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "http://memberships") as client:
        yield client


@pytest.fixture(scope="session")
async def feed() -> AsyncIterator[ContactsFeed]:
    async with kafka_producer() as producer:
        yield ContactsFeed(producer)


@pytest.fixture
def unique() -> str:
    """A suffix that keeps this test's names apart from every other test's."""
    return uuid.uuid4().hex[:8]
