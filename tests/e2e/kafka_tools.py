"""Looking at the Kafka side of the running system: raw messages, DLQs, consumer lag."""

import time
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kring_platform.testing import kafka_bootstrap_servers


async def produce_raw(topic: str, value: bytes, key: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def find_message(topic: str, value: bytes, timeout: float = 30.0) -> Any | None:
    """The first record of `topic` whose value is `value`, or None."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap_servers(),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    if record.value == value:
                        return record
    finally:
        await consumer.stop()
    return None


async def consumer_lag(group: str, topic: str) -> int:
    """Messages of `topic` not yet committed by `group`, over all partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap_servers())
    await consumer.start()
    try:
        (description,) = await admin.describe_topics([topic])
        partitions = [TopicPartition(topic, p["partition"]) for p in description["partitions"]]
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
        await admin.close()
    return sum(
        ends[tp] - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0)
        for tp in partitions
    )
