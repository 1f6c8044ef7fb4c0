"""Benchmark: how fast one consumer process applies a backlog of events.

Puts N `group_member.added` events (N contacts joining one group that a mailing list
follows) straight onto a fresh topic with the partitions of `kring.contacts.v1`, then runs
the newsletters service's own consumer (its handlers, the platform's `EventConsumer`, one
process) on a fresh, migrated newsletters database and times until every subscription
exists. Printed beside the floor measured in the same run: a raw aiokafka consumer reading
the same records, plus the same number of subscription rows inserted by one raw SQL
statement.

Run against a started stack (no services needed):
    eval "$(./kring env)" && uv run python bench/consumer_drain.py [--events 10000]
"""

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import ConsumerRecord, TopicPartition

from kring_contracts import CONTACTS_TOPIC, TOPICS, Envelope
from kring_contracts.contacts import GroupMemberAdded
from kring_newsletters.event_handlers import create_handlers
from kring_platform.consumer import EventConsumer
from kring_platform.db import Database
from kring_platform.settings import ServiceSettings
from kring_platform.testing.databases import create_database, drop_database, migrate
from kring_platform.unit_of_work import UnitsOfWork

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services" / "newsletters" / "alembic.ini"
GROUP_NAME = "Bench drain"


def bootstrap_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


def plain_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def seed_list_following_group(database_url: str, group_id: uuid.UUID) -> None:
    """One known group and one live list following it: each join starts a subscription."""
    with psycopg.connect(plain_url(database_url), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO groups (id, name, known) VALUES (%s, %s, true)", (group_id, GROUP_NAME)
        )
        conn.execute(
            "INSERT INTO mailing_lists (id, name, group_id, name_linking, version)"
            " VALUES (%s, %s, %s, true, 1)",
            (uuid.uuid4(), GROUP_NAME, group_id),
        )


async def create_topic() -> str:
    name = f"bench.consumer-drain.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, _contacts_partitions(), 1)])
    finally:
        await admin.close()
    return name


def _contacts_partitions() -> int:
    return next(spec.partitions for spec in TOPICS if spec.name == CONTACTS_TOPIC)


def member_added(contact_id: uuid.UUID, group_id: uuid.UUID) -> Envelope:
    """As contacts' relay writes it: keyed and sequenced by the contact."""
    payload = GroupMemberAdded(contact_id=contact_id, group_id=group_id, group_name=GROUP_NAME)
    return Envelope(
        id=uuid.uuid4(),
        source="/kring/contacts",
        type=payload.event_type,
        time=datetime.now(UTC),
        subject=str(contact_id),
        sequence=1,
        data=payload.model_dump(mode="json"),
        partitionkey=str(contact_id),
    )


async def produce(topic: str, envelopes: list[Envelope]) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(), acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    started = time.perf_counter()
    try:
        sent = [
            await producer.send(
                topic, value=env.model_dump_json().encode(), key=env.subject.encode()
            )
            for env in envelopes
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def poll_until(probe: Callable[[], Awaitable[int]], target: int, timeout_s: float) -> float:
    """Polls every 20 ms; the time the target was reached."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if await probe() >= target:
            return time.perf_counter()
        await asyncio.sleep(0.02)
    raise TimeoutError(f"not all {target} applied within {timeout_s} s")


class TimedConsumer(EventConsumer):
    """Notes when the first records were in hand: the group join before it is not drain."""

    first_fetch: float | None = None

    async def _consume_fetch(
        self,
        batches: dict[TopicPartition, list[ConsumerRecord]],
        dlq_producer: AIOKafkaProducer,
        stop: asyncio.Event,
    ) -> dict[TopicPartition, int]:
        if self.first_fetch is None:
            self.first_fetch = time.perf_counter()
        return await super()._consume_fetch(batches, dlq_producer, stop)


async def drain(database_url: str, topic: str, events: int, timeout_s: float) -> dict[str, float]:
    settings = ServiceSettings(
        service_name="newsletters",
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap_servers(),
    )
    database = Database(database_url)
    consumer = TimedConsumer(
        settings,
        UnitsOfWork(database, settings.event_source),
        group_id=f"bench-drain-{uuid.uuid4().hex[:6]}",
        topics=[topic],
        handlers=create_handlers(),
    )
    probe_conn = await psycopg.AsyncConnection.connect(plain_url(database_url), autocommit=True)

    async def active_subscriptions() -> int:
        row = await (
            await probe_conn.execute("SELECT count(*) FROM subscriptions WHERE active")
        ).fetchone()
        return int(row[0]) if row else 0

    stop = asyncio.Event()
    cpu_before = time.process_time()
    started = time.perf_counter()
    task = asyncio.create_task(consumer.run(stop))
    try:
        last = await poll_until(active_subscriptions, events, timeout_s)
    finally:
        stop.set()
        await task
        await probe_conn.close()
        await database.dispose()
    assert consumer.first_fetch is not None
    return {
        "total_s": last - started,
        "drain_s": last - consumer.first_fetch,
        "cpu_s": time.process_time() - cpu_before,
    }


async def floor_consume(topic: str, events: int) -> float:
    """A raw consumer in a fresh group, from its first records in hand to the last."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers(),
        group_id=f"bench-drain-floor-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
    )
    await consumer.start()
    try:
        seen = 0
        first = None
        while seen < events:
            batches = await consumer.getmany(timeout_ms=500)
            if batches and first is None:
                first = time.perf_counter()
            seen += sum(len(records) for records in batches.values())
        return time.perf_counter() - (first or time.perf_counter())
    finally:
        await consumer.stop()


def floor_insert(database_url: str, contact_ids: list[uuid.UUID]) -> float:
    """The same number of subscription rows (in a copy of the table, same indexes) by one
    INSERT … SELECT FROM unnest."""
    with psycopg.connect(plain_url(database_url), autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_subscriptions (LIKE subscriptions INCLUDING ALL)")
        list_id = uuid.uuid4()
        started = time.perf_counter()
        conn.execute(
            "INSERT INTO floor_subscriptions (id, list_id, contact_id, via_group, active,"
            " source, version, started_at)"
            " SELECT gen_random_uuid(), %s, c, true, true, 'group', 1, now()"
            " FROM unnest(%s::uuid[]) AS c",
            (list_id, contact_ids),
        )
        return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    database_url = create_database("bench_consumer_drain")
    try:
        migrate(ALEMBIC_INI, database_url)
        group_id = uuid.uuid4()
        seed_list_following_group(database_url, group_id)
        contact_ids = [uuid.uuid4() for _ in range(args.events)]
        topic = await create_topic()
        produced_s = await produce(topic, [member_added(c, group_id) for c in contact_ids])
        print(f"{args.events} events produced onto {topic} in {produced_s:.1f} s")

        result = await drain(database_url, topic, args.events, args.timeout)
        consume_s = await floor_consume(topic, args.events)
        insert_s = floor_insert(database_url, contact_ids)
        floor_s = consume_s + insert_s
        rate = args.events / result["drain_s"]
        print(
            f"consumer: {args.events} applied in {result['drain_s']:.2f} s from its first"
            f" records in hand ({rate:,.0f} events/s; {result['total_s']:.2f} s with the group"
            f" join); CPU {result['cpu_s']:.2f} s = {1000 * result['cpu_s'] / args.events:.2f}"
            " ms/event"
        )
        print(
            f"floor: raw consume {consume_s:.2f} s + one INSERT of {args.events} rows"
            f" {insert_s:.2f} s = {floor_s:.2f} s ({args.events / floor_s:,.0f} events/s);"
            f" consumer / floor = {result['drain_s'] / floor_s:.1f}x"
        )
    finally:
        if args.keep:
            print(f"kept {database_url}")
        else:
            drop_database(database_url)


if __name__ == "__main__":
    asyncio.run(main())
