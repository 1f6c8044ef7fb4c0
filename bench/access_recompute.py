"""Benchmark: recompute the effective access of 100,000 contacts from scratch and publish
the resulting `AccessChanged` events. Prints wall times and events per second beside floors
measured in the same run: the same rights query as one raw SQL statement, and a raw aiokafka
produce of the same number of messages of the same size with the relay's producer settings.

The data is generated directly in a fresh database (contacts, groups with members and
grants, membership types with rights, active and ended memberships), then:

1. recompute: `recompute_all` (the service's own code), batches of contacts, each batch one
   transaction that locks the access rows, computes, and records an event per changed set;
2. publish: the platform's `OutboxRelay` sends those events until none is left (to a bench
   topic with the partitions of kring.access.v1, so the real topic stays clean);
3. recompute again: nothing changed, nothing to publish (the safety net's cost).

Run against a started stack:  ./kring up && uv run python bench/access_recompute.py
(`--contacts 100000 --batch 1000`; Postgres and Kafka from KRING_PG_ADMIN_URL and
KAFKA_BOOTSTRAP_SERVERS, else the dev profile's ports).
"""

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from sqlalchemy import Text, cast, func, select, update

from kring_contracts import TOPICS
from kring_contracts.topics import ACCESS_TOPIC
from kring_memberships.access.access_publishing import recompute_all
from kring_memberships.settings import Settings
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.relay import OutboxRelay
from kring_platform.unit_of_work import UnitsOfWork

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services" / "memberships" / "alembic.ini"
BENCH_TOPIC = "bench.access-recompute"
TODAY = date(2026, 3, 15)
GROUPS = 200
GROUPS_WITH_RIGHTS = 40
TYPES = 5

GENERATE = """
INSERT INTO contacts (id, first_name, last_name, known)
SELECT gen_random_uuid(), 'Bench', 'Contact ' || i, true FROM generate_series(1, %(contacts)s) i;

INSERT INTO groups (id, name, known)
SELECT gen_random_uuid(), 'Bench group ' || lpad(g::text, 4, '0'), true
FROM generate_series(1, %(groups)s) g;

INSERT INTO group_rights (group_id, "right")
SELECT id, 'club.right' || (n %% 20)
FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM groups) numbered
WHERE n <= %(groups_with_rights)s;

-- Each contact in up to two groups.
INSERT INTO group_members (group_id, contact_id)
SELECT DISTINCT g.ids[1 + floor(random() * %(groups)s)::int], c.id
FROM contacts c, (SELECT array_agg(id ORDER BY name) AS ids FROM groups) g, generate_series(1, 2)
WHERE random() < 0.6;

INSERT INTO membership_types (id, name, description, billing_period, period_start_month,
    period_start_day, term_kind, pro_rata, refund_on_early_end, rights, archived, version)
SELECT gen_random_uuid(), 'Bench type ' || t, '', 'yearly', 1, 1, 'rolling', false, false,
    ARRAY['website.members', 'facility.type' || t], false, 1
FROM generate_series(1, %(types)s) t;

-- Four in five contacts hold a membership; a quarter of those ended it a while ago.
INSERT INTO memberships (id, contact_id, type_id, start_date, end_date, end_reason,
    member_number, version, activated_at, ended_at)
SELECT gen_random_uuid(), contact_id, type_id, start_date, end_date,
    CASE WHEN end_date IS NULL THEN NULL ELSE 'resigned' END,
    'B' || lpad(n::text, 7, '0'), 1, now(), CASE WHEN end_date IS NULL THEN NULL ELSE now() END
FROM (
    SELECT c.id AS contact_id, t.ids[1 + floor(random() * %(types)s)::int] AS type_id,
        s.start_date,
        CASE WHEN random() < 0.25 THEN s.start_date + (random() * 20)::int END AS end_date,
        row_number() OVER () AS n
    FROM contacts c
    CROSS JOIN (SELECT array_agg(id) AS ids FROM membership_types) t
    CROSS JOIN LATERAL (
        SELECT %(today)s::date - (30 + random() * 1000 + (c.id IS NULL)::int)::int AS start_date
    ) s
    WHERE random() < 0.8
) generated;
"""

# The rights of every contact in one statement: the work of the recompute without its
# locking, batching and writing.
RIGHTS_OF_ALL = """
SELECT granted.contact_id, array_agg(granted.right ORDER BY granted.right)
FROM (
    SELECT gm.contact_id, gr.right
    FROM group_members gm
    JOIN groups g ON g.id = gm.group_id AND NOT g.deleted
    JOIN group_rights gr ON gr.group_id = gm.group_id
    UNION
    SELECT m.contact_id, unnest(t.rights)
    FROM memberships m JOIN membership_types t ON t.id = m.type_id
    WHERE m.deleted_at IS NULL AND m.start_date <= %(today)s
        AND (m.end_date IS NULL OR m.end_date >= %(today)s)
) granted
JOIN contacts c ON c.id = granted.contact_id AND NOT c.deleted
GROUP BY granted.contact_id
"""


def admin_url() -> str:
    return os.environ.get("KRING_PG_ADMIN_URL", "postgresql://kring@127.0.0.1:55432/postgres")


def bootstrap_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


def fresh_database() -> tuple[str, str]:
    """A new database migrated to head: (its libpq URL, its SQLAlchemy URL)."""
    name = f"bench_access_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{admin_url().rsplit('/', 1)[0]}/{name}"
    sqlalchemy_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ALEMBIC_INI), "upgrade", "head"],
        env={**os.environ, "DATABASE_URL": sqlalchemy_url},
        check=True,
        capture_output=True,
    )
    return url, sqlalchemy_url


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(url: str, contacts: int) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        params = {
            "contacts": contacts,
            "groups": GROUPS,
            "groups_with_rights": GROUPS_WITH_RIGHTS,
            "types": TYPES,
            "today": TODAY,
        }
        for statement in GENERATE.split(";\n"):
            if statement.strip():
                conn.execute(
                    statement, {k: v for k, v in params.items() if f"%({k})s" in statement}
                )
        counts = {}
        for table in ("contacts", "group_members", "group_rights", "memberships"):
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            counts[table] = row[0] if row else 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return counts


def raw_rights_query(url: str) -> tuple[float, int]:
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        rows = conn.execute(RIGHTS_OF_ALL, {"today": TODAY}).fetchall()
        return time.perf_counter() - started, len(rows)


async def ensure_bench_topic() -> None:
    partitions = next(spec.partitions for spec in TOPICS if spec.name == ACCESS_TOPIC)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(BENCH_TOPIC, partitions, 1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()


async def publish(settings: Settings, database: Database, events: int) -> float:
    """Runs the relay until every outbox row is published; its wall time."""
    relay = OutboxRelay(settings, database)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(relay.run(stop))
    while relay.stats.published < events:
        await asyncio.sleep(0.05)
        if task.done():
            task.result()
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    return elapsed


async def raw_produce(count: int, value: bytes) -> float:
    """The floor: the same number of messages of the same size, the relay's producer
    settings (idempotent, acks=all, linger 2 ms), all in flight at once."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(), enable_idempotence=True, acks="all", linger_ms=2
    )
    await producer.start()
    try:
        started = time.perf_counter()
        sends = [
            await producer.send(BENCH_TOPIC, value=value, key=str(uuid.uuid4()).encode())
            for _ in range(count)
        ]
        await asyncio.gather(*sends)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000, help="contacts per transaction")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    url, sqlalchemy_url = fresh_database()
    settings = Settings(
        database_url=sqlalchemy_url,
        kafka_bootstrap_servers=bootstrap_servers(),
        relay_poll_interval_s=0.2,
    )
    database = Database(sqlalchemy_url, pool_size=4)
    try:
        started = time.perf_counter()
        counts = generate(url, args.contacts)
        print(
            f"generated in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {table}" for table, n in counts.items())
        )
        floor_sql_s, holders = raw_rights_query(url)

        units = UnitsOfWork(database, settings.event_source)
        started = time.perf_counter()
        first = await recompute_all(units, TODAY, batch_size=args.batch)
        recompute_s = time.perf_counter() - started

        async with database.transaction() as session:
            await session.execute(update(outbox).values(topic=BENCH_TOPIC))
            size = await session.scalar(select(func.avg(func.length(cast(outbox.c.payload, Text)))))
        await ensure_bench_topic()
        publish_s = await publish(settings, database, first.changed)
        floor_kafka_s = await raw_produce(first.changed, b"x" * int(size or 200))

        started = time.perf_counter()
        second = await recompute_all(units, TODAY, batch_size=args.batch)
        again_s = time.perf_counter() - started
    finally:
        await database.dispose()
        if not args.keep:
            drop_database(url)

    events = first.changed
    print(f"contacts recomputed:        {first.contacts:>9,}  ({holders:,} hold a right)")
    print(
        f"recompute (record events):  {recompute_s:9.2f} s  "
        f"{first.contacts / recompute_s:>9,.0f} contacts/s  {events / recompute_s:>9,.0f} events/s"
    )
    print(
        f"  floor: raw SQL, one query {floor_sql_s:9.2f} s  {holders / floor_sql_s:>9,.0f} rows/s"
    )
    print(
        f"publish (outbox relay):     {publish_s:9.2f} s  {events / publish_s:>9,.0f} events/s"
        f"  ({events:,} events, {int(size or 0)} bytes each)"
    )
    print(
        f"  floor: raw aiokafka       {floor_kafka_s:9.2f} s  "
        f"{events / floor_kafka_s:>9,.0f} messages/s"
    )
    print(
        f"recompute + publish:        {recompute_s + publish_s:9.2f} s  "
        f"{events / (recompute_s + publish_s):>9,.0f} events/s end to end"
    )
    print(
        f"recompute again (no change): {again_s:8.2f} s  "
        f"{second.contacts / again_s:>9,.0f} contacts/s, {second.changed} events"
    )


if __name__ == "__main__":
    asyncio.run(main())
