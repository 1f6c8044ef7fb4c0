"""Reads and replays the messages a consumer group parked in its DLQ, after a fix.

Operators use `kringctl dlq list|show|replay` (kring-ops), which calls these functions.

What was replayed is remembered by the consumer group `<group>.dlq-replay`: its committed
offset is a watermark (everything before it was replayed) and the commit's metadata lists the
offsets above it replayed one by one (`replayed:7,9`). A dead letter is *pending* while it is
neither. A replayed event is applied like any other; one whose aggregate has since moved on
to a higher `sequence` is skipped as stale by the consumer, and one a consumer already applied
(the other groups of the topic get the replay too) is skipped by its inbox.
"""

import logging
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord, OffsetAndMetadata

from kring_contracts import dlq_topic
from kring_contracts.topics import CONSUMER_GROUPS
from kring_platform.dlq import DLQ_HEADER_PREFIX
from kring_platform.kafka_clients import new_producer, topic_partitions
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)

_REPLAYED_PREFIX = "replayed:"
# Kafka keeps at most 4096 bytes of commit metadata (offset.metadata.max.bytes).
_MAX_METADATA = 4000


def dlq_sources() -> list[tuple[str, str]]:
    """Every (topic, consumer group) pair that has a dead-letter topic."""
    return [(topic, group) for topic, groups in CONSUMER_GROUPS.items() for group in groups]


def replay_group(group: str) -> str:
    return f"{group}.dlq-replay"


@dataclass(frozen=True)
class ReplayMark:
    """How far one DLQ partition was replayed: all below `watermark`, and `replayed` above."""

    watermark: int
    replayed: frozenset[int] = frozenset()

    @classmethod
    def parse(cls, committed: OffsetAndMetadata | None) -> "ReplayMark":
        if committed is None or committed.offset < 0:
            return cls(0)
        metadata = committed.metadata or ""
        listed = metadata.removeprefix(_REPLAYED_PREFIX) if metadata else ""
        offsets = frozenset(int(part) for part in listed.split(",") if part.isdigit())
        return cls(committed.offset, offsets)

    def with_replayed(self, offset: int) -> "ReplayMark":
        replayed = set(self.replayed) | {offset}
        watermark = self.watermark
        while watermark in replayed:  # contiguous replays move the watermark on
            replayed.discard(watermark)
            watermark += 1
        return ReplayMark(watermark, frozenset(o for o in replayed if o > watermark))

    def is_pending(self, offset: int) -> bool:
        return offset >= self.watermark and offset not in self.replayed

    def commit_value(self) -> OffsetAndMetadata:
        metadata = _REPLAYED_PREFIX + ",".join(str(o) for o in sorted(self.replayed))
        if len(metadata) > _MAX_METADATA:
            raise ValueError("Too many dead letters replayed one by one: replay the rest whole.")
        return OffsetAndMetadata(self.watermark, metadata if self.replayed else "")


@dataclass(frozen=True)
class DeadLetter:
    """One parked message with the reason its consumer gave."""

    topic: str
    group: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]
    parked_at: datetime

    @property
    def id(self) -> str:
        return dead_letter_id(dlq_topic(self.topic, self.group), self.partition, self.offset)

    def header(self, name: str) -> str:
        return self.headers.get(DLQ_HEADER_PREFIX + name, "")


def dead_letter_id(source: str, partition: int, offset: int) -> str:
    return f"{source}:{partition}:{offset}"


def parse_dead_letter_id(text: str) -> tuple[str, str, int, int]:
    """(topic, group, partition, offset) of `<dlq topic>:<partition>:<offset>`; ValueError."""
    source, _, position = text.partition(":")
    partition, _, offset = position.partition(":")
    for topic, group in dlq_sources():
        if dlq_topic(topic, group) == source and partition.isdigit() and offset.isdigit():
            return topic, group, int(partition), int(offset)
    raise ValueError(f"{text!r} is not a dead letter id (<dlq topic>:<partition>:<offset>).")


async def replay_marks(
    bootstrap_servers: str, group: str, partitions: list[TopicPartition]
) -> dict[TopicPartition, ReplayMark]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(
            replay_group(group), partitions=partitions
        )
    finally:
        await admin.close()
    return {tp: ReplayMark.parse(committed.get(tp)) for tp in partitions}


async def _parked_records(
    consumer: AIOKafkaConsumer, marks: dict[TopicPartition, ReplayMark]
) -> AsyncIterator[ConsumerRecord]:
    """The records from each partition's watermark to the end it had when this began."""
    partitions = list(marks)
    consumer.assign(partitions)
    end = await consumer.end_offsets(partitions)
    first = await consumer.beginning_offsets(partitions)
    for tp in partitions:
        consumer.seek(tp, max(marks[tp].watermark, first[tp]))
    remaining = {tp for tp in partitions if await consumer.position(tp) < end[tp]}
    while remaining:
        batches = await consumer.getmany(*remaining, timeout_ms=1000)
        for tp, records in batches.items():
            for record in records:
                if record.offset < end[tp]:
                    yield record
        remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}


def _dead_letter(topic: str, group: str, record: ConsumerRecord) -> DeadLetter:
    return DeadLetter(
        topic=topic,
        group=group,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers={k: v.decode(errors="replace") for k, v in record.headers or ()},
        parked_at=datetime.fromtimestamp(record.timestamp / 1000, UTC),
    )


async def pending_dead_letters(topic: str, group: str, bootstrap_servers: str) -> list[DeadLetter]:
    """The messages of the group's DLQ for `topic` not replayed yet, oldest first."""
    partitions = await topic_partitions(dlq_topic(topic, group), bootstrap_servers)
    marks = await replay_marks(bootstrap_servers, group, partitions)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        return [
            _dead_letter(topic, group, record)
            async for record in _parked_records(consumer, marks)
            if marks[TopicPartition(record.topic, record.partition)].is_pending(record.offset)
        ]
    finally:
        await consumer.stop()


async def replay_dlq(
    topic: str, group: str, bootstrap_servers: str, offsets: Collection[int] | None = None
) -> int:
    """Re-publishes the DLQ's pending messages (or only those at `offsets`, of any partition)
    to `topic`; returns how many."""
    source = dlq_topic(topic, group)
    settings = ServiceSettings(service_name="dlq-replay", kafka_bootstrap_servers=bootstrap_servers)
    partitions = await topic_partitions(source, bootstrap_servers)
    marks = await replay_marks(bootstrap_servers, group, partitions)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=replay_group(group),
        enable_auto_commit=False,
    )
    producer = new_producer(settings, "dlq-replay")
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        async for record in _parked_records(consumer, marks):
            tp = TopicPartition(record.topic, record.partition)
            wanted = offsets is None or record.offset in offsets
            if not (wanted and marks[tp].is_pending(record.offset)):
                continue
            headers = [(k, v) for k, v in record.headers if not k.startswith(DLQ_HEADER_PREFIX)]
            headers.append(("kring-replayed-from", source.encode()))
            await producer.send_and_wait(topic, value=record.value, key=record.key, headers=headers)
            marks[tp] = marks[tp].with_replayed(record.offset)
            await consumer.commit({tp: marks[tp].commit_value()})
            replayed += 1
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed
