"""Dates that pass: activations on the start date, ends the day after the end date, each
announced exactly once — by replicas racing, after a restart, after days of downtime.

These tests move the clock, only ever forward, so they run on a database and app of their
own: the other tests' memberships keep the calendar they expect. Each test starts from the
day the calendar shows.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_memberships.db_models import Membership
from kring_memberships.main import create_app
from kring_memberships.scheduling.scheduler import settle_due
from kring_platform.clock import FrozenClock
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.testing import (
    asgi_client,
    eventually,
    migrated_database,
    running_app,
    runtime_of,
)
from kring_platform.unit_of_work import UnitsOfWork

from .conftest import ALEMBIC_INI, TODAY, service_settings
from .helpers import create_type, new_contact, register, rights_of
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration

ACTIVATED = "kring.memberships.membership.activated"
ENDED = "kring.memberships.membership.ended"


@pytest.fixture(scope="module")
def calendar_database() -> Iterator[str]:
    with migrated_database("memberships_calendar", ALEMBIC_INI) as url:
        yield url


@pytest.fixture(scope="module")
def calendar() -> FrozenClock:
    return FrozenClock(TODAY)


@pytest.fixture(scope="module")
async def calendar_app(
    calendar_database: str, calendar: FrozenClock, published: PublishedEvents
) -> AsyncIterator[FastAPI]:
    settings = await service_settings(calendar_database)
    async with running_app(create_app(settings, calendar)) as app:
        yield app


@pytest.fixture
async def calendar_client(calendar_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(calendar_app, "http://memberships") as client:
        yield client


async def announcements(app: FastAPI, membership_id: str) -> list[str]:
    """The types recorded in the outbox for the membership, in order."""
    async with runtime_of(app).database.transaction() as session:
        rows = await session.scalars(
            select(outbox.c.type)
            .where(outbox.c.aggregateid == membership_id)
            .order_by(outbox.c.position)
        )
        return [t.removeprefix("kring.memberships.") for t in rows]


async def settled(app: FastAPI, day: date) -> None:
    """Until the app's scheduler has settled everything due on `day` (the witness that it
    looked at that day, for a test that something did not happen)."""
    scheduler = app.state.scheduler
    await eventually(lambda: scheduler.settled_through, until=lambda through: through == day)


async def test_a_future_membership_becomes_active_when_its_day_comes(
    calendar_app: FastAPI,
    calendar_client: httpx.AsyncClient,
    calendar: FrozenClock,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(calendar_app, feed)
    season = await create_type(calendar_client, f"Next {unique}", rights=["website.members"])
    start = calendar.day + timedelta(days=10)
    membership = await register(calendar_client, contact, season["id"], start)
    assert membership["status"] == "upcoming"
    assert await rights_of(calendar_client, contact) == []

    calendar.day = start - timedelta(days=1)
    await settled(calendar_app, calendar.day)  # it had the chance to err
    assert await announcements(calendar_app, membership["id"]) == ["membership.registered"]

    calendar.day = start
    await eventually(
        lambda: announcements(calendar_app, membership["id"]),
        until=lambda types: types == ["membership.registered", "membership.activated"],
    )
    assert await rights_of(calendar_client, contact) == ["website.members"]
    sets = await eventually(lambda: published.access_of(contact))
    assert sets == [["website.members"]]
    activated = await eventually(
        lambda: [e for e in published.about(membership["id"]) if e.type == ACTIVATED]
    )
    assert activated[0].data["start_date"] == start.isoformat()


async def test_a_membership_ends_on_the_day_after_its_end_date(
    calendar_app: FastAPI,
    calendar_client: httpx.AsyncClient,
    calendar: FrozenClock,
    feed: ContactsFeed,
    unique: str,
) -> None:
    contact = await new_contact(calendar_app, feed)
    season = await create_type(calendar_client, f"Short {unique}", rights=["facility.gym"])
    last_day = calendar.day + timedelta(days=3)
    membership = await register(calendar_client, contact, season["id"], calendar.day, last_day)

    calendar.day = last_day
    await settled(calendar_app, calendar.day)
    assert await rights_of(calendar_client, contact) == ["facility.gym"]
    assert "membership.ended" not in await announcements(calendar_app, membership["id"])

    calendar.day = last_day + timedelta(days=1)
    await eventually(
        lambda: announcements(calendar_app, membership["id"]),
        until=lambda types: types[-1:] == ["membership.ended"],
    )
    assert await rights_of(calendar_client, contact) == []


async def test_days_missed_while_down_are_caught_up_once_in_order(
    calendar_app: FastAPI,
    calendar_client: httpx.AsyncClient,
    calendar: FrozenClock,
    feed: ContactsFeed,
    unique: str,
) -> None:
    contact = await new_contact(calendar_app, feed)
    monthly = await create_type(
        calendar_client,
        f"Monthly {unique}",
        billing_period="monthly",
        term_kind="fixed_months",
        term_months=1,
    )
    base = calendar.day
    months = [
        await register(calendar_client, contact, monthly["id"], base + timedelta(days=40 * i + 1))
        for i in range(6)
    ]

    calendar.day = base + timedelta(days=365)  # a year passes at once
    for membership in months:
        await eventually(
            lambda m=membership: announcements(calendar_app, m["id"]),
            until=lambda types: (
                types == ["membership.registered", "membership.activated", "membership.ended"]
            ),
        )


async def test_racing_replicas_and_a_restart_announce_each_date_once(
    calendar_app: FastAPI,
    calendar_client: httpx.AsyncClient,
    calendar: FrozenClock,
    calendar_database: str,
    feed: ContactsFeed,
    unique: str,
) -> None:
    season = await create_type(calendar_client, f"Crowd {unique}", term_kind="rolling")
    start = calendar.day + timedelta(days=30)
    people = [await new_contact(calendar_app, feed) for _ in range(60)]
    ids = [(await register(calendar_client, p, season["id"], start))["id"] for p in people]

    # Four more "replicas" on database pools of their own race the app's scheduler.
    runtime = runtime_of(calendar_app)
    replicas = [Database(calendar_database, pool_size=2) for _ in range(4)]
    units = [UnitsOfWork(db, runtime.settings.event_source) for db in replicas]
    try:
        calendar.day = start
        await asyncio.gather(*(settle_due(replica, start, batch_size=7) for replica in units))

        async def unannounced() -> list[uuid.UUID]:
            async with runtime.database.transaction() as session:
                rows = await session.scalars(
                    select(Membership.id).where(
                        Membership.id.in_([uuid.UUID(i) for i in ids]),
                        Membership.activated_at.is_(None),
                    )
                )
                return list(rows)

        # Rows another replica holds are skipped, not waited for: it announces them.
        await eventually(unannounced, until=lambda left: left == [])
        # A restart: a fresh pool finds nothing left to announce.
        assert await settle_due(units[0], start) == 0
    finally:
        for database in replicas:
            await database.dispose()

    async with runtime.database.transaction() as session:
        rows = await session.scalars(
            select(outbox.c.aggregateid).where(
                outbox.c.aggregateid.in_(ids), outbox.c.type == ACTIVATED
            )
        )
        counts = Counter(rows)
    assert counts == dict.fromkeys(ids, 1)


def test_the_organisation_clock_reads_the_day_in_its_time_zone() -> None:
    from zoneinfo import ZoneInfo

    from kring_platform.clock import SystemClock

    brussels, samoa = (
        SystemClock(ZoneInfo("Europe/Brussels")),
        SystemClock(ZoneInfo("Pacific/Apia")),
    )
    assert abs((samoa.today() - brussels.today()).days) <= 1
    assert 0 < brussels.seconds_until_tomorrow() <= 25 * 3600
    assert date.today() - brussels.today() in (timedelta(0), timedelta(days=1), timedelta(days=-1))
