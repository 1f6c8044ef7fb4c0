"""Integration fixtures: the billing API and a billing worker in-process (relay, consumers
running) on a fresh database of the Postgres, and the Kafka, of the test stack. The
service's clock is a `FrozenClock` the tests move."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_billing.db_models import ContributionRun, Invoice, InvoiceCounter, Payment
from kring_billing.main import create_app
from kring_billing.settings import Settings
from kring_billing.worker import create_worker_app
from kring_contracts import BILLING_RUNS_TOPIC, CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_platform.clock import FrozenClock
from kring_platform.event_tables import outbox

# The tests import these from here (shared with memberships' in kring_platform.testing).
from kring_platform.testing import applied as applied
from kring_platform.testing import (
    asgi_client,
    created,
    eventually,
    fresh_group_at_end,
    json_of,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    runtime_of,
    start_group_at_end,
    type_details,
)
from kring_platform.testing import new_contact as new_contact

from .kafka_helpers import BillingEvents, ContactsFeed, MembershipsFeed

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
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


async def new_type(app: FastAPI, feed: MembershipsFeed, name: str, **fields: Any) -> uuid.UUID:
    created = await applied(app, await feed.type_created(type_details(name, **fields)))
    return uuid.UUID(created.data["type_id"])


async def new_membership(
    app: FastAPI,
    feed: MembershipsFeed,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    start: date,
    end: date | None = None,
    **fields: Any,
) -> uuid.UUID:
    registered = await applied(app, await feed.register(contact_id, type_id, start, end, **fields))
    return uuid.UUID(registered.data["membership_id"])


async def issued_invoice(
    client: httpx.AsyncClient, contact_id: uuid.UUID, *lines: dict[str, Any]
) -> dict[str, Any]:
    body = {
        "contact_id": str(contact_id),
        "lines": list(lines) or [{"description": "Club T-shirt", "unit_price": "25.00"}],
    }
    draft = created(await client.post("/invoices", json=body))
    return json_of(await client.post(f"/invoices/{draft['id']}/issue"))


async def invoices_of_membership(
    client: httpx.AsyncClient, contact_id: uuid.UUID, membership_id: uuid.UUID
) -> list[dict[str, Any]]:
    response = await client.get(f"/contacts/{contact_id}/invoices", params={"limit": 500})
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["membership_id"] == str(membership_id)]


async def run_to_completion(
    client: httpx.AsyncClient, body: dict[str, Any], timeout: float = 30.0
) -> dict[str, Any]:
    started = await client.post("/contribution-runs", json=body)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    async def progress() -> dict[str, Any]:
        return json_of(await client.get(f"/contribution-runs/{run_id}"))

    done: dict[str, Any] = await eventually(
        progress, until=lambda run: run["status"] == "completed", timeout=timeout
    )
    return done


def money(value: str | Decimal) -> Decimal:
    return Decimal(value)


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: documents, payments, counters, runs, events."""
    async with runtime_of(app).database.transaction() as session:

        async def rows(*columns: Any) -> list[Any]:
            return list((await session.execute(select(*columns).order_by(*columns))).all())

        return {
            "invoices": await rows(
                Invoice.id, Invoice.status, Invoice.version, Invoice.total, Invoice.paid_amount
            ),
            "payments": await rows(Payment.id),
            "counters": await rows(InvoiceCounter.year, InvoiceCounter.last_number),
            "runs": await rows(ContributionRun.id),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }
