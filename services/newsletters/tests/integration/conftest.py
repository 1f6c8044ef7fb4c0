"""Integration fixtures: the service in-process (relay and consumer running) on a fresh
database of the Postgres, and the Kafka, that `./kring test` started. Helpers the tests
share are in helpers.py, campaign_helpers.py and kafka_helpers.py."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_newsletters.main import create_app
from kring_newsletters.settings import Settings
from kring_platform.testing import (
    asgi_client,
    fresh_group_at_end,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    start_group_at_end,
)

from .kafka_helpers import ContactsFeed, MembershipsFeed, PublishedEvents

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with migrated_database("newsletters_test", ALEMBIC_INI) as url:
        yield url


@pytest.fixture(scope="session")
async def settings(database_url: str) -> Settings:
    # A consumer group of this run only, starting at the topic's end: events of earlier
    # runs (other databases) stay out.
    group = await fresh_group_at_end("newsletters-test", CONTACTS_TOPIC)
    await start_group_at_end(group, MEMBERSHIPS_TOPIC)
    return quick_settings(
        Settings,
        database_url,
        group,
        smtp_host=os.environ.get("SMTP_HOST", "127.0.0.1"),
        smtp_port=int(os.environ.get("SMTP_PORT", "2526")),
        public_base_url="http://newsletters",
        send_poll_interval_s=0.2,
        send_backoff_initial_s=0.2,
        mail_from="Kring Club <news@club.example>",
    )


@pytest.fixture(scope="session")
async def published() -> AsyncIterator[PublishedEvents]:
    async with PublishedEvents() as events:
        yield events


@pytest.fixture(scope="session")
async def app(settings: Settings, published: PublishedEvents) -> AsyncIterator[FastAPI]:
    # Afterwards: nothing the tests sent may have been parked as unappliable.
    async with running_app(create_app(settings)) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "http://newsletters") as client:
        yield client


@pytest.fixture(scope="session")
async def feed() -> AsyncIterator[ContactsFeed]:
    async with kafka_producer() as producer:
        yield ContactsFeed(producer)


@pytest.fixture(scope="session")
async def memberships_feed() -> AsyncIterator[MembershipsFeed]:
    async with kafka_producer() as producer:
        yield MembershipsFeed(producer)


@pytest.fixture
def unique() -> str:
    """A suffix that keeps this test's names apart from every other test's."""
    return uuid.uuid4().hex[:8]
