"""Integration fixtures: the service in-process (relay, consumer and scheduler running) on a
fresh database of the Postgres, and the Kafka, that `./kring test` started. The service's
clock is a `FrozenClock` the tests move."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_contracts import CONTACTS_TOPIC
from kring_memberships.db_models import (
    AccessState,
    Contact,
    FeeVersion,
    GroupMember,
    GroupRight,
    Membership,
    MembershipType,
)
from kring_memberships.main import create_app
from kring_memberships.settings import Settings
from kring_platform.clock import FrozenClock
from kring_platform.event_tables import outbox
from kring_platform.testing import (
    asgi_client,
    created,
    fresh_group_at_end,
    kafka_producer,
    migrated_database,
    quick_settings,
    running_app,
    runtime_of,
)

# The tests import these from here (shared with billing's in kring_platform.testing).
from kring_platform.testing import new_contact as new_contact
from kring_platform.testing import new_group as new_group

from .kafka_helpers import ContactsFeed, PublishedEvents

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
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


async def create_type(
    client: httpx.AsyncClient, name: str, *, rights: list[str] | None = None, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "seasonal",
        "rights": rights or [],
        "fee": {"amount": "120.00", "valid_from": "2020-01-01"},
        **fields,
    }
    return created(await client.post("/membership-types", json=body))


async def register(
    client: httpx.AsyncClient,
    contact_id: uuid.UUID,
    type_id: str,
    start: date,
    end: date | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contact_id": str(contact_id),
        "type_id": type_id,
        "start_date": start.isoformat(),
    }
    if end is not None:
        body["end_date"] = end.isoformat()
    return created(await client.post("/memberships", json=body))


async def rights_of(
    client: httpx.AsyncClient, contact_id: uuid.UUID, on: date | None = None
) -> list[str]:
    params = {"on": on.isoformat()} if on else {}
    response = await client.get(f"/contacts/{contact_id}/access", params=params)
    assert response.status_code == 200, response.text
    return [entry["right"] for entry in response.json()["rights"]]


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: rows, versions and recorded events."""
    async with runtime_of(app).database.transaction() as session:

        async def rows(*columns: Any) -> list[Any]:
            return list((await session.execute(select(*columns).order_by(*columns))).all())

        return {
            "types": await rows(
                MembershipType.id,
                MembershipType.version,
                MembershipType.name,
                MembershipType.rights,
            ),
            "fees": await rows(FeeVersion.type_id, FeeVersion.valid_from, FeeVersion.amount),
            "memberships": await rows(
                Membership.id,
                Membership.version,
                Membership.end_date,
                Membership.deleted_at,
            ),
            "grants": await rows(GroupRight.group_id, GroupRight.right),
            "members": await rows(GroupMember.group_id, GroupMember.contact_id),
            "contacts": await rows(Contact.id, Contact.deleted),
            "access": await rows(AccessState.contact_id, AccessState.version),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }
