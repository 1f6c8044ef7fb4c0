"""Looking at the Kafka side of the running system: raw messages, DLQs, consumer lag."""

from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from kring_platform.testing import (
    kafka_bootstrap_servers,
    produce_raw,
    read_from_start,
    topic_partitions,
)

__all__ = ["consumer_lag", "find_message", "produce_raw"]


async def find_message(topic: str, value: bytes, timeout: float = 30.0) -> Any | None:
    """The first record of `topic` whose value is `value`, or None."""

    def matching(records: list[Any]) -> list[Any]:
        return [record for record in records if record.value == value]

    records = await read_from_start(topic, until=lambda read: bool(matching(read)), timeout=timeout)
    return next(iter(matching(records)), None)


async def consumer_lag(group: str, topic: str) -> int:
    """Messages of `topic` not yet committed by `group`, over all partitions."""
    partitions = await topic_partitions(topic)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap_servers())
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
        await admin.close()
    return sum(
        ends[tp] - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0)
        for tp in partitions
    )
