"""Fixtures for the contacts service's integration tests: one migrated database for the
session, the app driven in-process with its outbox relay and its memberships consumer running
against the Kafka broker that `./kring test` started (`KRING_PG_ADMIN_URL`,
`KAFKA_BOOTSTRAP_SERVERS`)."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from fastapi import FastAPI

from kring_contacts.main import create_app
from kring_contacts.settings import Settings
from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC, NEWSLETTERS_TOPIC, TOPICS
from kring_contracts.topics import STATE_TOPICS
from kring_platform.db import Database
from kring_platform.testing import (
    TopicTail,
    asgi_client,
    fresh_group_at_end,
    kafka_bootstrap_servers,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    start_group_at_end,
)
from kring_platform.unit_of_work import UnitsOfWork

from .helpers import own_database
from .memberships_feed import MembershipsFeed

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with migrated_database("contacts_test", ALEMBIC_INI) as url:
        yield url


async def ensure_topic(name: str) -> str:
    """The stack creates the topics; a bare broker gets them here, with the same settings."""
    spec = next(topic for topic in TOPICS if topic.name == name)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(spec.name, spec.partitions, 1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()
    return spec.name


@pytest.fixture(scope="session")
async def contacts_topic() -> str:
    for state_topic in STATE_TOPICS:  # the relay publishes snapshots there too
        await ensure_topic(state_topic)
    return await ensure_topic(CONTACTS_TOPIC)


@pytest.fixture(scope="session")
async def memberships_topic() -> str:
    return await ensure_topic(MEMBERSHIPS_TOPIC)


@pytest.fixture(scope="session")
async def newsletters_topic() -> str:
    return await ensure_topic(NEWSLETTERS_TOPIC)


@pytest.fixture(scope="session")
async def settings(database_url: str, memberships_topic: str, newsletters_topic: str) -> Settings:
    # A consumer group of this run only, starting at the topics' ends: events of earlier
    # runs (other databases) stay out.
    group = await fresh_group_at_end("contacts-test", memberships_topic)
    await start_group_at_end(group, newsletters_topic)
    return quick_settings(Settings, database_url, group)


@pytest.fixture(scope="session")
async def app(settings: Settings, contacts_topic: str) -> AsyncIterator[FastAPI]:
    # Afterwards: nothing the tests fed in may have been parked as unappliable.
    async with running_app(create_app(settings)) as app:
        yield app


@pytest.fixture(scope="session")
async def memberships_feed() -> AsyncIterator[MembershipsFeed]:
    async with kafka_producer() as producer:
        yield MembershipsFeed(producer)


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "http://contacts") as client:
        yield client


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    """A connection of the tests' own, to look behind the API."""
    async with own_database(database_url) as database:
        yield database


@pytest.fixture(scope="session")
def units(database: Database, settings: Settings) -> UnitsOfWork:
    """Units of work of the tests' own, to call the domain functions directly."""
    return UnitsOfWork(database, settings.event_source)


@pytest.fixture
async def topic_tail(contacts_topic: str) -> AsyncIterator[TopicTail]:
    """The contacts topic from its end offsets at the start of the test."""
    async with TopicTail(contacts_topic) as tail:
        yield tail
