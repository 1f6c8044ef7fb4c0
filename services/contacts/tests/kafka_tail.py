"""Reading what a test's actions published, from the end offsets noted before them."""

import json
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kring_platform.testing import kafka_bootstrap_servers


class TopicTail:
    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.records: list[Any] = []
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka_bootstrap_servers(), enable_auto_commit=False
        )

    async def start(self) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
        await admin.start()
        try:
            (described,) = await admin.describe_topics([self.topic])
        finally:
            await admin.close()
        partitions = [TopicPartition(self.topic, p["partition"]) for p in described["partitions"]]
        await self._consumer.start()
        self._consumer.assign(partitions)
        for partition, offset in (await self._consumer.end_offsets(partitions)).items():
            self._consumer.seek(partition, offset)

    async def stop(self) -> None:
        await self._consumer.stop()

    async def events_about(
        self, subject: object, count: int, timeout: float = 20.0
    ) -> list[dict[str, Any]]:
        """The envelopes of `subject` (in partition order), once `count` of them arrived;
        waits a moment longer to catch any unexpected extra one."""
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
