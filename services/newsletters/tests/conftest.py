"""Integration fixtures: the service in-process (relay and consumer running) on a fresh
database of the Postgres, and the Kafka, that `./kring test` started."""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_contracts import CONTACTS_TOPIC, Envelope
from kring_newsletters.db_models import Contact, Group, MailingList, Subscription
from kring_newsletters.main import create_app
from kring_newsletters.settings import Settings
from kring_platform.event_tables import inbox, outbox
from kring_platform.runtime import ServiceRuntime
from kring_platform.testing import (
    create_database,
    drop_database,
    eventually,
    kafka_bootstrap_servers,
    migrate,
)

from .kafka_helpers import ContactsFeed, PublishedEvents, start_group_at_end

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = create_database("newsletters_test")
    migrate(ALEMBIC_INI, url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
async def settings(database_url: str) -> Settings:
    # A consumer group of this run only, starting at the topic's end: events of earlier
    # runs (other databases) stay out.
    group = f"newsletters-test-{uuid.uuid4().hex[:8]}"
    await start_group_at_end(group, CONTACTS_TOPIC)
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap_servers(),
        consumer_group=group,
        relay_poll_interval_s=0.2,
        consumer_backoff_initial_s=0.01,
        consumer_backoff_max_s=0.2,
    )


@pytest.fixture(scope="session")
async def published() -> AsyncIterator[PublishedEvents]:
    events = PublishedEvents()
    await events.start()
    yield events
    await events.stop()


@pytest.fixture(scope="session")
async def app(settings: Settings, published: PublishedEvents) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app
    # Nothing the tests sent may have been parked as unappliable.
    assert runtime_of(app).consumers[0].stats.outcomes.get("dead_lettered", 0) == 0


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://newsletters") as client:
        yield client


@pytest.fixture(scope="session")
async def feed() -> AsyncIterator[ContactsFeed]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    yield ContactsFeed(producer)
    await producer.stop()


@pytest.fixture
def unique() -> str:
    """A suffix that keeps this test's names apart from every other test's."""
    return uuid.uuid4().hex[:8]


def runtime_of(app: FastAPI) -> ServiceRuntime:
    runtime: ServiceRuntime = app.state.runtime
    return runtime


async def row(app: FastAPI, model: type[Any], key: object) -> Any:
    async with runtime_of(app).database.transaction() as session:
        return await session.get(model, key)


async def wait_applied(app: FastAPI, envelope: Envelope) -> None:
    """Until the consumer has applied (or skipped) the event: its id is in the inbox."""

    async def probe() -> object:
        async with runtime_of(app).database.transaction() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == envelope.id)
            )

    await eventually(probe)


async def wait_for_contact(app: FastAPI, contact_id: uuid.UUID, **expected: object) -> Contact:
    """Until the read model has the contact (with the expected field values)."""

    async def probe() -> Contact | None:
        contact: Contact | None = await row(app, Contact, contact_id)
        return contact

    def matches(contact: Contact | None) -> bool:
        return contact is not None and all(getattr(contact, k) == v for k, v in expected.items())

    found = await eventually(probe, until=matches)
    assert found is not None
    return found


async def wait_for_group(app: FastAPI, group_id: uuid.UUID, **expected: object) -> Group:
    async def probe() -> Group | None:
        group: Group | None = await row(app, Group, group_id)
        return group

    def matches(group: Group | None) -> bool:
        return group is not None and all(getattr(group, k) == v for k, v in expected.items())

    found = await eventually(probe, until=matches)
    assert found is not None
    return found


async def subscription_of(app: FastAPI, list_id: str, contact_id: uuid.UUID) -> Subscription:
    async with runtime_of(app).database.transaction() as session:
        found = await session.scalar(
            select(Subscription).where(
                Subscription.list_id == uuid.UUID(list_id), Subscription.contact_id == contact_id
            )
        )
    assert found is not None
    return found


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: rows, versions and recorded events."""
    async with runtime_of(app).database.transaction() as session:
        return {
            "lists": (
                await session.execute(
                    select(
                        MailingList.id,
                        MailingList.name,
                        MailingList.group_id,
                        MailingList.version,
                        MailingList.deleted_at,
                    ).order_by(MailingList.id)
                )
            ).all(),
            "subscriptions": (
                await session.execute(
                    select(
                        Subscription.id,
                        Subscription.version,
                        Subscription.active,
                        Subscription.manual,
                        Subscription.opted_out,
                    ).order_by(Subscription.id)
                )
            ).all(),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }


async def subscribers(client: httpx.AsyncClient, list_id: str) -> set[uuid.UUID]:
    """The contact ids with an active subscription to the list."""
    response = await client.get(f"/lists/{list_id}/subscribers", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {uuid.UUID(item["contact_id"]) for item in response.json()["items"]}


async def create_list(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    response = await client.post("/lists", json={"name": name})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
