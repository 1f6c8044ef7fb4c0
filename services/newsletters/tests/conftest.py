"""Integration fixtures: the service in-process (relay and consumer running) on a fresh
database of the Postgres, and the Kafka, that `./kring test` started."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_newsletters.db_models import Contact, Group, MailingList, Subscription
from kring_newsletters.main import create_app
from kring_newsletters.settings import Settings
from kring_platform.event_tables import outbox
from kring_platform.testing import (
    asgi_client,
    eventually,
    fresh_group_at_end,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    runtime_of,
    start_group_at_end,
)

from .kafka_helpers import ContactsFeed, MembershipsFeed, PublishedEvents

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


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


async def row(app: FastAPI, model: type[Any], key: object) -> Any:
    async with runtime_of(app).database.transaction() as session:
        return await session.get(model, key)


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
