"""Reading back what landed on a topic, for assertions."""

import json
import time
from typing import Any

from aiokafka import AIOKafkaConsumer

from kring_platform.testing import kafka_bootstrap_servers


async def read_topic(topic: str, expected: int, timeout: float = 20.0) -> list[Any]:
    """Every record of `topic` from the beginning, once `expected` of them arrived."""
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
        while len(records) < expected and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records


def envelope_of(record: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(record.value)
    return value
