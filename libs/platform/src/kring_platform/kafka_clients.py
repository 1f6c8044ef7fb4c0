"""How Kring creates its Kafka clients, in one place."""

import asyncio
import logging

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)


def new_producer(settings: ServiceSettings, client_id: str) -> AIOKafkaProducer:
    # Idempotent with acks=all: a retried send is written once, in order, per partition.
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-{client_id}",
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=30_000,
    )


async def start_with_retry(
    client: AIOKafkaProducer, stop: asyncio.Event, what: str, retry_s: float = 1.0
) -> bool:
    """Starts a Kafka client, retrying while the broker is away. False if stopped first."""
    while not stop.is_set():
        try:
            await client.start()
            return True
        except (KafkaError, OSError) as exc:
            log.warning("%s cannot reach Kafka yet: %s", what, exc)
            await client.stop()
            await sleep_unless_stopped(stop, retry_s)
    return False


async def topic_partitions(topic: str, bootstrap_servers: str) -> list[TopicPartition]:
    """Every partition of the topic, in order, as the cluster describes it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])
