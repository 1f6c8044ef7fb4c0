"""Fixtures for the contacts service's integration tests: one migrated database for the
session, the app driven in-process with its outbox relay and its memberships consumer running
against the Kafka broker that `./kring test` started (`KRING_PG_ADMIN_URL`,
`KAFKA_BOOTSTRAP_SERVERS`)."""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from fastapi import FastAPI

from kring_contacts.main import create_app
from kring_contacts.settings import Settings
from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC, TOPICS
from kring_platform.db import Database
from kring_platform.runtime import ServiceRuntime
from kring_platform.testing import (
    create_database,
    drop_database,
    kafka_bootstrap_servers,
    migrate,
)

from .kafka_tail import TopicTail
from .memberships_feed import MembershipsFeed, start_group_at_end

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = create_database("contacts_test")
    migrate(ALEMBIC_INI, url)
    yield url
    drop_database(url)


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
    return await ensure_topic(CONTACTS_TOPIC)


@pytest.fixture(scope="session")
async def memberships_topic() -> str:
    return await ensure_topic(MEMBERSHIPS_TOPIC)


@pytest.fixture(scope="session")
async def settings(database_url: str, memberships_topic: str) -> Settings:
    # A consumer group of this run only, starting at the topic's end: events of earlier
    # runs (other databases) stay out.
    group = f"contacts-test-{uuid.uuid4().hex[:8]}"
    await start_group_at_end(group, memberships_topic)
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap_servers(),
        consumer_group=group,
        relay_poll_interval_s=0.2,
        consumer_backoff_initial_s=0.01,
        consumer_backoff_max_s=0.2,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings, contacts_topic: str) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app
    # Nothing the tests fed in may have been parked as unappliable.
    assert runtime_of(app).consumers[0].stats.outcomes.get("dead_lettered", 0) == 0


def runtime_of(app: FastAPI) -> ServiceRuntime:
    runtime: ServiceRuntime = app.state.runtime
    return runtime


@pytest.fixture(scope="session")
async def memberships_feed() -> AsyncIterator[MembershipsFeed]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    yield MembershipsFeed(producer)
    await producer.stop()


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://contacts") as client:
        yield client


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    """A connection of the tests' own, to look behind the API."""
    database = Database(database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
async def topic_tail(contacts_topic: str) -> AsyncIterator[TopicTail]:
    """The contacts topic from its end offsets at the start of the test."""
    tail = TopicTail(contacts_topic)
    await tail.start()
    yield tail
    await tail.stop()
