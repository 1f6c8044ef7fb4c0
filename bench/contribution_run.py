"""Benchmark: a contribution run over N memberships, worked off by 1 and then 2 billing
worker processes, beside the floor measured in the same run: the same invoice and line rows
written by one raw SQL INSERT … SELECT.

Run against the local stack (its Postgres and Kafka):

    ./kring up --profile test --no-services && eval "$(./kring env --profile test)"
    uv run python bench/contribution_run.py [--memberships 100000] [--workers 1 2] [--keep]

It creates a fresh database, migrates it, writes billing's read model by SQL (N contacts,
one yearly type with a fee, N memberships), then for each worker count starts that many
`kring_billing.worker:app` processes (uvicorn, a consumer group of this run's own), waits
until the group is stable, starts a run for the next season in-process (the API's own
`start_run`: plan, work items, outbox) and times until every item is done, then until the
workers' relay has published every event. Each run bills a season of its own, so every run
makes N invoices; before the next one the outbox is empty and the tables vacuumed, so no run
inherits another's backlog or dead rows. The floor bills one more season with one statement
(invoices, numbers and lines; no events, no work items).
"""

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
from aiokafka.admin import AIOKafkaAdminClient

from kring_billing.contribution_runs.contribution_runs import start_run
from kring_contracts import BILLING_RUNS_TOPIC
from kring_platform.db import Database
from kring_platform.testing import (
    create_database,
    drop_database,
    kafka_bootstrap_servers,
    migrate,
    start_group_at_end,
)
from kring_platform.unit_of_work import UnitsOfWork

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services" / "billing" / "alembic.ini"
FEE = Decimal("75.00")
FIRST_SEASON = date(2030, 9, 1)
EVENT_SOURCE = "/kring/billing"  # the API's and the workers' (Settings.event_source)


def psycopg_dsn(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def seed(dsn: str, memberships: int) -> uuid.UUID:
    type_id = uuid.uuid4()
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO membership_types (id, name, billing_period, period_start_month, "
            "period_start_day) VALUES (%s, 'Bench', 'yearly', 9, 1)",
            (type_id,),
        )
        conn.execute(
            "INSERT INTO fee_versions (type_id, valid_from, amount) VALUES (%s, '2000-01-01', %s)",
            (type_id, FEE),
        )
        conn.execute(
            """
            WITH people AS (
                INSERT INTO contacts (id, first_name, last_name, email, street, number,
                    postcode, city, known)
                SELECT gen_random_uuid(), 'Member', 'Number ' || n, 'm' || n || '@example.org',
                    'Kerkstraat', (n %% 200)::text, '9000', 'Gent', true
                FROM generate_series(1, %(count)s) AS n
                RETURNING id
            )
            INSERT INTO memberships (id, contact_id, type_id, start_date)
            SELECT gen_random_uuid(), id, %(type)s, '2020-01-01' FROM people
            """,
            {"count": memberships, "type": type_id},
        )
        conn.execute("ANALYZE")
    return type_id


def season(index: int) -> date:
    return FIRST_SEASON.replace(year=FIRST_SEASON.year + index)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def workers(database_url: str, group: str, count: int) -> Iterator[list[str]]:
    """`count` worker processes of one consumer group; their health URLs."""
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers(),
        "WORKER_CONSUMER_GROUP": group,
        "SERVICE_NAME": "billing-worker",
        "LOG_LEVEL": "WARNING",
        "OTEL_TRACES_EXPORTER": "none",
    }
    try:
        for _ in range(count):
            port = free_port()
            command = [sys.executable, "-m", "uvicorn", "kring_billing.worker:app"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
            processes.append(subprocess.Popen(command, env=env))
            urls.append(f"http://127.0.0.1:{port}/health/ready")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


async def wait_ready(urls: list[str], group: str, members: int) -> None:
    """Until every worker answers ready and the group is stable with all of them in it."""
    async with httpx.AsyncClient() as client:
        for url in urls:
            while True:
                try:
                    if (await client.get(url)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        while True:
            [described] = await admin.describe_consumer_groups([group])
            _, _, state, _, _, group_members = described.groups[0][:6]
            if state == "Stable" and len(group_members) == members:
                return
            await asyncio.sleep(0.2)
    finally:
        await admin.close()


async def timed_run(units: UnitsOfWork, period_day: date) -> tuple[float, float, float, int]:
    """(seconds to plan and queue, until every item is done, until every event is published,
    invoices made)."""
    started = time.perf_counter()
    async with units() as work:
        run = await start_run(
            work,
            period_day=period_day,
            reference_day=period_day,
            issue_date=period_day,
            due_date=period_day + timedelta(days=30),
            chunk_size=500,
        )
    planned = time.perf_counter() - started
    async with units.database.engine.connect() as conn:
        while True:
            progress = (
                await conn.exec_driver_sql(
                    "SELECT count(*) FILTER (WHERE done_at IS NOT NULL), "
                    "coalesce(sum(invoices_created), 0) FROM run_items WHERE run_id = %(run)s",
                    {"run": run.id},
                )
            ).one()
            done, made = tuple(progress)
            await conn.rollback()
            if done == run.item_count:
                break
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - started
        # The relay goes on publishing the run's events: wait for it, so that the next run
        # does not pay for this one's backlog.
        while (
            await conn.exec_driver_sql("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        ).scalar_one():
            await conn.rollback()
            await asyncio.sleep(0.05)
        return planned, wall, time.perf_counter() - started, int(made)


def vacuum(dsn: str) -> None:
    """The same start for every run: the numbering UPDATE leaves a dead row per invoice."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


FLOOR_SQL = """
WITH made AS (
    INSERT INTO invoices (id, kind, status, contact_id, number, year, sequence_number,
        issue_date, due_date, currency, total_net, total_vat, total, billing_name,
        billing_address, billing_email, source, membership_id, period_start, period_end,
        version)
    SELECT gen_random_uuid(), 'invoice', 'issued', m.contact_id,
        %(year)s::text || '-' || lpad(row_number() OVER (ORDER BY m.id)::text, 6, '0'),
        %(year)s, row_number() OVER (ORDER BY m.id), %(day)s, %(day)s, 'EUR',
        %(fee)s, 0, %(fee)s, btrim(c.first_name || ' ' || c.last_name), c.street, c.email,
        'contribution_run', m.id, %(day)s, %(end)s, 1
    FROM memberships m JOIN contacts c ON c.id = m.contact_id
    RETURNING id, total
)
INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price,
    vat_rate, net_amount, vat_amount)
SELECT id, 1, 'Membership fee', 1, total, 0, total, 0 FROM made
"""


def floor(dsn: str, period_day: date) -> tuple[float, int]:
    end = period_day.replace(year=period_day.year + 1) - timedelta(days=1)
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        cursor = conn.execute(
            FLOOR_SQL, {"year": period_day.year, "day": period_day, "end": end, "fee": FEE}
        )
        conn.commit()
        return time.perf_counter() - started, cursor.rowcount


async def bench(args: argparse.Namespace) -> None:
    database_url = create_database("billing_bench")
    dsn = psycopg_dsn(database_url)
    print(f"database {database_url}")
    try:
        migrate(ALEMBIC_INI, database_url)
        started = time.perf_counter()
        seed(dsn, args.memberships)
        print(f"seeded {args.memberships:,} memberships in {time.perf_counter() - started:.1f} s")
        database = Database(database_url)
        units = UnitsOfWork(database, EVENT_SOURCE)
        try:
            for index, count in enumerate(args.workers):
                group = f"billing-bench-{uuid.uuid4().hex[:8]}"
                await start_group_at_end(group, BILLING_RUNS_TOPIC)
                vacuum(dsn)
                with workers(database_url, group, count) as urls:
                    await wait_ready(urls, group, count)
                    planned, wall, published, made = await timed_run(units, season(index))
                print(
                    f"{count} worker(s): {made:,} invoices in {wall:.1f} s "
                    f"({made / wall:,.0f} invoices/s; planning and queueing {planned:.1f} s; "
                    f"every event published after {published:.1f} s)"
                )
        finally:
            await database.dispose()
        vacuum(dsn)
        seconds, rows = floor(dsn, season(len(args.workers)))
        print(
            f"floor: {rows:,} invoices (+ lines) by one INSERT … SELECT in {seconds:.1f} s "
            f"({rows / seconds:,.0f} rows/s)"
        )
        print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    finally:
        if args.keep:
            print(f"kept {database_url}")
        else:
            drop_database(database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--memberships", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
