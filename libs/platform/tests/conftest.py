"""Fixtures for the platform's integration tests: a fresh database with the event tables
and fresh topics on the Kafka broker that `./kring test` started."""

import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import Column, MetaData, String, Table, Text

from kring_contracts import dlq_topic
from kring_platform.db import Database
from kring_platform.event_tables import install_event_tables
from kring_platform.settings import ServiceSettings
from kring_platform.testing import create_database, drop_database, kafka_bootstrap_servers

test_metadata = MetaData()

# What the test handlers write: one row per applied event.
notes = Table(
    "notes",
    test_metadata,
    Column("event_id", String(36), primary_key=True),
    Column("subject", String(100), nullable=False),
    Column("text", Text, nullable=False),
)

GROUP = "platform-test"


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    url = create_database("platform_test")
    database = Database(url)
    async with database.engine.begin() as conn:
        await conn.run_sync(install_event_tables)
        await conn.run_sync(test_metadata.create_all)
    await database.dispose()
    yield url
    drop_database(url)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def settings(database_url: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="platform-test",
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap_servers(),
        relay_poll_interval_s=0.2,
        consumer_max_attempts=3,
        consumer_backoff_initial_s=0.01,
        consumer_backoff_max_s=0.05,
    )


@pytest.fixture
async def topic() -> AsyncIterator[str]:
    """A fresh topic of 3 partitions, with the DLQ topic of the test consumer group."""
    name = f"test.platform.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 3, 1), NewTopic(dlq_topic(name, GROUP), 1, 1)])
    finally:
        await admin.close()
    yield name
