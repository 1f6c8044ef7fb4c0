"""The Kafka side of backups: where every consumer group stood and where every topic ended at
backup time, and how far back the restored outboxes must republish."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kring_contracts.topics import CONSUMER_GROUPS, TOPICS
from kring_platform.kafka_clients import new_admin, new_consumer
from kring_platform.settings import ServiceSettings

# The topics services publish to; DLQ topics (`<topic>.dlq.<group>`) are not among them.
EVENT_TOPICS = tuple(spec.name for spec in TOPICS if ".dlq." not in spec.name)
ALL_TOPICS = tuple(spec.name for spec in TOPICS)
# Reading the first unconsumed record of a lagging partition takes one fetch.
FETCH_TIMEOUT_S = 30.0


@dataclass
class KafkaState:
    """Offsets at backup time: `topics[topic][partition]` is [first, end) of the log,
    `groups[group][topic][partition]` the committed offset (the log's first offset where a
    group committed none, as it would start there)."""

    read_at: datetime
    topics: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)
    groups: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)
    # Per lagging partition ("topic[p]"), when the oldest record a group had not consumed
    # was published.
    oldest_unconsumed: dict[str, datetime] = field(default_factory=dict)

    def lag(self, group: str, topic: str) -> int:
        committed = self.groups.get(group, {}).get(topic)
        if committed is None:
            return 0  # a topic the group does not read
        return sum(
            end - max(committed.get(partition, first), first)
            for partition, (first, end) in self.topics.get(topic, {}).items()
        )

    def lagging(self) -> list[tuple[str, TopicPartition, int]]:
        """(group, partition, committed offset) wherever a group had not read to the end."""
        found = []
        for group, topics in self.groups.items():
            for topic, committed in topics.items():
                for partition, offset in committed.items():
                    first, end = self.topics.get(topic, {}).get(partition, (0, 0))
                    if max(offset, first) < end:
                        found.append((group, TopicPartition(topic, partition), max(offset, first)))
        return found


def _clients(bootstrap: str) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
    """An admin client and a group-less consumer; TLS and SASL as the services' settings
    (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*) say."""
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap)
    return new_admin(settings), new_consumer(settings, group_id=None, enable_auto_commit=False)


async def _log_bounds(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, topics: Iterable[str]
) -> dict[str, dict[int, tuple[int, int]]]:
    described = await admin.describe_topics(list(topics))
    partitions = sorted(
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in topic["partitions"]
    )
    firsts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    bounds: dict[str, dict[int, tuple[int, int]]] = {}
    for tp in partitions:
        bounds.setdefault(tp.topic, {})[tp.partition] = (firsts[tp], ends[tp])
    return bounds


async def _committed_offsets(
    admin: AIOKafkaAdminClient, bounds: dict[str, dict[int, tuple[int, int]]]
) -> dict[str, dict[str, dict[int, int]]]:
    groups: dict[str, dict[str, dict[int, int]]] = {}
    listed = {str(entry[0]) for entry in await admin.list_consumer_groups()}
    for group in sorted(listed | {g for gs in CONSUMER_GROUPS.values() for g in gs}):
        offsets = await admin.list_consumer_group_offsets(group)
        committed: dict[str, dict[int, int]] = {}
        # A Kring group that committed nothing yet on a topic starts at the log's beginning.
        for topic, groups_of_topic in CONSUMER_GROUPS.items():
            if group in groups_of_topic:
                committed[topic] = {p: first for p, (first, _) in bounds.get(topic, {}).items()}
        for tp, meta in offsets.items():
            if meta.offset >= 0:
                committed.setdefault(tp.topic, {})[tp.partition] = meta.offset
        if committed:
            groups[group] = committed
    return groups


async def _first_record_times(
    consumer: AIOKafkaConsumer, wanted: dict[TopicPartition, int]
) -> dict[TopicPartition, datetime]:
    consumer.assign(list(wanted))
    for tp, offset in wanted.items():
        consumer.seek(tp, offset)
    found: dict[TopicPartition, datetime] = {}
    async with asyncio.timeout(FETCH_TIMEOUT_S):
        while len(found) < len(wanted):
            batches = await consumer.getmany(timeout_ms=1000)
            for tp, records in batches.items():
                if records and tp not in found:
                    found[tp] = datetime.fromtimestamp(records[0].timestamp / 1000, UTC)
                    consumer.pause(tp)
    return found


async def read_kafka_state(bootstrap: str) -> KafkaState:
    """Committed offsets of every consumer group, log bounds of every Kring topic, and when
    the oldest record some group had not consumed yet was published."""
    state = KafkaState(read_at=datetime.now(UTC))
    admin, consumer = _clients(bootstrap)
    await admin.start()
    await consumer.start()
    try:
        present = set(await admin.list_topics())
        state.topics = await _log_bounds(admin, consumer, [t for t in ALL_TOPICS if t in present])
        state.groups = await _committed_offsets(admin, state.topics)
        # Groups may stand at different offsets of one partition: the lowest is the oldest.
        wanted: dict[TopicPartition, int] = {}
        for _, tp, offset in state.lagging():
            if tp.topic in EVENT_TOPICS:
                wanted[tp] = min(offset, wanted.get(tp, offset))
        times = await _first_record_times(consumer, wanted) if wanted else {}
        state.oldest_unconsumed = {f"{tp.topic}[{tp.partition}]": t for tp, t in times.items()}
    finally:
        await consumer.stop()
        await admin.close()
    return state


async def topics_not_fresh(bootstrap: str) -> tuple[list[str], list[str]]:
    """(missing, holding records): the Kring topics a restore would not find fresh."""
    admin, consumer = _clients(bootstrap)
    await admin.start()
    await consumer.start()
    try:
        present = set(await admin.list_topics())
        bounds = await _log_bounds(admin, consumer, [t for t in ALL_TOPICS if t in present])
    finally:
        await consumer.stop()
        await admin.close()
    missing = [topic for topic in ALL_TOPICS if topic not in present]
    used = [
        topic
        for topic, partitions in bounds.items()
        if any(end > 0 for _, end in partitions.values())
    ]
    return missing, used
