"""A contribution run survives a worker killed with SIGKILL mid-run: over 20,000
memberships and two billing worker processes, one is killed while the run is under way;
its items go to the other (Kafka rebalance, the inbox and the unique index make the
redelivered ones harmless) and every membership is invoiced exactly once, with gap-free
numbers.

Seeding: billing's read model (contacts, a type with its fee, memberships) is written by SQL
into this run's billing database — 20,000 memberships through the memberships API would be
too slow for CI. test_billing.py proves that the read model fills from the real topics.
"""

import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest

from kring_billing.contribution_runs.periods import yearly_period
from kring_platform.testing import eventually
from kring_stack.postgres import sqlalchemy_url
from kring_stack.services import kill_service, start_service

from .billing_api import run_progress, run_progress_until_done
from .conftest import RunningSystem

pytestmark = pytest.mark.e2e

MEMBERSHIPS = 20_000
FEE = Decimal("42.00")
WORKER = "billing-worker"


def billing_dsn(system: RunningSystem) -> str:
    url = sqlalchemy_url(system.profile, system.databases["billing"])
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def seed(dsn: str, type_id: uuid.UUID, name: str, start: date) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO membership_types (id, name, billing_period, period_start_month, "
            "period_start_day) VALUES (%s, %s, 'yearly', 9, 1)",
            (type_id, name),
        )
        conn.execute(
            "INSERT INTO fee_versions (type_id, valid_from, amount, currency) "
            "VALUES (%s, '2000-01-01', %s, 'EUR')",
            (type_id, FEE),
        )
        conn.execute(
            """
            WITH people AS (
                INSERT INTO contacts (id, first_name, last_name, known)
                SELECT gen_random_uuid(), 'Crash', 'Member ' || n, true
                FROM generate_series(1, %(count)s) AS n
                RETURNING id
            )
            INSERT INTO memberships (id, contact_id, type_id, start_date)
            SELECT gen_random_uuid(), id, %(type)s, %(start)s FROM people
            """,
            {"count": MEMBERSHIPS, "type": type_id, "start": start},
        )


def invoiced(dsn: str, type_id: uuid.UUID, run_id: str) -> dict[str, Any]:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            """
            SELECT count(*), count(DISTINCT i.membership_id), coalesce(sum(i.total), 0),
                (SELECT count(*) FROM memberships m WHERE m.type_id = %(type)s
                 AND NOT EXISTS (SELECT 1 FROM invoices x WHERE x.membership_id = m.id))
            FROM invoices i JOIN memberships m ON m.id = i.membership_id
            WHERE m.type_id = %(type)s
            """,
            {"type": type_id},
        ).fetchone()
        numbers = conn.execute(
            "SELECT count(*), count(DISTINCT sequence_number), max(sequence_number) "
            "FROM invoices WHERE year = (SELECT extract(year FROM issue_date)::int "
            "FROM contribution_runs WHERE id = %s)",
            (run_id,),
        ).fetchone()
    assert row is not None and numbers is not None
    return {
        "invoices": row[0],
        "memberships": row[1],
        "total": row[2],
        "not_invoiced": row[3],
        "numbers": numbers,
    }


@pytest.fixture
def second_worker(system: RunningSystem) -> Iterator[None]:
    """A second worker process (replica 1); afterwards replica 0 is running again alone."""
    start_service(WORKER, system.profile, database=system.databases[WORKER], replica=1)
    yield
    kill_service(WORKER, system.profile, signal.SIGTERM, replica=1)
    system.start(WORKER)


@pytest.fixture
async def billing(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("billing", timeout=60.0) as client:
        yield client


async def test_a_worker_killed_mid_run_leaves_every_membership_invoiced_once(
    system: RunningSystem, second_worker: None, billing: httpx.AsyncClient, unique: str
) -> None:
    season = yearly_period(date.today(), 9, 1)
    type_id = uuid.uuid4()
    dsn = billing_dsn(system)
    seed(dsn, type_id, f"Crash {unique}", season.start)

    body = {"period_day": season.start.isoformat(), "type_ids": [str(type_id)]}
    started = await billing.post("/contribution-runs", json=body)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert started.json()["memberships"] == MEMBERSHIPS

    under_way = await eventually(
        lambda: run_progress(billing, run_id),
        until=lambda run: run["items_done"] > 0,
        interval=0.02,
    )
    system.kill(WORKER, signal.SIGKILL)
    assert under_way["items_done"] < under_way["items"], "the run ended before the kill"

    done = await run_progress_until_done(billing, run_id, timeout=120.0)
    assert done["invoices_created"] == MEMBERSHIPS
    found = invoiced(dsn, type_id, run_id)
    assert found["invoices"] == MEMBERSHIPS
    assert found["memberships"] == MEMBERSHIPS
    assert found["not_invoiced"] == 0
    assert found["total"] == FEE * MEMBERSHIPS
    count, distinct, highest = found["numbers"]
    assert count == distinct == highest, "invoice numbers have a gap or a duplicate"
