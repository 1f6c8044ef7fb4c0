"""Kafka on the test's side: producing envelopes the way a service's relay does, reading a
topic from the end offsets noted before the test acted (or from its start), and consumer
groups of a test run's own, committed at the topic's end."""

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from kring_contracts import Envelope, EventPayload
from kring_contracts.kafka_binding import envelope_from_record, structured_headers
from kring_platform.kafka_clients import topic_partitions as partitions_of


def kafka_bootstrap_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")


async def topic_partitions(topic: str) -> list[TopicPartition]:
    """Every partition of the topic on the test broker, in order."""
    return await partitions_of(topic, kafka_bootstrap_servers())


async def start_group_at_end(group_id: str, topic: str) -> None:
    """Commits the group's offsets at the topic's end, so earlier runs' events are skipped."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers(), group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = await topic_partitions(topic)
        consumer.assign(partitions)
        await consumer.commit(dict(await consumer.end_offsets(partitions)))
    finally:
        await consumer.stop()


async def fresh_group_at_end(prefix: str, topic: str) -> str:
    """A consumer group of this run only (`prefix-…`), starting at the topic's end: events of
    earlier runs (other databases) stay out."""
    group = f"{prefix}-{uuid.uuid4().hex[:8]}"
    await start_group_at_end(group, topic)
    return group


@asynccontextmanager
async def kafka_producer() -> AsyncIterator[AIOKafkaProducer]:
    """A started producer that waits for all in-sync replicas, stopped afterwards."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def produce_raw(topic: str, value: bytes, key: bytes) -> None:
    """Puts one message on the topic as it is (e.g. one no consumer can parse)."""
    async with kafka_producer() as producer:
        await producer.send_and_wait(topic, value=value, key=key)


class EnvelopeFeed:
    """Produces events onto a topic the way a service's relay does: in an envelope with the
    service's source, numbered from 1 per subject, keyed by the subject unless told otherwise."""

    def __init__(self, producer: AIOKafkaProducer, topic: str, source: str) -> None:
        self._producer = producer
        self._topic = topic
        self._source = source
        self._sequences: dict[str, int] = defaultdict(int)

    async def publish(
        self,
        payload: EventPayload,
        *,
        subject: object,
        key: object | None = None,
        sequence: int | None = None,
    ) -> Envelope:
        """Sends the next event of the subject, or the one with the sequence given (e.g. one
        already applied: a stale event)."""
        if sequence is None:
            self._sequences[str(subject)] += 1
            sequence = self._sequences[str(subject)]
        envelope = Envelope(
            id=uuid.uuid4(),
            source=self._source,
            type=payload.event_type,
            time=datetime.now(UTC),
            subject=str(subject),
            sequence=sequence,
            data=payload.model_dump(mode="json"),
            partitionkey=str(subject if key is None else key),
        )
        await self.deliver(envelope, key=key)
        return envelope

    async def deliver(self, envelope: Envelope, *, key: object | None = None) -> None:
        """Puts an envelope on the topic as it is, e.g. a second time."""
        await self._producer.send_and_wait(
            self._topic,
            key=str(envelope.subject if key is None else key).encode(),
            value=envelope.model_dump_json().encode(),
            headers=structured_headers(),
        )


async def consumer_at_end(*topics: str) -> AIOKafkaConsumer:
    """A started consumer (no group) on every partition of the topics, at their end offsets
    as they are now: it reads what comes after. The caller stops it."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers(), enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [p for topic in topics for p in await topic_partitions(topic)]
        consumer.assign(partitions)
        for partition, offset in (await consumer.end_offsets(partitions)).items():
            consumer.seek(partition, offset)
    except BaseException:
        await consumer.stop()
        raise
    return consumer


class _Reader:
    """Started and stopped by `async with`, or by `start()` and `stop()`."""

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class PublishedEvents(_Reader):
    """Everything that lands on the topics from `start()` on, with its Kafka key, collected
    in the background; `async with` starts and stops it."""

    def __init__(self, *topics: str) -> None:
        self.topics = topics
        self.received: list[tuple[str, Envelope]] = []
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._consumer = await consumer_at_end(*self.topics)
        self._task = asyncio.create_task(self._collect(self._consumer))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _collect(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    envelope = envelope_from_record(record.value, record.headers)
                    self.received.append((record.key.decode(), envelope))

    def about(self, subject: object) -> list[Envelope]:
        return [envelope for _, envelope in self.received if envelope.subject == str(subject)]

    def keys_of(self, subject: object) -> set[str]:
        return {key for key, envelope in self.received if envelope.subject == str(subject)}


class TopicTail(_Reader):
    """A topic from its end offsets at `start()`, read when asked: the envelopes as dicts,
    with the record's key (`_key`) and partition (`_partition`)."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.records: list[Any] = []
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = await consumer_at_end(self.topic)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    async def events_about(
        self, subject: object, count: int, timeout: float = 20.0
    ) -> list[dict[str, Any]]:
        """The envelopes of `subject` (in partition order), once `count` of them arrived;
        waits a moment longer to catch any unexpected extra one."""
        assert self._consumer is not None, "start() the tail first"
        deadline = time.monotonic() + timeout
        settle_until: float | None = None
        while time.monotonic() < deadline:
            batches = await self._consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                self.records.extend(batch)
            found = self._envelopes(subject)
            if len(found) >= count:
                settle_until = settle_until or time.monotonic() + 0.5
                if time.monotonic() >= settle_until:
                    return found
        return self._envelopes(subject)

    def _envelopes(self, subject: object) -> list[dict[str, Any]]:
        envelopes = []
        for record in self.records:
            envelope = json.loads(record.value)
            if envelope["subject"] == str(subject):
                envelopes.append(
                    {**envelope, "_key": record.key.decode(), "_partition": record.partition}
                )
        return envelopes


async def read_from_start(
    topic: str, until: Callable[[list[Any]], bool], timeout: float = 20.0
) -> list[Any]:
    """The records of `topic` from its beginning, read until `until(records)` holds or the
    timeout passes."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap_servers(),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records) and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records
